package personas_test

// The JSON Schemas of schema/ are made from the Go types by
// internal/genschema; TestSchemaUpToDate fails until they are regenerated.
//
//go:generate go run ./internal/genschema -o schema

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v6"
	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim/yaml"
)

// The generated schemas, as committed.
const (
	personaSchema  = "schema/persona.schema.json"
	scenarioSchema = "schema/scenario.schema.json"
)

// TestSchemaUpToDate runs the generator and compares its output with the
// committed schemas.
func TestSchemaUpToDate(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run internal/genschema: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command(gotool, "run", "./internal/genschema", "-o", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/genschema: %v\n%s", err, out)
	}
	for _, name := range []string{personaSchema, scenarioSchema} {
		want, err := os.ReadFile(filepath.Join(dir, path.Base(name)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("read the committed schema: %v; run `go generate ./personas`", err)
			continue
		}
		if bytes.Equal(got, want) {
			continue
		}
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		n := 0
		for n < len(gl) && n < len(wl) && gl[n] == wl[n] {
			n++
		}
		line := func(ls []string) string {
			if n < len(ls) {
				return ls[n]
			}
			return "(end of file)"
		}
		t.Errorf("%s differs from what internal/genschema generates, from line %d:\ncommitted: %s\ngenerated: %s\n"+
			"run `go generate ./personas` and commit %s", name, n+1, line(gl), line(wl), name)
	}
}

// schemas are the compiled persona and scenario schemas.
type schemas struct{ persona, scenario *jsonschema.Schema }

func mustSchemas(tb testing.TB) schemas {
	tb.Helper()
	c := jsonschema.NewCompiler()
	compile := func(name string) *jsonschema.Schema {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			tb.Fatalf("%s: no $id", name)
		}
		if err := c.AddResource(id, doc); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		s, err := c.Compile(id)
		if err != nil {
			tb.Fatalf("compile %s: %v", name, err)
		}
		return s
	}
	return schemas{persona: compile(personaSchema), scenario: compile(scenarioSchema)}
}

// forFile returns the schema a file of the personas layout is checked with.
func (s schemas) forFile(name string) *jsonschema.Schema {
	if strings.HasPrefix(name, yaml.ScenarioDir+"/") {
		return s.scenario
	}
	return s.persona
}

// decodeYAML reads a YAML document as the JSON values a schema checks.
func decodeYAML(tb testing.TB, name string, data []byte) any {
	tb.Helper()
	var v any
	if err := yamlv3.Unmarshal(data, &v); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return jsonValue(v)
}

// jsonValue turns what the YAML decoder gives into JSON's kinds of values:
// mappings with non-string keys get their keys spelt out.
func jsonValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = jsonValue(x)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[fmt.Sprint(k)] = jsonValue(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonValue(x)
		}
		return out
	}
	return v
}

// shippedFiles lists the scenario and persona files of the shipped set.
func shippedFiles(tb testing.TB) []string {
	tb.Helper()
	scs, err := fs.Glob(personas.FS(), yaml.ScenarioDir+"/*.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	ps, err := fs.Glob(personas.FS(), "*.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	if len(scs) == 0 || len(ps) == 0 {
		tb.Fatalf("%d scenario and %d persona files shipped; want some of each", len(scs), len(ps))
	}
	return append(scs, ps...)
}

// TestShippedFilesMatchSchema validates every shipped scenario and persona
// file against its schema.
func TestShippedFilesMatchSchema(t *testing.T) {
	s := mustSchemas(t)
	for _, name := range shippedFiles(t) {
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(personas.FS(), name)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.forFile(name).Validate(decodeYAML(t, name, data)); err != nil {
				t.Errorf("%s does not match its schema: %v", name, err)
			}
		})
	}
}

// mutation changes one shipped file, given as its decoded YAML.
type mutation struct {
	name   string
	file   string // a file of the shipped set
	change func(doc map[string]any)
}

// mutated returns the shipped file changed by m, decoded and as YAML.
func (m mutation) mutated(tb testing.TB) (any, []byte) {
	tb.Helper()
	data, err := fs.ReadFile(personas.FS(), m.file)
	if err != nil {
		tb.Fatal(err)
	}
	doc := decodeYAML(tb, m.file, data).(map[string]any)
	m.change(doc)
	out, err := yamlv3.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return doc, out
}

// load runs the loader on the shipped set with the mutated file in place of
// the shipped one.
func (m mutation) load(tb testing.TB, data []byte) error {
	tb.Helper()
	dir := tb.TempDir()
	p := filepath.Join(dir, filepath.FromSlash(m.file))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	_, err := yaml.Load(context.Background(), personas.FS(), dir)
	return err
}

// at walks a decoded document along a path such as "objections.1.lines".
func at(tb testing.TB, doc any, path string) any {
	tb.Helper()
	v := doc
	for _, key := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(x) {
				tb.Fatalf("path %q: no item %q", path, key)
			}
			v = x[i]
		default:
			tb.Fatalf("path %q: %q is not in a mapping or list", path, key)
		}
	}
	return v
}

// mapAt returns the mapping at path.
func mapAt(tb testing.TB, doc any, path string) map[string]any {
	tb.Helper()
	m, ok := at(tb, doc, path).(map[string]any)
	if !ok {
		tb.Fatalf("path %q is not a mapping", path)
	}
	return m
}

// TestLoaderStaysAuthority: files the schema accepts are still refused by
// the loader for what only it checks: rules across fields and files.
func TestLoaderStaysAuthority(t *testing.T) {
	s := mustSchemas(t)
	// Unchanged, the file passes both: the mutations below are what fails.
	same := mutation{file: "st-li-hr.yaml", change: func(map[string]any) {}}
	if doc, data := same.mutated(t); s.persona.Validate(doc) != nil || same.load(t, data) != nil {
		t.Fatalf("st-li-hr.yaml, decoded and encoded again: schema %v, loader %v; want both to accept it",
			s.persona.Validate(doc), same.load(t, data))
	}
	tests := []mutation{
		{"max_budget below budget", "st-li-hr.yaml", func(d map[string]any) {
			h := mapAt(t, d, "hidden")
			h["max_budget"] = 1
		}},
		{"high urgency without a motive", "st-li-hr.yaml", func(d map[string]any) {
			h := mapAt(t, d, "hidden")
			h["motive"] = map[string]any{}
			h["urgency"] = "high"
		}},
		{"a motive fact in a problem line", "st-li-hr.yaml", func(d map[string]any) {
			zh := at(t, d, "lines.problem.zh").([]any)
			zh[0] = zh[0].(string) + "九月就要交差。"
		}},
		{"one variant of a situation", "st-li-hr.yaml", func(d map[string]any) {
			l := mapAt(t, d, "lines.problem")
			l["en"] = []any{"Just the one line."}
		}},
		{"a language without a name", "st-li-hr.yaml", func(d map[string]any) {
			delete(mapAt(t, d, "profile.name"), "en")
		}},
		{"objection ids twice", "st-li-hr.yaml", func(d map[string]any) {
			obs := at(t, d, "objections").([]any)
			obs[1].(map[string]any)["id"] = obs[0].(map[string]any)["id"]
		}},
		{"keywords in one language only", "st-li-hr.yaml", func(d map[string]any) {
			delete(mapAt(t, d, "objections.0.keywords"), "en")
		}},
		{"an unknown scenario", "st-li-hr.yaml", func(d map[string]any) {
			d["scenario"] = "no-such-scenario"
		}},
		{"an id that is not the file name", "st-li-hr.yaml", func(d map[string]any) {
			d["id"] = "st-li-hr-2"
		}},
		{"a scenario without the default lines its personas need", "scenarios/sales-training.yaml", func(d map[string]any) {
			delete(mapAt(t, d, "lines"), "followup_cold")
		}},
	}
	for _, m := range tests {
		t.Run(m.name, func(t *testing.T) {
			doc, data := m.mutated(t)
			if err := s.forFile(m.file).Validate(doc); err != nil {
				t.Fatalf("the schema refuses it (%v); want a case only the loader catches", err)
			}
			err := m.load(t, data)
			if err == nil {
				t.Fatalf("yaml.Load(%s %s) = nil; want the loader to refuse it", m.file, m.name)
			}
			t.Logf("loader: %v", err)
		})
	}
}

// TestSchemaAgreesWithLoader: mistakes in a single field are refused by
// both the schema (what an editor shows) and the loader.
func TestSchemaAgreesWithLoader(t *testing.T) {
	s := mustSchemas(t)
	tests := []mutation{
		{"unknown urgency", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "hidden")["urgency"] = "urgent"
		}},
		{"misspelt field", "st-li-hr.yaml", func(d map[string]any) {
			o := mapAt(t, d, "objections.0")
			o["resolve_by"] = o["resolved_by"]
			delete(o, "resolved_by")
		}},
		{"unknown act", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "objections.0")["resolved_by"] = []any{"handle"}
		}},
		{"unknown objection kind", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "objections.0")["kind"] = "budget"
		}},
		{"unknown phase", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "objections.0")["at"] = "close"
		}},
		{"unknown situation", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "lines")["small_talks"] = map[string]any{"en": []any{"Hi.", "Hello."}}
		}},
		{"unknown language", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "profile.name")["fr"] = "Li Jing"
		}},
		{"blank keyword", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "hidden.need_keywords")["en"] = []any{"  "}
		}},
		{"patience out of range", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "hidden")["patience"] = 1
		}},
		{"budget as text", "st-li-hr.yaml", func(d map[string]any) {
			mapAt(t, d, "hidden")["budget"] = "lots"
		}},
		{"no languages", "st-li-hr.yaml", func(d map[string]any) {
			d["languages"] = []any{}
		}},
		{"bad difficulty", "st-li-hr.yaml", func(d map[string]any) {
			d["difficulty"] = "impossible"
		}},
		{"no hidden state", "st-li-hr.yaml", func(d map[string]any) {
			delete(d, "hidden")
		}},
		{"discount of 100%", "scenarios/sales-training.yaml", func(d map[string]any) {
			d["max_discount"] = 1
		}},
		{"unknown milestone", "scenarios/sales-training.yaml", func(d map[string]any) {
			mapAt(t, d, "milestones")["close"] = map[string]any{"label": map[string]any{"en": "Closed"}}
		}},
		{"a milestone without a label", "scenarios/sales-training.yaml", func(d map[string]any) {
			delete(mapAt(t, d, "milestones"), "offer")
		}},
		{"a name in no language", "scenarios/sales-training.yaml", func(d map[string]any) {
			d["name"] = map[string]any{"en": ""}
		}},
	}
	for _, m := range tests {
		t.Run(m.name, func(t *testing.T) {
			doc, data := m.mutated(t)
			if err := s.forFile(m.file).Validate(doc); err == nil {
				t.Errorf("the schema accepts %s %s; want it refused", m.file, m.name)
			}
			if err := m.load(t, data); err == nil {
				t.Errorf("yaml.Load(%s %s) = nil; want it refused", m.file, m.name)
			}
		})
	}
}
