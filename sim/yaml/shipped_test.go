package yaml_test

import (
	"context"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	simyaml "github.com/callsim/callsim/sim/yaml"
)

// MustLoadShipped loads the personas callsim ships with or fails the test.
func MustLoadShipped(tb testing.TB) *sim.Catalog {
	tb.Helper()
	c, err := simyaml.Load(context.Background(), personas.FS(), "")
	if err != nil {
		tb.Fatalf("Load(shipped) = %v; want no error", err)
	}
	return c
}

var bothLangs = []sim.Lang{sim.LangZH, sim.LangEN}

func TestShippedScenarios(t *testing.T) {
	c := MustLoadShipped(t)
	if len(c.Scenarios) < 3 {
		t.Fatalf("%d scenarios; want at least 3", len(c.Scenarios))
	}
	noDiscovery := 0
	for id, sc := range c.Scenarios {
		if !sc.Discovery {
			noDiscovery++
		}
		for _, l := range bothLangs {
			for field, text := range map[string]sim.Text{"name": sc.Name, "product": sc.Product, "description": sc.Description} {
				if text[l] == "" {
					t.Errorf("%s: %s.%s is empty", id, field, l)
				}
			}
			for _, m := range sim.Milestones {
				if sc.Milestones[m].Label[l] == "" {
					t.Errorf("%s: milestones.%s.label.%s is empty", id, m, l)
				}
			}
			// Default lines cover every situation, so a persona only writes
			// what shows its character.
			for _, sit := range sim.Situations {
				if n := len(sc.Lines[sit][l]); n < sim.MinVariants {
					t.Errorf("%s: lines.%s.%s has %d variants; want at least %d", id, sit, l, n, sim.MinVariants)
				}
			}
		}
	}
	if noDiscovery == 0 {
		t.Error("no scenario without discovery; want a simple product among them")
	}

	st := c.Scenarios["sales-training"]
	if st == nil {
		t.Fatal("scenario sales-training (the lecture's example) is missing")
	}
	want := map[string]string{
		"need.zh": "同意做调研并提交方案", "need.en": "Agrees to a needs survey and to receive a proposal",
		"offer.zh": "认可方案", "offer.en": "Accepts the proposal",
		"deal.zh": "价格和时间没有问题", "deal.en": "Price and time OK",
	}
	for k, w := range want {
		m, l, _ := strings.Cut(k, ".")
		if got := st.Milestones[sim.Milestone(m)].Label[sim.Lang(l)]; got != w {
			t.Errorf("sales-training milestones.%s.label.%s = %q; want %q", m, l, got, w)
		}
	}
	if s := st.Milestones[sim.MilestoneOffer].Steps; len(s) != 1 || s[0][sim.LangZH] != "确认可以执行" || s[0][sim.LangEN] != "Confirms it can go ahead" {
		t.Errorf("sales-training offer steps = %v; want [确认可以执行 / Confirms it can go ahead]", s)
	}
	if !st.Discovery || st.ListPrice != 29800 || st.MaxDiscount != 0.15 || st.Currency != "CNY" {
		t.Errorf("sales-training = discovery %v, %g %s, max discount %g; want true, 29800 CNY, 0.15", st.Discovery, st.ListPrice, st.Currency, st.MaxDiscount)
	}
}

// floor is the lowest price the company allows for a scenario.
func floor(sc *sim.Scenario) float64 { return sc.ListPrice * (1 - sc.MaxDiscount) }

func TestShippedPersonas(t *testing.T) {
	c := MustLoadShipped(t)
	if len(c.Personas) < 9 {
		t.Errorf("%d personas; want at least 9", len(c.Personas))
	}
	urgencies := map[sim.Urgency]int{}
	kinds := map[string]int{}
	var noMotive, askBoss, concession, outOfReach int
	for _, id := range c.PersonaIDs() {
		p, sc, _ := c.Persona(id)
		h := p.Hidden
		urgencies[h.Urgency]++
		if !slices.Equal(p.Languages, bothLangs) {
			t.Errorf("%s: languages = %v; want [zh en]", id, p.Languages)
		}
		for _, l := range bothLangs {
			pr := p.Profile
			if pr.Name[l] == "" || pr.Role[l] == "" || pr.Company[l] == "" || pr.Summary[l] == "" || h.SurfaceNeed[l] == "" {
				t.Errorf("%s: profile or surface need incomplete in %s", id, l)
			}
		}
		own := []sim.Situation{sim.SitPickup, sim.SitSituation, sim.SitProblem, sim.SitHint}
		if h.HasMotive() {
			own = append(own, sim.SitMotive)
			for _, l := range bothLangs {
				if len(h.NeedKeywords[l]) == 0 {
					t.Errorf("%s: hidden.need_keywords.%s is empty", id, l)
				}
				if len(h.MotiveFacts[l]) == 0 {
					t.Errorf("%s: hidden.motive_facts.%s is empty: nothing guards the motive", id, l)
				}
				// A motive fact that the motive never says guards nothing.
				said := strings.ToLower(h.Motive[l] + " " + strings.Join(p.Lines[sim.SitMotive][l], " "))
				for _, f := range h.MotiveFacts[l] {
					if !strings.Contains(said, strings.ToLower(f)) {
						t.Errorf("%s: motive fact %q appears in neither hidden.motive.%s nor lines.motive.%s", id, f, l, l)
					}
				}
			}
		} else {
			noMotive++
			own = append(own, sim.SitNoNeed, sim.SitDecline)
			if h.Urgency != sim.UrgencyLow {
				t.Errorf("%s: no motive but urgency %s", id, h.Urgency)
			}
		}
		for _, sit := range own {
			for _, l := range bothLangs {
				if n := len(p.Lines[sit][l]); n < sim.MinVariants {
					t.Errorf("%s: own lines.%s.%s has %d variants; want at least %d", id, sit, l, n, sim.MinVariants)
				}
			}
		}
		hasAuthority := false
		for _, o := range p.Objections {
			kinds[o.Kind]++
			if len(o.Lines[sim.LangZH]) < 2 || len(o.Resolved[sim.LangEN]) < 2 || len(o.Lines[sim.LangEN]) < 2 || len(o.Resolved[sim.LangZH]) < 2 {
				t.Errorf("%s: objection %s has fewer than 2 variants of its lines", id, o.ID)
			}
			if o.Kind == "authority" && (o.At == sim.PhaseDeal || o.At == sim.PhaseOffer) && slices.Contains(o.ResolvedBy, sim.ActNextStep) &&
				slices.ContainsFunc(o.Keywords[sim.LangZH], isBossWord) && slices.ContainsFunc(o.Keywords[sim.LangEN], isBossWord) {
				hasAuthority = true
			}
		}
		if !h.DecidesAlone {
			askBoss++
			if !hasAuthority {
				t.Errorf("%s: does not decide alone but has no authority objection (at offer or deal) resolved by next_step with boss keywords", id)
			}
		}
		if h.Urgency == sim.UrgencyHigh && h.MaxBudget <= h.Budget {
			t.Errorf("%s: urgent persona with max_budget %g <= budget %g; want it to pay more", id, h.MaxBudget, h.Budget)
		}
		if h.HasMotive() {
			switch {
			case h.MaxBudget < floor(sc):
				outOfReach++
			case h.Budget < sc.ListPrice:
				concession++
			}
		}
	}
	for _, u := range []sim.Urgency{sim.UrgencyLow, sim.UrgencyMedium, sim.UrgencyHigh} {
		if urgencies[u] == 0 {
			t.Errorf("no persona with %s urgency", u)
		}
	}
	for _, k := range []string{"price", "timing", "supplier", "trust", "authority"} {
		if kinds[k] == 0 {
			t.Errorf("no persona with a %s objection", k)
		}
	}
	if noMotive == 0 {
		t.Error("no persona without a motive (not a fit)")
	}
	if askBoss == 0 {
		t.Error("no persona who must ask the boss")
	}
	if concession == 0 || outOfReach == 0 {
		t.Errorf("%d personas need a concession, %d cannot be reached at all; want some of each", concession, outOfReach)
	}
}

func isBossWord(w string) bool {
	return slices.Contains([]string{"boss", "老板", "领导", "meeting", "开会"}, strings.ToLower(w))
}

// spoken returns every line the persona may say outside its motive lines,
// each labelled with where it comes from.
func spoken(p *sim.Persona, sc *sim.Scenario, l sim.Lang) map[string]string {
	out := map[string]string{}
	for _, sit := range sim.Situations {
		if sit == sim.SitMotive {
			continue
		}
		for i, s := range p.LinesFor(sc, sit, l) {
			out["lines."+string(sit)+"."+string(l)+"["+strconv.Itoa(i)+"]"] = s
		}
	}
	for i, o := range p.Objections {
		for j, s := range o.Lines[l] {
			out["objections["+strconv.Itoa(i)+"].lines."+string(l)+"["+strconv.Itoa(j)+"]"] = s
		}
		for j, s := range o.Resolved[l] {
			out["objections["+strconv.Itoa(i)+"].resolved."+string(l)+"["+strconv.Itoa(j)+"]"] = s
		}
	}
	pr := p.Profile
	out["profile.summary."+string(l)] = pr.Summary[l]
	out["profile.company."+string(l)] = pr.Company[l]
	out["hidden.surface_need."+string(l)] = p.Hidden.SurfaceNeed[l]
	return out
}

var reNumber = regexp.MustCompile(`\d+(?:[.,]\d+)*`)

// numbers returns the numbers written in digits in s, without separators.
func numbers(s string) []string {
	var out []string
	for _, n := range reNumber.FindAllString(s, -1) {
		out = append(out, strings.ReplaceAll(n, ",", ""))
	}
	return out
}

// budgetForms returns the ways a line could write a budget figure.
func budgetForms(v float64) []string {
	n := strconv.FormatFloat(v, 'f', -1, 64)
	forms := []string{n}
	if v >= 10000 {
		wan := strconv.FormatFloat(v/10000, 'f', -1, 64)
		forms = append(forms, wan+"万", wan+" 万")
	}
	return forms
}

// TestShippedSecrets checks that only the motive lines reveal the motive
// and that no line names the budget. The persona's own motive_facts are
// enforced by sim.Persona.Validate when loading; this test adds what can
// be found without the author's help: every number in the motive text.
func TestShippedSecrets(t *testing.T) {
	c := MustLoadShipped(t)
	for _, id := range c.PersonaIDs() {
		p, sc, _ := c.Persona(id)
		h := p.Hidden
		var secret []string
		for _, l := range bothLangs {
			secret = append(secret, numbers(h.Motive[l])...)
			for _, s := range p.Lines[sim.SitMotive][l] {
				secret = append(secret, numbers(s)...)
			}
		}
		for _, l := range bothLangs {
			for where, s := range spoken(p, sc, l) {
				for _, n := range numbers(s) {
					if slices.Contains(secret, n) {
						t.Errorf("%s: %s = %q says %s, a number from the motive", id, where, s, n)
					}
				}
			}
			all := spoken(p, sc, l)
			for i, s := range p.LinesFor(sc, sim.SitMotive, l) {
				all["lines.motive."+string(l)+"["+strconv.Itoa(i)+"]"] = s
			}
			for where, s := range all {
				for _, v := range []float64{h.Budget, h.MaxBudget} {
					for _, f := range budgetForms(v) {
						if slices.Contains(numbers(s), f) || strings.Contains(s, f) && strings.Contains(f, "万") {
							t.Errorf("%s: %s = %q names the budget figure %s", id, where, s, f)
						}
					}
				}
			}
		}
	}
}

func TestShippedFilesAreNamedByID(t *testing.T) {
	c := MustLoadShipped(t)
	for id, p := range c.Personas {
		if want := "personas/" + id + ".yaml"; p.Source != want {
			t.Errorf("persona %s Source = %q; want %q", id, p.Source, want)
		}
	}
	for id, sc := range c.Scenarios {
		if want := "personas/scenarios/" + id + ".yaml"; sc.Source != want {
			t.Errorf("scenario %s Source = %q; want %q", id, sc.Source, want)
		}
	}
}

// TestReadmeCoversSchema keeps the coach's guide complete: every
// situation and every field a file may hold is explained there.
func TestReadmeCoversSchema(t *testing.T) {
	b, err := fs.ReadFile(personas.FS(), "README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	var words []string
	for _, s := range slices.Concat(sim.Situations, sim.OptionalSituations) {
		words = append(words, string(s))
	}
	words = append(words,
		"id", "scenario", "languages", "difficulty", "profile", "name", "role", "company", "summary",
		"hidden", "urgency", "motive", "surface_need", "budget", "max_budget", "decides_alone",
		"patience", "trust", "need_keywords", "motive_facts", "objections", "kind", "at",
		"resolved_by", "keywords", "lines", "resolved", "product", "description", "list_price",
		"currency", "max_discount", "discovery", "milestones", "label", "steps", "surface_offer_trust",
	)
	for _, a := range sim.Acts {
		words = append(words, string(a))
	}
	for _, w := range words {
		// As code, alone or at the end of a path: `patience`, `hidden.patience`.
		if !regexp.MustCompile("`(?:[a-z_]+\\.)*" + w + "`").MatchString(readme) {
			t.Errorf("personas/README.md does not mention `%s`", w)
		}
	}
}
