package yaml_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/callsim/callsim/sim"
	simyaml "github.com/callsim/callsim/sim/yaml"
)

// demoScenario returns a valid scenario file with n(situation, lang)
// default lines for every situation.
func demoScenario(n func(sim.Situation, sim.Lang) int) string {
	var b strings.Builder
	b.WriteString(`id: demo
name: {zh: 演示, en: Demo}
product: {zh: 产品, en: Product}
description: {zh: 说明, en: About}
list_price: 1000
currency: CNY
max_discount: 0.1
discovery: true
milestones:
  need: {label: {zh: 需求, en: Need}}
  offer: {label: {zh: 方案, en: Offer}, steps: [{zh: 试用, en: Trial}]}
  deal: {label: {zh: 成交, en: Deal}}
lines:
`)
	for _, sit := range sim.Situations {
		fmt.Fprintf(&b, "  %s:\n", sit)
		for _, l := range []sim.Lang{sim.LangZH, sim.LangEN} {
			fmt.Fprintf(&b, "    %s:\n", l)
			for i := range n(sit, l) {
				fmt.Fprintf(&b, "      - %s %s %d\n", sit, l, i)
			}
		}
	}
	return b.String()
}

func twoEach(sim.Situation, sim.Lang) int { return 2 }

const demoPersona = `id: p1
scenario: demo
languages: [zh, en]
difficulty: easy
profile:
  name: {zh: 张三, en: Zhang San}
  role: {zh: 经理, en: Manager}
  company: {zh: 某公司, en: Some Co.}
  summary: {zh: 一家小公司, en: A small company}
hidden:
  urgency: high
  motive: {zh: 下个月要交付, en: Delivery is due next month}
  surface_need: {zh: 随便看看, en: Just looking}
  budget: 900
  max_budget: 1200
  decides_alone: false
  patience: 10
  trust: 50
  need_keywords: {zh: [交付], en: [delivery]}
  motive_facts: {zh: [下个月], en: [next month]}
objections:
  - id: boss
    kind: authority
    at: deal
    resolved_by: [next_step]
    keywords: {zh: [老板], en: [boss]}
    lines: {zh: [我得问老板], en: [I must ask my boss]}
    resolved: {zh: [好，我去问], en: [OK, I'll ask]}
lines:
  problem:
    zh: [交付有点紧, 人手不够]
    en: [Delivery is tight, We're short of people]
  motive:
    zh: [下个月就要交付了, 下个月交不了货就麻烦了]
    en: [Delivery is due next month, If we miss next month we're in trouble]
`

func demoFS() fstest.MapFS {
	return fstest.MapFS{
		"scenarios/demo.yaml": {Data: []byte(demoScenario(twoEach))},
		"p1.yaml":             {Data: []byte(demoPersona)},
		"README.md":           {Data: []byte("not loaded")},
	}
}

// MustLoad loads fsys as the embedded set or fails the test.
func MustLoad(tb testing.TB, fsys fstest.MapFS) *sim.Catalog {
	tb.Helper()
	c, err := simyaml.Load(context.Background(), fsys, "")
	if err != nil {
		tb.Fatalf("Load() = %v; want no error", err)
	}
	return c
}

func TestLoadValid(t *testing.T) {
	c := MustLoad(t, demoFS())
	p, sc, err := c.Persona("p1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Source != "personas/p1.yaml" || sc.Source != "personas/scenarios/demo.yaml" {
		t.Errorf("Source = %q, %q; want personas/p1.yaml, personas/scenarios/demo.yaml", p.Source, sc.Source)
	}
	if got := p.LinesFor(sc, sim.SitProblem, sim.LangEN); len(got) != 2 || got[0] != "Delivery is tight" {
		t.Errorf("LinesFor(problem, en) = %q; want the persona's own lines", got)
	}
	if got := p.Hidden.MotiveFacts[sim.LangEN]; len(got) != 1 || got[0] != "next month" {
		t.Errorf("MotiveFacts[en] = %q; want [next month]", got)
	}
	if o := p.Objections[0]; o.At != sim.PhaseDeal || o.ResolvedBy[0] != sim.ActNextStep || o.Keywords[sim.LangZH][0] != "老板" {
		t.Errorf("objection = %+v; want authority at deal resolved by next_step with 老板", o)
	}
}

func TestLoadFS(t *testing.T) {
	scs, ps, err := simyaml.LoadFS(demoFS())
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) != 1 || len(ps) != 1 || scs[0].Source != "scenarios/demo.yaml" || ps[0].Source != "p1.yaml" {
		t.Errorf("LoadFS() = %d scenarios, %d personas; want 1 and 1 with their paths as Source", len(scs), len(ps))
	}
}

// lineOf returns the 1-based line of the first line of text containing sub
// or, when sub starts with ^, starting with the rest of it.
func lineOf(t *testing.T, text, sub string) int {
	t.Helper()
	sub, top := strings.CutPrefix(sub, "^")
	for i, l := range strings.Split(text, "\n") {
		if top && strings.HasPrefix(l, sub) || !top && strings.Contains(l, sub) {
			return i + 1
		}
	}
	t.Fatalf("fixture has no line containing %q", sub)
	return 0
}

func TestLoadErrors(t *testing.T) {
	persona := func(old, new string) func(fstest.MapFS) {
		return func(m fstest.MapFS) {
			s := string(m["p1.yaml"].Data)
			if !strings.Contains(s, old) {
				panic("fixture has no " + old)
			}
			m["p1.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
		}
	}
	scenario := func(old, new string) func(fstest.MapFS) {
		return func(m fstest.MapFS) {
			s := string(m["scenarios/demo.yaml"].Data)
			m["scenarios/demo.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
		}
	}
	const pFile, sFile = "personas/p1.yaml", "personas/scenarios/demo.yaml"
	tests := []struct {
		name   string
		edit   func(fstest.MapFS)
		file   string
		field  string
		reason string
		line   string // the error points at the line holding this text; "" for none
	}{
		{"bad YAML", persona("languages: [zh, en]", "languages: [zh, en"), pFile, "", "invalid YAML", ""},
		{"tab indentation", persona("  urgency: high", "\turgency: high"), pFile, "", "invalid YAML", ""},
		{"empty file", func(m fstest.MapFS) { m["p1.yaml"] = &fstest.MapFile{} }, pFile, "", "file is empty", ""},
		{"two documents", persona("id: p1\n", "id: p1\n---\nid: p2\n"), pFile, "", "one document", ""},
		{"not a mapping", func(m fstest.MapFS) { m["p1.yaml"] = &fstest.MapFile{Data: []byte("- a\n- b\n")} }, pFile, "", "must be a mapping", ""},
		{"unknown field", persona("  trust: 50", "  trust: 50\n  mood: grumpy"), pFile, "hidden.mood", "unknown field", "mood: grumpy"},
		{"unknown top-level field", persona("difficulty: easy", "difficulty: easy\nvoice: deep"), pFile, "voice", "unknown field", "voice: deep"},
		{"misspelt field", persona("    resolved_by:", "    resolve_by:"), pFile, "objections[0].resolve_by", "unknown field", "resolve_by"},
		{"wrong type number", persona("budget: 900", "budget: lots"), pFile, "hidden.budget", `must be a number, not text "lots"`, "budget: lots"},
		{"wrong type list", persona("languages: [zh, en]", "languages: zh"), pFile, "languages", "must be a list", "languages: zh"},
		{"wrong type lines", persona("    zh: [交付有点紧, 人手不够]", "    zh: 交付有点紧"), pFile, "lines.problem.zh", "must be a list", "zh: 交付有点紧"},
		{"wrong type bool", persona("decides_alone: false", "decides_alone: maybe"), pFile, "hidden.decides_alone", "must be true or false", "decides_alone: maybe"},
		{"mapping instead of text", persona("  surface_need: {zh: 随便看看, en: Just looking}", "  surface_need: {zh: {a: b}, en: x}"), pFile, "hidden.surface_need.zh", "must be text, not a mapping", "surface_need"},
		{"duplicate key", persona("  budget: 900", "  budget: 900\n  budget: 950"), pFile, "hidden.budget", "is given twice", "budget: 950"},
		{"bad urgency", persona("urgency: high", "urgency: urgent"), pFile, "hidden.urgency", `must be low, medium or high, not "urgent"`, "urgency: urgent"},
		{"missing motive lines", persona("  motive:\n    zh: [下个月就要交付了, 下个月交不了货就麻烦了]\n    en: [Delivery is due next month, If we miss next month we're in trouble]\n", ""), pFile, "lines.motive", "must voice it in its own lines", "^lines:"},
		{"motive missing in one language", persona("  motive: {zh: 下个月要交付, en: Delivery is due next month}", "  motive: {zh: 下个月要交付}"), pFile, "hidden.motive.en", "is required for every language", "motive: {zh"},
		{"no motive but urgent", persona("  motive: {zh: 下个月要交付, en: Delivery is due next month}", "  motive: {}"), pFile, "hidden.motive", "must have low urgency", "motive: {}"},
		{"unknown situation", persona("  problem:\n", "  smalltalk:\n    zh: [嗯, 哦]\n  problem:\n"), pFile, "lines.smalltalk", "unknown situation", "smalltalk:"},
		{"unknown act", persona("resolved_by: [next_step]", "resolved_by: [next_steps]"), pFile, "objections[0].resolved_by[0]", `unknown act "next_steps"`, "next_steps"},
		{"bad objection phase", persona("    at: deal", "    at: close"), pFile, "objections[0].at", `must be offer or deal, not "close"`, "at: close"},
		{"bad objection kind", persona("kind: authority", "kind: boss"), pFile, "objections[0].kind", `not "boss"`, "kind: boss"},
		{"objection keywords in one language", persona("keywords: {zh: [老板], en: [boss]}", "keywords: {zh: [老板]}"), pFile, "objections[0].keywords.en", "every language", "    keywords: {zh"},
		{"empty keyword", persona("need_keywords: {zh: [交付], en: [delivery]}", `need_keywords: {zh: [交付, ""], en: [delivery]}`), pFile, "hidden.need_keywords.zh[1]", "would match every line", "need_keywords"},
		{"unknown language key", persona("  name: {zh: 张三, en: Zhang San}", "  name: {zh: 张三, en: Zhang San, fr: Jean}"), pFile, "profile.name.fr", "unknown language", "name: {zh"},
		{"unknown language", persona("languages: [zh, en]", "languages: [zh, fr]"), pFile, "languages[1]", `unknown language "fr"`, "languages: [zh, fr]"},
		{"motive fact leaks", persona("zh: [交付有点紧, 人手不够]", "zh: [下个月交付有点紧, 人手不够]"), pFile, "lines.problem.zh[0]", `reveals the motive fact "下个月"`, "下个月交付有点紧"},
		{"motive fact leaks in objection", persona("[I must ask my boss]", "[By Next Month I must ask my boss]"), pFile, "objections[0].lines.en[0]", `reveals the motive fact "next month"`, "By Next Month"},
		{"unknown scenario", persona("scenario: demo", "scenario: nope"), pFile, "scenario", `unknown scenario "nope"`, "scenario: nope"},
		{"id not the file name", persona("id: p1", "id: p2"), pFile, "id", `must match the file name: "p2" is in p1.yaml`, "id: p2"},
		{"duplicate id", func(m fstest.MapFS) { m["p2.yaml"] = m["p1.yaml"] }, "personas/p2.yaml", "id", `must match the file name: "p1" is in p2.yaml`, "id: p1"},
		{"missing id", persona("id: p1\n", ""), pFile, "id", "is required: write id: p1", ""},
		{"too few variants", func(m fstest.MapFS) {
			m["scenarios/demo.yaml"] = &fstest.MapFile{Data: []byte(demoScenario(func(s sim.Situation, l sim.Lang) int {
				if s == sim.SitFiller && l == sim.LangEN {
					return 1
				}
				return 2
			}))}
		}, pFile, "lines.filler.en", "needs at least 2 variants (here or in scenario demo), has 1", "^lines:"},
		{"empty line", persona("[交付有点紧, 人手不够]", `[交付有点紧, " "]`), pFile, "lines.problem.zh[1]", "is empty", "交付有点紧"},
		{"bad patience", persona("patience: 10", "patience: 1"), pFile, "hidden.patience", "between 3 and 100", "patience: 1"},
		{"max budget below budget", persona("max_budget: 1200", "max_budget: 800"), pFile, "hidden.max_budget", "at least the budget", "max_budget: 800"},
		{"scenario list price", scenario("list_price: 1000", "list_price: 0"), sFile, "list_price", "must be greater than 0", "list_price: 0"},
		{"scenario unknown milestone", scenario("  deal: {label", "  win: {label: {en: Win}}\n  deal: {label"), sFile, "milestones.win", "unknown milestone", "win:"},
		{"scenario unknown field", scenario("currency: CNY", "currency: CNY\ncolour: red"), sFile, "colour", "unknown field", "colour: red"},
		{"scenario wrong type", scenario("max_discount: 0.1", "max_discount: [0.1]"), sFile, "max_discount", "must be a number, not a list", "max_discount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := demoFS()
			tt.edit(fsys)
			_, err := simyaml.Load(context.Background(), fsys, "")
			var fe *sim.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Load() = %v; want a *sim.FieldError", err)
			}
			if fe.File != tt.file || fe.Field != tt.field || !strings.Contains(fe.Reason, tt.reason) {
				t.Errorf("Load() = %q;\nwant file %q, field %q, reason containing %q", err, tt.file, tt.field, tt.reason)
			}
			msg := err.Error()
			for _, part := range []string{tt.file + ": ", tt.reason} {
				if !strings.Contains(msg, part) {
					t.Errorf("Load() message %q; want it to contain %q", msg, part)
				}
			}
			if tt.field != "" && !strings.Contains(msg, ": "+tt.field+": ") {
				t.Errorf("Load() message %q; want it to name field %q", msg, tt.field)
			}
			if tt.line != "" {
				name := strings.TrimPrefix(tt.file, "personas/")
				want := lineOf(t, string(fsys[name].Data), tt.line)
				if fe.Line != want {
					t.Errorf("Load() line = %d; want %d (the line with %q)", fe.Line, want, tt.line)
				}
				if !strings.Contains(msg, fmt.Sprintf("(line %d)", want)) {
					t.Errorf("Load() message %q; want it to end with (line %d)", msg, want)
				}
			}
		})
	}
}

func TestLoadDirReplaces(t *testing.T) {
	dir := t.TempDir()
	edited := strings.Replace(demoPersona, "budget: 900", "budget: 950", 1)
	mustWrite(t, filepath.Join(dir, "p1.yaml"), edited)
	extra := strings.Replace(demoPersona, "id: p1", "id: p9", 1)
	mustWrite(t, filepath.Join(dir, "p9.yaml"), extra)
	c, err := simyaml.Load(context.Background(), demoFS(), dir)
	if err != nil {
		t.Fatalf("Load(dir) = %v; want no error", err)
	}
	p, _, err := c.Persona("p1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Hidden.Budget != 950 || p.Source != filepath.Join(dir, "p1.yaml") {
		t.Errorf("p1 budget %g from %s; want 950 from the coach's directory", p.Hidden.Budget, p.Source)
	}
	if got := c.PersonaIDs(); len(got) != 2 || got[0] != "p1" || got[1] != "p9" {
		t.Errorf("PersonaIDs() = %q; want [p1 p9]", got)
	}

	// A bad file in the directory is named by its path on disk.
	mustWrite(t, filepath.Join(dir, "p9.yaml"), strings.Replace(extra, "urgency: high", "urgency: urgent", 1))
	_, err = simyaml.Load(context.Background(), demoFS(), dir)
	want := fmt.Sprintf(`%s: hidden.urgency: must be low, medium or high, not "urgent" (line %d)`,
		filepath.Join(dir, "p9.yaml"), lineOf(t, extra, "urgency:"))
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("Load(dir) = %v; want ...%s", err, want)
	}
}

func TestLoadDirErrors(t *testing.T) {
	if _, err := simyaml.Load(context.Background(), demoFS(), filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Load(missing dir) = nil; want an error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := simyaml.Load(ctx, demoFS(), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("Load(canceled) = %v; want context.Canceled", err)
	}
}

func TestParseLarge(t *testing.T) {
	data := []byte(demoPersona + "# " + strings.Repeat("x", simyaml.MaxFileSize) + "\n")
	_, err := simyaml.ParsePersona("big.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "big.yaml: file is larger") {
		t.Errorf("ParsePersona(large) = %v; want file is larger", err)
	}
}

func mustWrite(tb testing.TB, name, data string) {
	tb.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}
