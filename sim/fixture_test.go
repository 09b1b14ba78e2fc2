package sim_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	. "github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/understand"
)

// The fixtures below are small personas whose lines name their situation,
// so tests read what the engine decided rather than what a writer wrote.

func fixtureLines() map[Situation]Lines {
	m := map[Situation]Lines{}
	for _, s := range append(slices.Clone(Situations), SitSurfaceAccept) {
		m[s] = Lines{
			LangEN: {"[" + string(s) + " 1]", "[" + string(s) + " 2]"},
			LangZH: {"【" + string(s) + "一】", "【" + string(s) + "二】"},
		}
	}
	return m
}

func fixtureScenario(id string, discovery bool) *Scenario {
	return &Scenario{
		ID: id, Name: Text{LangEN: id, LangZH: id}, Product: Text{LangEN: "course", LangZH: "课程"},
		ListPrice: 10000, Currency: "CNY", MaxDiscount: 0.2, Discovery: discovery,
		Milestones: map[Milestone]MilestoneLabel{
			MilestoneNeed:  {Label: Text{LangEN: "Agrees to a needs survey", LangZH: "同意做调研"}},
			MilestoneOffer: {Label: Text{LangEN: "Accepts the proposal", LangZH: "认可方案"}},
			MilestoneDeal:  {Label: Text{LangEN: "Price and time OK", LangZH: "价格和时间没问题"}},
		},
		Lines:  fixtureLines(),
		Source: id + ".yaml",
	}
}

type fixtureOpt func(*Persona)

func fixturePersona(id, scenario string, u Urgency, opts ...fixtureOpt) *Persona {
	p := &Persona{
		ID: id, Scenario: scenario, Languages: []Lang{LangZH, LangEN}, Difficulty: "medium",
		Profile: Profile{Name: Text{LangEN: "Pat", LangZH: "小王"}, Summary: Text{LangEN: "A buyer", LangZH: "一位买家"}},
		Hidden: Hidden{
			Urgency:     u,
			Motive:      Text{LangEN: "the boss wants results next month", LangZH: "老板要求下个月见效"},
			SurfaceNeed: Text{LangEN: "looking at training", LangZH: "看看培训"},
			Budget:      9000, MaxBudget: 11000, DecidesAlone: true, Patience: 12, Trust: 40,
			NeedKeywords: Words{LangEN: {"target", "results"}, LangZH: {"目标", "业绩"}},
		},
		Lines: map[Situation]Lines{
			SitMotive: {LangEN: {"[motive 1] MOTIVE", "[motive 2] MOTIVE"}, LangZH: {"【motive一】动机", "【motive二】动机"}},
		},
		Source: id + ".yaml",
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func noMotive(p *Persona) { p.Hidden.Motive = nil }

// withLines gives the persona n lines of its own for sit, named like the
// scenario's: "[own_view 1]", "【own_view一】".
func withLines(sit Situation, n int) fixtureOpt {
	return func(p *Persona) {
		l := Lines{}
		for i := range n {
			l[LangEN] = append(l[LangEN], fmt.Sprintf("[%s %d]", sit, i+1))
			l[LangZH] = append(l[LangZH], fmt.Sprintf("【%s%s】", sit, []string{"一", "二", "三"}[i]))
		}
		p.Lines[sit] = l
	}
}

func withObjection(id, kind string, at ObjectionPhase, acts []Act, kw Words) fixtureOpt {
	return func(p *Persona) {
		p.Objections = append(p.Objections, Objection{
			ID: id, Kind: kind, At: at, ResolvedBy: acts, Keywords: kw,
			Lines:    Lines{LangEN: {"[objection " + id + "]"}, LangZH: {"【异议" + id + "】"}},
			Resolved: Lines{LangEN: {"[resolved " + id + "]"}, LangZH: {"【解决" + id + "】"}},
		})
	}
}

func fixtureCatalog(tb testing.TB) *Catalog {
	tb.Helper()
	course, simple := fixtureScenario("fx-course", true), fixtureScenario("fx-simple", false)
	simple.ListPrice = 500
	ps := []*Persona{
		fixturePersona("fx-high", "fx-course", UrgencyHigh),
		fixturePersona("fx-medium", "fx-course", UrgencyMedium),
		fixturePersona("fx-low", "fx-course", UrgencyLow),
		fixturePersona("fx-nofit", "fx-course", UrgencyLow, noMotive),
		fixturePersona("fx-objections", "fx-course", UrgencyHigh,
			withObjection("past", "trust", PhaseOffer, []Act{ActHandleObjection}, Words{LangEN: {"case", "guarantee"}, LangZH: {"案例", "保证"}}),
			withObjection("boss", "authority", PhaseDeal, []Act{ActNextStep}, Words{LangEN: {"boss", "manager"}, LangZH: {"老板", "领导"}}),
			func(p *Persona) { p.Hidden.DecidesAlone = false }),
		fixturePersona("fx-simple-low", "fx-simple", UrgencyLow, func(p *Persona) {
			p.Hidden.Budget, p.Hidden.MaxBudget = 450, 500
		}),
		fixturePersona("fx-gatekeeper", "fx-simple", UrgencyLow,
			withObjection("owner", "authority", PhaseOffer, []Act{ActNextStep}, Words{LangEN: {"boss", "owner"}, LangZH: {"老板", "领导"}}),
			func(p *Persona) { p.Hidden.Budget, p.Hidden.MaxBudget, p.Hidden.DecidesAlone = 450, 500, false }),
		fixturePersona("fx-gatekeeper-view", "fx-simple", UrgencyLow,
			withObjection("owner", "authority", PhaseOffer, []Act{ActNextStep}, Words{LangEN: {"boss", "owner"}, LangZH: {"老板", "领导"}}),
			withLines(SitOwnView, 2), withLines(SitSituationVolume, 1),
			func(p *Persona) { p.Hidden.Budget, p.Hidden.MaxBudget, p.Hidden.DecidesAlone = 450, 500, false }),
		fixturePersona("fx-high-volume", "fx-course", UrgencyHigh, withLines(SitSituationVolume, 1)),
		fixturePersona("fx-high-seen", "fx-course", UrgencyHigh, withLines(SitFollowupSeen, 2)),
		fixturePersona("fx-rota", "fx-course", UrgencyHigh,
			withObjection("rota", "timing", PhaseDeal, []Act{ActProposeTime}, Words{LangEN: {"weekend"}, LangZH: {"周末"}})),
	}
	c, err := NewCatalog([]*Scenario{course, simple}, ps)
	if err != nil {
		tb.Fatalf("fixture catalog: %v", err)
	}
	return c
}

// testEar is built once: every deal of the tests shares it, as the server's do.
var testEar = sync.OnceValue(understand.MustNew)

// mustDeal starts a deal with a fixture persona and dials the first call.
func mustDeal(tb testing.TB, persona string, lang Lang, goal Milestone) *Deal {
	tb.Helper()
	d := newFixtureDeal(tb, persona, lang)
	if _, err := d.Dial(goal); err != nil {
		tb.Fatalf("Dial: %v", err)
	}
	return d
}

// newFixtureDeal starts a deal with a fixture persona, not yet dialled.
func newFixtureDeal(tb testing.TB, persona string, lang Lang) *Deal {
	tb.Helper()
	cat := fixtureCatalog(tb)
	p, sc, err := cat.Persona(persona)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := NewDeal(testEar(), p, sc, DealConfig{Seed: 7, Lang: lang, Rules: DefaultRules(), Weights: DefaultWeights()})
	if err != nil {
		tb.Fatalf("NewDeal: %v", err)
	}
	return d
}

// mustSay plays lines and returns the last reply.
func mustSay(tb testing.TB, d *Deal, lines ...string) Reply {
	tb.Helper()
	var r Reply
	for _, l := range lines {
		var err error
		r, err = d.Say(l)
		if err != nil {
			tb.Fatalf("Say(%q): %v", l, err)
		}
	}
	return r
}
