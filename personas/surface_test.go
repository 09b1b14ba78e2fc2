package personas_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestSurfaceOfferPersonas plays testdata/surface/<persona>.<lang>.txt: for
// every medium- and low-urgency shipped customer of the discovery
// scenarios, in both languages, a deal that shows the lecture's diagnosis
// (DOMAIN section 4). Call 1 answers only the surface need: the customer
// accepts the presentation on it, accepts a price, postpones the time and
// the scorecard says why; call 2 digs for the motive, reaches the need and
// agrees the time.
func TestSurfaceOfferPersonas(t *testing.T) {
	env := loadPlayEnv(t)
	for _, id := range env.cat.PersonaIDs() {
		p, sc, _ := env.cat.Persona(id)
		if !sc.Discovery || !p.Hidden.HasMotive() || p.Hidden.Urgency == sim.UrgencyHigh {
			continue
		}
		for _, lang := range p.Languages {
			file := filepath.Join("testdata", "surface", id+"."+string(lang)+".txt")
			t.Run(id+"/"+string(lang), func(t *testing.T) {
				s := env.play(t, playCase{persona: id, lang: lang, kind: "surface", path: file})
				surfaceAt, postponeAt, motiveAt := -1, -1, -1
				for i, tt := range s.Transcript {
					switch {
					case tt.Situation == sim.SitSurfaceAccept && surfaceAt < 0:
						surfaceAt = i
					case tt.Situation == sim.SitTimePostpone && postponeAt < 0:
						postponeAt = i
					case slices.Contains(tt.Milestones, sim.MilestoneNeed):
						motiveAt = i
					}
				}
				switch {
				case surfaceAt < 0 || motiveAt >= 0 && surfaceAt > motiveAt:
					t.Errorf("no acceptance on the surface need before the motive")
				case postponeAt < 0 || motiveAt >= 0 && postponeAt > motiveAt:
					t.Errorf("the time was not postponed before the motive was dug")
				case !slices.ContainsFunc(s.Findings, func(f sim.Finding) bool {
					return f.Code == sim.FindTimeStalled && (strings.Contains(f.Message, "surface") || strings.Contains(f.Message, "表面"))
				}):
					t.Errorf("no %s finding pointing at the surface need", sim.FindTimeStalled)
				case motiveAt < 0 || !s.Milestones[sim.MilestoneNeed].Reached:
					t.Errorf("the follow-up did not reach the need")
				case !s.Commitment.Price || !s.Commitment.Time || !s.Milestones[sim.MilestoneDeal].Reached:
					t.Errorf("price %v, time %v, deal %v; want the deal once the motive is voiced", s.Commitment.Price, s.Commitment.Time, s.Milestones[sim.MilestoneDeal].Reached)
				case s.Milestones[sim.MilestoneOffer].Surface:
					t.Errorf("the offer still rests on the surface need after the motive")
				}
				if t.Failed() {
					t.Logf("%s\n%s", file, describe(s))
				}
			})
		}
	}
}
