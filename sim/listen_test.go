package sim_test

import (
	"slices"
	"testing"

	. "github.com/callsim/callsim/sim"
)

// The customer listens (issue: understanding): it asks what an unclear line
// means, answers the question asked, does not repeat itself, tells its
// motive only to a caller it knows, and does not agree to nothing.

var listenLines = map[Lang]map[string]string{
	LangEN: {
		"gibberish":  "blorp quandle zibbet florn wug snarf",
		"decider":    "Who makes the final decision on this, who signs off?",
		"intro":      "Hi, I'm Anna from Acme Training, we help sales teams hit their targets.",
		"contract":   "Great, I'll send the contract over this afternoon.",
		"pitch_ask":  "We run two-day courses for phone teams; how do your new reps learn the job today?",
		"situation3": "How long have you been with the company?",
	},
	LangZH: {
		"gibberish":  "哔哩噗噜咕叽呱啦嘟嘟",
		"decider":    "这件事最后是谁拍板，谁签字？",
		"intro":      "您好，我是新锐培训的小李，我们是帮销售团队提升业绩的。",
		"contract":   "好的，我下午就把合同发给您。",
		"pitch_ask":  "我们做两天的电销实战课；你们现在新人是怎么学的？",
		"situation3": "您在公司做了多久了？",
	},
}

func listen(tb testing.TB, d *Deal, lang Lang, name string) Reply {
	tb.Helper()
	l, ok := listenLines[lang][name]
	if !ok {
		return play(tb, d, lang, name)
	}
	r, err := d.Say(l)
	if err != nil {
		tb.Fatalf("Say(%q): %v", l, err)
	}
	return r
}

func TestListening(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/unclear line is asked about and costs nothing", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			play(t, d, lang, "open")
			trust, patience := d.TestTrust(), d.TestPatience()
			r := listen(t, d, lang, "gibberish")
			if r.Situation != SitClarify {
				t.Fatalf("unclear line: situation %q; want %q", r.Situation, SitClarify)
			}
			if d.TestTrust() != trust || d.TestPatience() != patience {
				t.Errorf("unclear line changed trust %d→%d, patience %d→%d; want unchanged", trust, d.TestTrust(), patience, d.TestPatience())
			}
			for _, f := range d.Scorecard().Findings {
				if f.Turn == r.Turn {
					t.Errorf("unclear line made finding %s", f.Code)
				}
			}
		})
		t.Run(string(lang)+"/a question about who decides gets the decider's answer", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			play(t, d, lang, "open")
			if r := listen(t, d, lang, "decider"); r.Situation != SitSituationDecider {
				t.Errorf("who decides: situation %q; want %q", r.Situation, SitSituationDecider)
			}
		})
		t.Run(string(lang)+"/no line said twice while another variant remains", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneNeed)
			play(t, d, lang, "open")
			a := play(t, d, lang, "situation")
			b := play(t, d, lang, "situation2")
			if a.Text == b.Text {
				t.Errorf("two situation answers %q and %q; want different variants", a.Text, b.Text)
			}
		})
		t.Run(string(lang)+"/motive only to a caller who said who they are and why they call", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			if r := play(t, d, lang, "problem"); r.Situation == SitMotive || reached(d, MilestoneNeed) {
				t.Fatalf("problem question from an unknown caller: situation %q; want no motive", r.Situation)
			}
			play(t, d, lang, "open")
			if r := play(t, d, lang, "whynow"); r.Situation != SitMotive {
				t.Errorf("after the opening, why-now: situation %q; want %q", r.Situation, SitMotive)
			}
		})
		t.Run(string(lang)+"/saying what the company does in the greeting is no premature pitch", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneNeed)
			r := listen(t, d, lang, "intro")
			if r.Situation != SitOpeningOK || hasFinding(d.Scorecard(), FindPrematurePitch) {
				t.Errorf("company intro: situation %q, findings %v; want an opening", r.Situation, d.Scorecard().Findings)
			}
		})
		t.Run(string(lang)+"/a short presentation ending in a discovery question is answered as the question", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneNeed)
			play(t, d, lang, "open")
			if r := listen(t, d, lang, "pitch_ask"); !slices.Contains([]Situation{SitSituation, SitSituationProcess, SitSituationTeam, SitProblem, SitLowTrust}, r.Situation) {
				t.Errorf("pitch then question: situation %q; want the question answered", r.Situation)
			}
		})
		t.Run(string(lang)+"/sending the contract before the product is accepted is not agreed to", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem")
			if r := listen(t, d, lang, "contract"); r.Situation != SitNotYet {
				t.Errorf("contract before the offer: situation %q; want %q", r.Situation, SitNotYet)
			}
		})
		t.Run(string(lang)+"/no patience hang-up in the same reply as an acceptance", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneDeal)
			play(t, d, lang, "open", "problem")
			d.TestSetPatience(d.TestRules().TurnCost) // this turn spends the last of it
			r := play(t, d, lang, "pitch")
			if r.Ended {
				t.Errorf("pitch on the need with no patience left: ended with %q; want the acceptance, then one more turn", r.Text)
			}
		})
	}
}
