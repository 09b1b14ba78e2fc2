package sim_test

import (
	"strings"
	"testing"

	. "github.com/callsim/callsim/sim"
)

// The surface offer (DOMAIN section 4): a medium- or low-urgency customer
// that has voiced only its surface need accepts a presentation of it,
// accepts the price, postpones the time — the lecture's diagnosis — and
// agrees the time once the motive is dug out, in the same deal.
func TestSurfaceOffer(t *testing.T) {
	for _, persona := range []string{"fx-medium", "fx-low"} {
		for _, lang := range langs {
			t.Run(persona+"/"+string(lang), func(t *testing.T) {
				d := mustDeal(t, persona, lang, MilestoneDeal)
				play(t, d, lang, "open", "problem")
				if r := play(t, d, lang, "pitch"); r.Situation != SitSurfaceAccept {
					t.Fatalf("pitch of the surface need: situation %q; want %q\n%s", r.Situation, SitSurfaceAccept, dump(d))
				}
				s := d.Scorecard()
				if o := s.Milestones[MilestoneOffer]; !o.Reached || !o.Surface || s.Milestones[MilestoneNeed].Reached {
					t.Fatalf("after a surface offer: offer %+v, need %+v; want the offer reached on the surface need and no need", o, s.Milestones[MilestoneNeed])
				}
				play(t, d, lang, "price")
				if r := play(t, d, lang, "time"); r.Situation != SitTimePostpone {
					t.Fatalf("time without urgency: situation %q; want %q\n%s", r.Situation, SitTimePostpone, dump(d))
				}
				s = d.Scorecard()
				if !s.Commitment.Price || s.Commitment.Time || !hasFinding(s, FindTimeStalled) {
					t.Fatalf("price %v, time %v, findings %v; want price accepted, time postponed and %s", s.Commitment.Price, s.Commitment.Time, s.Findings, FindTimeStalled)
				}
				for _, f := range s.Findings {
					if f.Code == FindTimeStalled && !containsAny(f.Message, "surface", "表面") {
						t.Errorf("finding %q does not point at the surface need", f.Message)
					}
				}

				// The follow-up digs for the motive, then agrees the time.
				d.Hangup()
				if _, err := d.Dial(MilestoneDeal); err != nil {
					t.Fatal(err)
				}
				for _, l := range []string{"whynow", "implication", "problem"} {
					if reached(d, MilestoneNeed) {
						break
					}
					play(t, d, lang, l)
				}
				if !reached(d, MilestoneNeed) {
					t.Fatalf("follow-up with motive and implication questions: need not reached\n%s", dump(d))
				}
				if r := play(t, d, lang, "time"); r.Situation != SitDealDone && r.Situation != SitTimeAccept {
					t.Fatalf("time after the motive: situation %q; want the time agreed\n%s", r.Situation, dump(d))
				}
				s = d.Scorecard()
				if !s.Milestones[MilestoneDeal].Reached || s.Milestones[MilestoneOffer].Surface {
					t.Errorf("deal %v, offer surface %v; want the deal, on the need", s.Milestones[MilestoneDeal].Reached, s.Milestones[MilestoneOffer].Surface)
				}
				// Turns to a milestone count over the calls before it.
				call1 := s.CallsDetail[0].Turns
				if o := s.Milestones[MilestoneOffer]; o.Call != 1 || o.TurnsTo != o.Turn {
					t.Errorf("offer in call %d at turn %d: turns_to %d; want %d", o.Call, o.Turn, o.TurnsTo, o.Turn)
				}
				for _, m := range []Milestone{MilestoneNeed, MilestoneDeal} {
					if r := s.Milestones[m]; r.Call != 2 || r.TurnsTo != call1+r.Turn {
						t.Errorf("%s in call %d at turn %d: turns_to %d; want %d (+%d turns of call 1)", m, r.Call, r.Turn, r.TurnsTo, call1+r.Turn, call1)
					}
				}
			})
		}
	}
}

// No surface offer from a high-urgency customer, nor from one that has
// not said what it wants at all.
func TestNoSurfaceOffer(t *testing.T) {
	for _, lang := range langs {
		t.Run(string(lang)+"/nothing voiced", func(t *testing.T) {
			d := mustDeal(t, "fx-medium", lang, MilestoneOffer)
			play(t, d, lang, "open")
			if r := play(t, d, lang, "pitch"); r.Situation != SitSurfaceRejection {
				t.Errorf("pitch before the customer said anything: situation %q; want %q", r.Situation, SitSurfaceRejection)
			}
		})
		t.Run(string(lang)+"/high urgency", func(t *testing.T) {
			d := mustDeal(t, "fx-high", lang, MilestoneOffer)
			play(t, d, lang, "open", "situation")
			if r := play(t, d, lang, "pitch"); r.Situation != SitSurfaceRejection || reached(d, MilestoneOffer) {
				t.Errorf("high urgency, pitch before the need: situation %q; want %q and no offer", r.Situation, SitSurfaceRejection)
			}
		})
	}
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
