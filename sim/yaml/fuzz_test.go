package yaml_test

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	simyaml "github.com/callsim/callsim/sim/yaml"
)

// FuzzLoadPersona feeds persona files, such as a coach's upload, to the
// loader: it never panics, and it returns either a persona that validates
// against its scenario or a *sim.FieldError naming the file.
// CI runs it for a few seconds; cap minimizing, which is slow on large seeds:
//
//	go test -run '^$' -fuzz FuzzLoadPersona -fuzztime 10s -fuzzminimizetime 200x ./sim/yaml/
func FuzzLoadPersona(f *testing.F) {
	const name = "fuzz.yaml"
	cat := MustLoadShipped(f)
	cat.Scenarios["demo"], _ = simyaml.ParseScenario("scenarios/demo.yaml", []byte(demoScenario(twoEach)))
	files, err := fs.Glob(personas.FS(), "*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := fs.ReadFile(personas.FS(), file)
		if err != nil {
			f.Fatal(err)
		}
		id := strings.TrimSuffix(file, ".yaml")
		f.Add(bytes.Replace(data, []byte("id: "+id+"\n"), []byte("id: fuzz\n"), 1))
	}
	f.Add([]byte(strings.Replace(demoPersona, "id: p1", "id: fuzz", 1)))
	for _, s := range []string{
		"", "id: fuzz", "- a", "id: fuzz\n---\nid: fuzz", "id: [fuzz", "\tid: fuzz",
		"id: fuzz\nhidden: {budget: &a 1, max_budget: *a}", "id: fuzz\nlines: {motive: {zh: [a, b]}}\n",
		"id: fuzz\nobjections: [{id: x, kind: price, at: deal, resolved_by: [price]}]",
		"a: &a [*a, *a]", "id: fuzz\n<<: {scenario: demo}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var sc *sim.Scenario
		if p, err := simyaml.ParsePersona(name, data); err == nil {
			sc = cat.Scenarios[p.Scenario]
		}
		p, err := simyaml.LoadPersona(name, data, sc)
		if err != nil {
			var fe *sim.FieldError
			if !errors.As(err, &fe) || fe.File != name || !strings.HasPrefix(err.Error(), name+": ") {
				t.Fatalf("LoadPersona() = %v; want a *sim.FieldError for %s", err, name)
			}
			if p != nil {
				t.Fatalf("LoadPersona() = %v and an error; want nil", p)
			}
			return
		}
		if p.Source != name || p.ID != "fuzz" {
			t.Fatalf("LoadPersona() = id %q from %q; want fuzz from %s", p.ID, p.Source, name)
		}
		if err := p.Validate(sc); err != nil {
			t.Fatalf("LoadPersona() returned a persona that does not validate: %v", err)
		}
	})
}
