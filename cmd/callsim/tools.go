package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/yaml"
)

// loadCatalog loads the shipped personas plus those of personas.dir and
// checks their keywords against the ear, writing its warnings to stderr.
// It returns the ear too, for the deals of the command.
func loadCatalog(ctx context.Context, cfg Config, env Env) (*sim.Catalog, *understand.Ear, error) {
	cat, err := yaml.Load(ctx, personas.FS(), cfg.Personas.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("load personas: %w", err)
	}
	ear, err := understand.New()
	if err != nil {
		return nil, nil, err
	}
	if err := lintCatalog(ear, cat, func(w string) { fmt.Fprintln(env.Stderr, "callsim: warning:", w) }); err != nil {
		return nil, nil, fmt.Errorf("load personas: %w", err)
	}
	return cat, ear, nil
}

// lintCatalog runs the ear's keyword check over every persona.
func lintCatalog(ear *understand.Ear, cat *sim.Catalog, warn func(string)) error {
	for _, id := range cat.PersonaIDs() {
		ws, err := ear.Lint(cat.Personas[id])
		if err != nil {
			return err
		}
		for _, w := range ws {
			warn(w)
		}
	}
	return nil
}

// newDeal starts a deal with a persona of the catalog.
func newDeal(cat *sim.Catalog, ear *understand.Ear, cfg Config, id string, seed int64, lang sim.Lang) (*sim.Deal, error) {
	p, sc, err := cat.Persona(id)
	if err != nil {
		return nil, fmt.Errorf("%s (known: %s)", sim.ErrorMessage(err), strings.Join(cat.PersonaIDs(), ", "))
	}
	if lang == "" || lang == sim.LangAuto {
		lang = p.Languages[0]
	}
	return sim.NewDeal(ear, p, sc, sim.DealConfig{Seed: seed, Lang: lang, Rules: cfg.Rules(), Weights: cfg.Weights()})
}

// customerLang parses the --lang of a deal: zh, en, or "" for the
// persona's first language.
func customerLang(cmd, s string) (sim.Lang, error) {
	if s == "" {
		return "", nil
	}
	l, err := sim.ParseLang(s, false)
	if err != nil {
		return "", fmt.Errorf("%s: --lang: %s: %w", cmd, sim.ErrorMessage(err), errUsage)
	}
	return l, nil
}

// personaJSON is one persona as `callsim personas --json` prints it.
type personaJSON struct {
	ID         string          `json:"id"`
	Scenario   string          `json:"scenario"`
	Languages  []sim.Lang      `json:"languages"`
	Difficulty string          `json:"difficulty"`
	Profile    sim.Profile     `json:"profile"`
	Hidden     sim.Hidden      `json:"hidden"`
	Objections []sim.Objection `json:"objections"`
	Source     string          `json:"source"`
}

// runPersonas lists the personas. The table is what a trainee reads before
// practising, so it shows only the public profile; --reveal adds the
// hidden urgency and motive, for coaches and persona writers. --json is
// for tools and always holds everything, hidden state included.
func runPersonas(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("personas", flag.ContinueOnError)
	cfgPath := configFlags(fset)
	fset.String("personas", "", "directory of extra persona files")
	reveal := fset.Bool("reveal", false, "show each customer's hidden urgency and whether it has a motive (spoils the practice)")
	asJSON := fset.Bool("json", false, "print every persona as JSON, hidden state included")
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("personas: unexpected argument %q: %w", fset.Arg(0), errUsage)
	}
	cfg, err := loadConfig(fset, *cfgPath, env)
	if err != nil {
		return err
	}
	cat, _, err := loadCatalog(ctx, cfg, env)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]personaJSON, 0, len(cat.Personas))
		for _, id := range cat.PersonaIDs() {
			p := cat.Personas[id]
			out = append(out, personaJSON{p.ID, p.Scenario, p.Languages, p.Difficulty, p.Profile, p.Hidden, p.Objections, p.Source})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	head := []string{"ID", "SCENARIO", "DIFFICULTY", "LANGS", "NAME", "ROLE"}
	if *reveal {
		head = append(head, "URGENCY", "MOTIVE")
	}
	rows := [][]string{head}
	for _, id := range cat.PersonaIDs() {
		p := cat.Personas[id]
		langs := make([]string, len(p.Languages))
		for i, l := range p.Languages {
			langs[i] = string(l)
		}
		row := []string{p.ID, p.Scenario, dash(p.Difficulty), strings.Join(langs, ","),
			p.Profile.Name.In(sim.LangEN), p.Profile.Role.In(sim.LangEN) + ", " + p.Profile.Company.In(sim.LangEN)}
		if *reveal {
			motive := "yes"
			if !p.Hidden.HasMotive() {
				motive = "no"
			}
			row = append(row, string(p.Hidden.Urgency), motive)
		}
		rows = append(rows, row)
	}
	return writeTable(env.Stdout, rows)
}

// runClassify reads trainee lines on stdin and writes what each does, one
// output line per input line: by default tab-separated LANG, ACTS
// (comma-separated) and TEXT; with --json the public contract, a JSON
// object {"text","lang","acts"} per line.
func runClassify(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("classify", flag.ContinueOnError)
	langFlag := fset.String("lang", "auto", "language of the lines: auto, zh or en")
	asJSON := fset.Bool("json", false, `print one JSON object per line, {"text":…,"lang":…,"acts":[…]}, instead of LANG<tab>ACTS<tab>TEXT`)
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("classify: reads lines from stdin, unexpected argument %q: %w", fset.Arg(0), errUsage)
	}
	lang, err := sim.ParseLang(*langFlag, true)
	if err != nil {
		return fmt.Errorf("classify: --lang: %s: %w", sim.ErrorMessage(err), errUsage)
	}
	ear, err := understand.New()
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	in := bufio.NewScanner(env.Stdin)
	in.Buffer(make([]byte, 0, 64<<10), sim.MaxScriptLine)
	w := bufio.NewWriter(env.Stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := ear.Understand(strings.TrimRight(in.Text(), "\r"), lang)
		if *asJSON {
			if err := enc.Encode(struct {
				Text string    `json:"text"`
				Lang sim.Lang  `json:"lang"`
				Acts []sim.Act `json:"acts"`
			}{a.Text, a.Lang, a.Acts}); err != nil {
				return fmt.Errorf("classify: %w", err)
			}
			continue
		}
		acts := make([]string, len(a.Acts))
		for i, x := range a.Acts {
			acts[i] = string(x)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", a.Lang, strings.Join(acts, ","), a.Text)
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("classify: read stdin: %w", err)
	}
	return w.Flush()
}

func runReplay(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("replay", flag.ContinueOnError)
	cfgPath := configFlags(fset)
	fset.String("personas", "", "directory of extra persona files")
	persona := fset.String("persona", "", "persona id (see callsim personas)")
	seed := fset.Int64("seed", 1, "seed that picks the customer's line variants")
	langFlag := fset.String("lang", "", "language of the customer: zh or en (default: the persona's first)")
	asJSON := fset.Bool("json", false, "print the deal scorecard as JSON")
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if *persona == "" {
		return fmt.Errorf("replay: --persona is required: %w", errUsage)
	}
	if fset.NArg() != 1 {
		return fmt.Errorf("replay: give exactly one SCRIPT file (- for stdin): %w", errUsage)
	}
	lang, err := customerLang("replay", *langFlag)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(fset, *cfgPath, env)
	if err != nil {
		return err
	}
	in := env.Stdin
	if name := fset.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		defer f.Close()
		in = f
	}
	script, err := sim.ParseScript(in)
	if err != nil {
		return fmt.Errorf("replay: %s: %w", fset.Arg(0), err)
	}
	cat, ear, err := loadCatalog(ctx, cfg, env)
	if err != nil {
		return err
	}
	d, err := newDeal(cat, ear, cfg, *persona, *seed, lang)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if err := d.Play(script); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	sc := d.Scorecard()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(sc)
	}
	return writeScorecard(env.Stdout, sc, d.Persona(), true)
}

func runVersion(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("version: unexpected argument %q: %w", fset.Arg(0), errUsage)
	}
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(env.Stdout, "callsim %s (engine %s)\n", v, sim.EngineVersion)
	return nil
}
