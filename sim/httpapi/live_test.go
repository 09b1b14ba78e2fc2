package httpapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
)

// TestWebsocketLimits: a deal over its call limit, and a trainee over the
// deals of an hour, get the documented errors; nothing is stored for them.
func TestWebsocketLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.Limits = live.Limits{CallsPerDeal: 2, DealsPerHour: 2} })
	w := e.login("anna").dial()
	id := w.start("need")
	w.send(map[string]any{"type": "hangup"})
	w.expect("ended")
	w.expect("scorecard")
	w.send(map[string]any{"type": "dial", "goal": "offer"})
	w.expect("call")
	w.send(map[string]any{"type": "hangup"})
	w.expect("ended")
	w.expect("scorecard")
	w.send(map[string]any{"type": "dial", "goal": "offer"})
	w.expectError(live.CodeCallLimit)
	if n := len(e.events(id)); n != 4 {
		t.Errorf("events after the refused dial = %d; want 4", n)
	}
	w.ping() // the connection goes on

	w.start("need") // the second deal of the hour
	w.send(map[string]any{"type": "start", "persona": testPersona, "goal": "need", "lang": "en"})
	w.expectError(live.CodeDealLimit)

	// A coach is not limited.
	c := e.login("coach_n").dial()
	for range 3 {
		c.start("need")
	}
}

// TestCoachScorecardIsRebuilt: turns store only the deal's summary, yet the
// scorecard a coach reads — while the call is live, and after the trainee
// left mid-call — equals the scorecard rebuilt from the stored events.
func TestCoachScorecardIsRebuilt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.login("anna").dial()
	id := w.start("need")
	w.say(lineOpen)
	w.say(lineProblem)
	coach := e.login("coach_n")

	check := func(when string) {
		t.Helper()
		var got struct {
			Scorecard json.RawMessage `json:"scorecard"`
		}
		coach.getJSON("/api/v1/deals/"+id, &got)
		rec, err := e.deals.FindDealByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		p, sc, err := MustCatalog(t).Persona(rec.PersonaID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := sim.NewDeal(e.srv.Ear, p, sc, sim.DealConfig{Seed: rec.Seed, Lang: rec.Lang, Rules: e.srv.Rules, Weights: e.srv.Weights})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range e.events(id) {
			if _, err := d.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
		want, _ := json.Marshal(viewScorecard(e.users["coach_n"], d.Scorecard()))
		if string(got.Scorecard) != string(want) {
			t.Errorf("%s: the coach reads\n%s\nwant the scorecard rebuilt from the events\n%s", when, got.Scorecard, want)
		}
		if rec.ScorecardSeq >= rec.LastSeq {
			t.Errorf("%s: the stored scorecard is of event %d, the last is %d; want the turns to store only the summary", when, rec.ScorecardSeq, rec.LastSeq)
		}
	}
	check("live")
	w.c.Close()
	e.waitNotLive(id)
	check("after the trainee left")
}
