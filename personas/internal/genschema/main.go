// Genschema writes the JSON Schemas of callsim's persona and scenario
// files, persona.schema.json and scenario.schema.json, reflected from the Go
// types the loader decodes them into (sim.Persona, sim.Scenario) with their
// YAML field names, and the doc comments of package sim as descriptions.
//
// go generate runs it in personas/:
//
//	go run ./internal/genschema            # rewrites schema/*.schema.json
//	go run ./internal/genschema -o DIR     # writes them into DIR
//
// The schemas serve editors: completion, hover and the mistakes a single
// field shows (an unknown field, a wrong type, an unknown act or
// situation). The loader, package sim/yaml, stays the authority: what
// needs several fields or files (enough variants after the scenario's
// defaults, motive facts leaking, max_budget at least budget, the persona's
// scenario existing) only it checks.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/callsim/callsim/sim"
)

// baseID is where the schemas are published: their path in callsim's
// repository.
const baseID = "https://raw.githubusercontent.com/callsim/callsim/main/personas/schema/"

// The files genschema writes.
const (
	PersonaFile  = "persona.schema.json"
	ScenarioFile = "scenario.schema.json"
)

func main() {
	flags := flag.NewFlagSet("genschema", flag.ExitOnError)
	out := flags.String("o", "schema", "output `directory`")
	flags.Parse(os.Args[1:])
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	simDir, err := packageDir("github.com/callsim/callsim/sim")
	if err != nil {
		return err
	}
	comments, err := readComments(simDir)
	if err != nil {
		return err
	}
	files, err := generate(comments)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// packageDir returns the directory of a package of this module.
func packageDir(pkg string) (string, error) {
	cmd := exec.Command("go", "list", "-f", "{{.Dir}}", pkg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %w\n%s", pkg, err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out)), nil
}

// readComments reads the doc comments of the types of package sim and of
// their fields, keyed "Type" and "Type.Field", from its non-test files.
func readComments(dir string) (map[string]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				if s := clean(doc); s != "" {
					out[ts.Name.Name] = s
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, field := range st.Fields.List {
					s := clean(field.Doc)
					if s == "" {
						s = clean(field.Comment)
					}
					for _, n := range field.Names {
						if s != "" {
							out[ts.Name.Name+"."+n.Name] = s
						}
					}
				}
			}
		}
	}
	return out, nil
}

// clean turns a comment group into one paragraph.
func clean(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	return strings.Join(strings.Fields(cg.Text()), " ")
}

// Types the reflector does not look into: the schema says what they hold.
var (
	langType      = reflect.TypeFor[sim.Lang]()
	textType      = reflect.TypeFor[sim.Text]()
	linesType     = reflect.TypeFor[sim.Lines]()
	wordsType     = reflect.TypeFor[sim.Words]()
	urgencyType   = reflect.TypeFor[sim.Urgency]()
	actType       = reflect.TypeFor[sim.Act]()
	phaseType     = reflect.TypeFor[sim.ObjectionPhase]()
	situationMap  = reflect.TypeFor[map[sim.Situation]sim.Lines]()
	milestonesMap = reflect.TypeFor[map[sim.Milestone]sim.MilestoneLabel]()
)

// ref points at a definition of the same schema.
func ref(name string) *jsonschema.Schema { return &jsonschema.Schema{Ref: "#/$defs/" + name} }

// generate returns the two schema files by name.
func generate(comments map[string]string) (map[string][]byte, error) {
	persona := reflectSchema(reflect.TypeFor[sim.Persona](), comments)
	persona.ID = baseID + PersonaFile
	persona.Title = "callsim persona"
	persona.Description = "A simulated customer of callsim: one file personas/{id}.yaml. " +
		"Every field is explained in personas/README.md; callsim's loader checks what this schema cannot (run callsim personas --personas DIR)."
	setRequired(persona, "id", "scenario", "languages", "difficulty", "profile", "hidden")
	p := persona.Properties
	p.Value("id").Pattern = idPattern
	p.Value("scenario").Pattern = idPattern
	p.Value("languages").MinItems = uintPtr(1)
	p.Value("difficulty").Enum = enum("easy", "medium", "hard")
	p.Value("lines").Description = "The persona's own lines per situation; they replace the scenario's default lines for that situation."

	profile := persona.Definitions["Profile"]
	setRequired(profile, "name", "summary")

	hidden := persona.Definitions["Hidden"]
	setRequired(hidden, "urgency", "budget", "max_budget", "patience")
	h := hidden.Properties
	h.Value("budget").ExclusiveMinimum = "0"
	h.Value("max_budget").ExclusiveMinimum = "0"
	h.Value("max_budget").Description = "MaxBudget is what the customer stretches to once its urgent motive is established; at least budget."
	h.Value("patience").Minimum, h.Value("patience").Maximum = "3", "100"
	h.Value("trust").Minimum, h.Value("trust").Maximum = "0", "100"

	objection := persona.Definitions["Objection"]
	setRequired(objection, "id", "kind", "at", "resolved_by", "lines", "resolved")
	o := objection.Properties
	o.Value("id").MinLength = uintPtr(1)
	o.Value("kind").Enum = enum(sim.ObjectionKinds...)
	o.Value("resolved_by").MinItems = uintPtr(1)

	scenario := reflectSchema(reflect.TypeFor[sim.Scenario](), comments)
	scenario.ID = baseID + ScenarioFile
	scenario.Title = "callsim scenario"
	scenario.Description = "What the trainee sells, with the milestone labels of its industry and the default lines of its personas: one file personas/scenarios/{id}.yaml. " +
		"Every field is explained in personas/README.md."
	setRequired(scenario, "id", "name", "product", "list_price", "milestones")
	s := scenario.Properties
	s.Value("id").Pattern = idPattern
	s.Set("name", ref("RequiredText"))
	s.Set("product", ref("RequiredText"))
	s.Value("list_price").ExclusiveMinimum = "0"
	s.Value("max_discount").Minimum, s.Value("max_discount").ExclusiveMaximum = "0", "1"
	s.Value("lines").Description = "Default lines per situation, for every persona of the scenario without lines of its own for it."
	label := scenario.Definitions["MilestoneLabel"]
	setRequired(label, "label")
	label.Properties.Set("label", ref("RequiredText"))

	files := map[string][]byte{}
	for name, sc := range map[string]*jsonschema.Schema{PersonaFile: persona, ScenarioFile: scenario} {
		if err := prune(sc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		files[name] = b.Bytes()
	}
	return files, nil
}

// idPattern is what Validate accepts as an id: no spaces or slashes.
const idPattern = `^[^\s/\\]+$`

// reflectSchema reflects t, with the definitions of the mapped types added
// for the ones the schema uses.
func reflectSchema(t reflect.Type, comments map[string]string) *jsonschema.Schema {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true, // required lists are set by hand, from Validate
		ExpandedStruct:             true,
		Anonymous:                  true,
		Mapper:                     mapType,
		LookupComment: func(t reflect.Type, field string) string {
			if t.PkgPath() != reflect.TypeFor[sim.Persona]().PkgPath() {
				return ""
			}
			if field == "" {
				return comments[t.Name()]
			}
			return comments[t.Name()+"."+field]
		},
	}
	sc := r.ReflectFromType(t)
	for name, d := range definitions(comments) {
		sc.Definitions[name] = d
	}
	// Milestones is mapped by hand; its values are reflected.
	label := r.ReflectFromType(reflect.TypeFor[sim.MilestoneLabel]())
	label.Version, label.Definitions = "", nil
	sc.Definitions["MilestoneLabel"] = label
	return sc
}

// prune deletes the definitions the schema does not refer to, directly or
// through other definitions.
func prune(sc *jsonschema.Schema) error {
	for {
		doc, err := json.Marshal(sc)
		if err != nil {
			return err
		}
		removed := false
		for name, d := range sc.Definitions {
			own, err := json.Marshal(d)
			if err != nil {
				return err
			}
			needle := []byte(`"#/$defs/` + name + `"`)
			if bytes.Count(doc, needle) == bytes.Count(own, needle) {
				delete(sc.Definitions, name)
				removed = true
			}
		}
		if !removed {
			return nil
		}
	}
}

// mapType gives the types the YAML files spell as plain values (ids,
// languages) and language maps a reference to their definition.
func mapType(t reflect.Type) *jsonschema.Schema {
	switch t {
	case langType:
		return ref("Lang")
	case textType:
		return ref("Text")
	case linesType:
		return ref("Lines")
	case wordsType:
		return ref("Words")
	case urgencyType:
		return ref("Urgency")
	case actType:
		return ref("Act")
	case phaseType:
		return ref("ObjectionPhase")
	case situationMap:
		return ref("SituationLines")
	case milestonesMap:
		return ref("Milestones")
	}
	return nil
}

// definitions are the schemas of the mapped types.
func definitions(comments map[string]string) map[string]*jsonschema.Schema {
	langs := []sim.Lang{sim.LangZH, sim.LangEN}
	perLang := func(desc string, item *jsonschema.Schema) *jsonschema.Schema {
		props := jsonschema.NewProperties()
		for _, l := range langs {
			props.Set(string(l), item)
		}
		return &jsonschema.Schema{Type: "object", Description: desc, Properties: props, AdditionalProperties: jsonschema.FalseSchema}
	}
	// A line or keyword must not be blank: an empty keyword would match
	// every trainee line.
	nonBlank := &jsonschema.Schema{Type: "string", Pattern: `\S`}
	list := &jsonschema.Schema{Type: "array", Items: nonBlank}

	sits := jsonschema.NewProperties()
	for _, s := range slices.Concat(sim.Situations, sim.OptionalSituations) {
		sits.Set(string(s), ref("Lines"))
	}
	milestones := jsonschema.NewProperties()
	for _, m := range sim.Milestones {
		milestones.Set(string(m), &jsonschema.Schema{Ref: "#/$defs/MilestoneLabel"})
	}
	anyLang := make([]*jsonschema.Schema, 0, len(langs))
	for _, l := range langs {
		props := jsonschema.NewProperties()
		props.Set(string(l), &jsonschema.Schema{MinLength: uintPtr(1)})
		anyLang = append(anyLang, &jsonschema.Schema{Required: []string{string(l)}, Properties: props})
	}

	return map[string]*jsonschema.Schema{
		"Lang": {Type: "string", Enum: enum(langs...), Description: comments["Lang"]},
		"Text": perLang(comments["Text"]+" Keys: zh (simplified Chinese), en.", &jsonschema.Schema{Type: "string"}),
		"RequiredText": {
			AllOf:       []*jsonschema.Schema{ref("Text")},
			AnyOf:       anyLang,
			Description: "A text in English or Chinese, at least one of them not empty.",
		},
		"Lines":   perLang(comments["Lines"]+" Keys: zh, en; each a list of lines.", list),
		"Words":   perLang(comments["Words"]+" Keys: zh, en; each a list of words.", list),
		"Urgency": {Type: "string", Enum: enum(sim.UrgencyLow, sim.UrgencyMedium, sim.UrgencyHigh), Description: comments["Urgency"]},
		"Act":     {Type: "string", Enum: enum(sim.Acts...), Description: "A trainee act: what a trainee line does (personas/README.md, Trainee acts)."},
		"ObjectionPhase": {Type: "string", Enum: enum(sim.PhaseOffer, sim.PhaseDeal),
			Description: comments["ObjectionPhase"] + " offer: while the product is presented; deal: at the commitment."},
		"SituationLines": {Type: "object", Properties: sits, AdditionalProperties: jsonschema.FalseSchema,
			Description: "Lines per situation (personas/README.md, Situations)."},
		"Milestones": {Type: "object", Properties: milestones, AdditionalProperties: jsonschema.FalseSchema,
			Required:    []string{string(sim.MilestoneNeed), string(sim.MilestoneOffer), string(sim.MilestoneDeal)},
			Description: "How this industry names need, offer and deal."},
	}
}

func setRequired(s *jsonschema.Schema, fields ...string) {
	for _, f := range fields {
		if _, ok := s.Properties.Get(f); !ok {
			panic(fmt.Sprintf("genschema: no field %q to require", f))
		}
	}
	s.Required = fields
}

func enum[T ~string](vs ...T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func uintPtr(n uint64) *uint64 { return &n }
