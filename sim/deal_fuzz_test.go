package sim_test

import (
	"strings"
	"testing"

	. "github.com/callsim/callsim/sim"
)

// FuzzDeal plays arbitrary trainee lines (split on "|", "---" dials a
// follow-up) against every fixture persona and checks the engine's
// invariants: no panic, replies for every live turn, milestones only in
// order, the deal only with price and time, the motive never voiced by a
// persona without one, and the same result twice.
func FuzzDeal(f *testing.F) {
	for _, lang := range langs {
		l := lines[lang]
		f.Add(strings.Join([]string{l["open"], l["problem"], l["whynow"], l["pitch"], l["case"], l["price"], l["time"], l["boss"], l["close"]}, "|"))
		f.Add(strings.Join([]string{l["pitch"], l["pressure"], "---", l["open"], l["implication"], l["price_low"], l["time"]}, "|"))
	}
	f.Add("|||---|---||")
	cat := fixtureCatalog(f)
	cls := testEar()
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 600 {
			return
		}
		for _, id := range cat.PersonaIDs() {
			p, sc, _ := cat.Persona(id)
			play := func() *Scorecard {
				d, err := NewDeal(cls, p, sc, DealConfig{Seed: 5, Lang: LangEN, Rules: DefaultRules(), Weights: DefaultWeights()})
				if err != nil {
					t.Fatal(err)
				}
				d.Dial(MilestoneNeed)
				for _, line := range strings.Split(in, "|") {
					if line == "---" {
						if d.InCall() {
							d.Hangup()
						}
						if _, err := d.Dial(d.NextGoal()); err != nil {
							t.Fatalf("dial: %v", err)
						}
						continue
					}
					if !d.InCall() {
						continue
					}
					r, err := d.Say(line)
					if strings.TrimSpace(line) == "" {
						if err == nil {
							t.Fatalf("Say(%q) accepted an empty line", line)
						}
						continue
					}
					if err != nil {
						t.Fatalf("Say(%q): %v", line, err)
					}
					if r.Text == "" && !(r.Ended && r.EndedBy == EndedByLimit) {
						t.Fatalf("Say(%q): no reply (situation %q)", line, r.Situation)
					}
				}
				d.Finish()
				return d.Scorecard()
			}
			s := play()
			m := s.Milestones
			if m[MilestoneDeal].Reached && (!s.Commitment.Price || !s.Commitment.Time) {
				t.Fatalf("%s: deal without price and time: %+v", id, s.Commitment)
			}
			// The deal only after the need; an offer may precede the need
			// only as an offer on the surface need.
			needOK := !m[MilestoneNeed].Required || m[MilestoneNeed].Reached
			if m[MilestoneDeal].Reached && (!m[MilestoneOffer].Reached || !needOK) ||
				m[MilestoneOffer].Reached && !needOK && !m[MilestoneOffer].Surface ||
				m[MilestoneOffer].Surface && needOK {
				t.Fatalf("%s: milestones out of order: %+v %+v %+v", id, m[MilestoneNeed], m[MilestoneOffer], m[MilestoneDeal])
			}
			if !p.Hidden.HasMotive() && (m[MilestoneNeed].Reached || s.Commitment.Price || s.Commitment.Time) {
				t.Fatalf("%s: a persona without a motive was talked into something", id)
			}
			if s.Score < 0 || s.Score > 100 {
				t.Fatalf("%s: score %d", id, s.Score)
			}
			// The scorecard never contradicts itself: the breakdown adds up
			// to the score, and the deductions to the findings' points.
			sum, ded, pts := 0, 0, 0
			for _, b := range s.Breakdown {
				sum += b.Points
				if b.Item == "penalties" {
					ded = b.Points
				}
			}
			for _, f := range s.Findings {
				pts += f.Points
			}
			if sum != s.Score || ded != pts {
				t.Fatalf("%s: breakdown adds up to %d, score %d; deductions %d, findings %d", id, sum, s.Score, ded, pts)
			}
			for _, c := range s.CallsDetail {
				if c.StagesInOrder && (len(c.Stages) == 0 || c.Stages[0] != StageOpening) {
					t.Fatalf("%s: call %d stages %v said to be in order", id, c.Call, c.Stages)
				}
			}
			if again := play(); again.Score != s.Score || again.Outcome != s.Outcome || len(again.Transcript) != len(s.Transcript) {
				t.Fatalf("%s: not deterministic", id)
			}
		}
	})
}
