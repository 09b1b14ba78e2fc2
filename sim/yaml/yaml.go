// Package yaml loads callsim's scenarios and personas from YAML files: the
// set embedded in the binary (package personas) and, optionally, a coach's
// directory of the same layout whose files replace embedded ones by id.
//
// Layout of a set, at the root of a file system:
//
//	scenarios/<scenario-id>.yaml   one scenario per file
//	<persona-id>.yaml              one persona per file
//
// Decoding is strict: unknown fields, wrong types, duplicate keys and
// unknown language keys are errors. Every error is a *sim.FieldError naming
// the file, the field path (hidden.urgency, objections[1].at,
// lines.motive.zh), the reason and, where known, the line.
package yaml

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"

	"github.com/callsim/callsim/sim"
)

// MaxFileSize is the largest scenario or persona file the loader reads.
const MaxFileSize = 1 << 20

// ScenarioDir is the folder of a set that holds the scenario files.
const ScenarioDir = "scenarios"

// EmbeddedPrefix is how files of the embedded set are named in errors and
// in Source: where they live in callsim's repository.
const EmbeddedPrefix = "personas"

// set is what one file system holds, with each file's YAML tree kept so
// that validation errors found later can be given a line number.
type set struct {
	scenarios []*sim.Scenario
	personas  []*sim.Persona
	trees     map[string]*yamlv3.Node // by Source
}

// LoadFS reads the scenarios (scenarios/*.yaml) and personas (*.yaml) at
// the root of fsys, in file name order. Each value's Source is its path in
// fsys. It checks each file on its own (syntax, fields, types, languages,
// id matching the file name); checks across files, such as a persona's
// scenario existing, are sim.NewCatalog's.
func LoadFS(fsys fs.FS) ([]*sim.Scenario, []*sim.Persona, error) {
	s, err := readSet(context.Background(), fsys, func(name string) string { return name })
	if err != nil {
		return nil, nil, err
	}
	return s.scenarios, s.personas, nil
}

// Load reads the embedded set and, when dir is not empty, the set in dir
// (same layout). A scenario or persona in dir replaces the embedded one
// with the same id, so a coach can copy a shipped file and edit it. Then
// sim.NewCatalog validates everything together. Embedded files are named
// personas/<path> (EmbeddedPrefix) and files of dir by their path on disk.
// A bad file gives a *sim.FieldError, which names the file itself; other
// errors (I/O, ctx) are returned with a short prefix.
func Load(ctx context.Context, embedded fs.FS, dir string) (*sim.Catalog, error) {
	base, err := readSet(ctx, embedded, func(name string) string { return path.Join(EmbeddedPrefix, name) })
	if err != nil {
		return nil, err
	}
	if dir != "" {
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("personas dir: %w", err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("personas dir: %s is not a directory", dir)
		}
		over, err := readSet(ctx, os.DirFS(dir), func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) })
		if err != nil {
			return nil, err
		}
		base = merge(base, over)
	}
	c, err := sim.NewCatalog(base.scenarios, base.personas)
	if err != nil {
		return nil, withLine(err, base.trees)
	}
	return c, nil
}

// merge returns base with every value of over replacing the one of base
// with the same id, and the others of over added.
func merge(base, over *set) *set {
	out := &set{trees: base.trees}
	for k, v := range over.trees {
		out.trees[k] = v
	}
	out.scenarios = replaceByID(base.scenarios, over.scenarios, func(s *sim.Scenario) string { return s.ID })
	out.personas = replaceByID(base.personas, over.personas, func(p *sim.Persona) string { return p.ID })
	return out
}

func replaceByID[T any](base, over []T, id func(T) string) []T {
	replaced := map[string]bool{}
	for _, v := range over {
		replaced[id(v)] = true
	}
	out := make([]T, 0, len(base)+len(over))
	for _, v := range base {
		if !replaced[id(v)] {
			out = append(out, v)
		}
	}
	return append(out, over...)
}

// readSet reads one set; name turns a path in fsys into the Source.
func readSet(ctx context.Context, fsys fs.FS, name func(string) string) (*set, error) {
	s := &set{trees: map[string]*yamlv3.Node{}}
	scenarioFiles, err := fs.Glob(fsys, ScenarioDir+"/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	personaFiles, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list personas: %w", err)
	}
	for _, p := range scenarioFiles {
		data, err := readFile(ctx, fsys, p)
		if err != nil {
			return nil, err
		}
		sc, tree, err := parseScenario(name(p), data)
		if err != nil {
			return nil, err
		}
		s.scenarios = append(s.scenarios, sc)
		s.trees[sc.Source] = tree
	}
	for _, p := range personaFiles {
		data, err := readFile(ctx, fsys, p)
		if err != nil {
			return nil, err
		}
		pe, tree, err := parsePersona(name(p), data)
		if err != nil {
			return nil, err
		}
		s.personas = append(s.personas, pe)
		s.trees[pe.Source] = tree
	}
	return s, nil
}

func readFile(ctx context.Context, fsys fs.FS, name string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	// Read one byte more than allowed to tell a large file from one at the limit.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

// ParseScenario decodes one scenario file strictly and checks it on its
// own (sim.Scenario.Validate). name is the file's path: it becomes Source,
// names the file in errors and must end in <id>.yaml.
func ParseScenario(name string, data []byte) (*sim.Scenario, error) {
	sc, tree, err := parseScenario(name, data)
	if err != nil {
		return nil, err
	}
	if err := sc.Validate(); err != nil {
		return nil, withLine(err, map[string]*yamlv3.Node{name: tree})
	}
	return sc, nil
}

// ParsePersona decodes one persona file strictly. name is the file's path:
// it becomes Source, names the file in errors and must end in <id>.yaml.
// Checks that need the scenario are sim.Persona.Validate's; LoadPersona
// runs them too.
func ParsePersona(name string, data []byte) (*sim.Persona, error) {
	p, _, err := parsePersona(name, data)
	return p, err
}

// LoadPersona parses one persona file and validates it against its
// scenario: what a coach's upload goes through.
func LoadPersona(name string, data []byte, sc *sim.Scenario) (*sim.Persona, error) {
	p, tree, err := parsePersona(name, data)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(sc); err != nil {
		return nil, withLine(err, map[string]*yamlv3.Node{name: tree})
	}
	return p, nil
}

func parseScenario(name string, data []byte) (*sim.Scenario, *yamlv3.Node, error) {
	var sc sim.Scenario
	tree, err := decode(name, data, &sc)
	if err != nil {
		return nil, nil, err
	}
	sc.Source = name
	sc.Version = version(data)
	if err := checkID(name, tree, sc.ID); err != nil {
		return nil, nil, err
	}
	if err := checkScenarioLangs(&sc); err != nil {
		return nil, nil, withLine(err, map[string]*yamlv3.Node{name: tree})
	}
	return &sc, tree, nil
}

func parsePersona(name string, data []byte) (*sim.Persona, *yamlv3.Node, error) {
	var p sim.Persona
	tree, err := decode(name, data, &p)
	if err != nil {
		return nil, nil, err
	}
	p.Source = name
	p.Version = version(data)
	if err := checkID(name, tree, p.ID); err != nil {
		return nil, nil, err
	}
	if err := checkPersonaLangs(&p); err != nil {
		return nil, nil, withLine(err, map[string]*yamlv3.Node{name: tree})
	}
	return &p, tree, nil
}

// checkID requires the file to be named after the id, so that "the file
// with the same name" and "the persona with the same id" mean one thing
// when a coach's directory replaces a shipped file.
func checkID(name string, tree *yamlv3.Node, id string) error {
	base := path.Base(filepath.ToSlash(name))
	want := strings.TrimSuffix(base, path.Ext(base))
	if id == "" {
		return &sim.FieldError{File: name, Field: "id", Reason: fmt.Sprintf("is required: write id: %s (the file's name)", want), Line: lineOf(tree, "id")}
	}
	if id != want {
		return &sim.FieldError{File: name, Field: "id", Reason: fmt.Sprintf("must match the file name: %q is in %s (rename the file or the id)", id, base), Line: lineOf(tree, "id")}
	}
	return nil
}

// decode parses data as exactly one YAML mapping and decodes it strictly
// into out. It returns the document's root node for line look-ups.
func decode(name string, data []byte, out any) (tree *yamlv3.Node, err error) {
	if len(data) > MaxFileSize {
		return nil, &sim.FieldError{File: name, Reason: fmt.Sprintf("file is larger than %d bytes", MaxFileSize)}
	}
	// The parser is third-party code fed with untrusted files: a panic
	// in it must be a rejected file, not a crashed server.
	defer func() {
		if r := recover(); r != nil {
			tree, err = nil, &sim.FieldError{File: name, Reason: fmt.Sprintf("invalid YAML: %v", r)}
		}
	}()
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	var doc yamlv3.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &sim.FieldError{File: name, Reason: "file is empty"}
		}
		return nil, syntaxError(name, err)
	}
	var extra yamlv3.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, syntaxError(name, err)
		}
		return nil, &sim.FieldError{File: name, Reason: "a file holds one document: remove the second ---", Line: extra.Line}
	}
	root := &doc
	if root.Kind == yamlv3.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yamlv3.MappingNode {
		return nil, &sim.FieldError{File: name, Reason: "must be a mapping of fields (id: …, name: …)", Line: root.Line}
	}
	strict := yamlv3.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(out); err != nil {
		return nil, typeError(name, root, err)
	}
	return root, nil
}

// version fingerprints a file's content, so that a deal played on one
// version of a persona is not silently continued on another.
func version(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}
