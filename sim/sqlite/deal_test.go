package sqlite

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

func TestCreateDeal(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	d := e.MustDeal(t, alice.ID, "p1")
	if !strings.HasPrefix(d.ID, "d_") || len(d.ID) != 28 {
		t.Errorf("deal id %q; want d_ and 26 characters", d.ID)
	}
	if d.Team != "east" || !d.CreatedAt.Equal(t0) || !d.UpdatedAt.Equal(t0) {
		t.Errorf("deal = %+v; want team east from the trainee and times %v", d, t0)
	}
	got, err := e.deals.FindDealByID(ctx, d.ID)
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Errorf("FindDealByID() = %+v, %v; want %+v", got, err, d)
	}
	if d2 := e.MustDeal(t, alice.ID, "p1"); d2.ID == d.ID {
		t.Errorf("two deals got the id %q", d.ID)
	}

	tests := []struct {
		name string
		deal sim.DealRecord
		want string
	}{
		{"explicit team", sim.DealRecord{UserID: alice.ID, PersonaID: "p1", Lang: sim.LangZH, Team: "west"}, ""},
		{"no persona", sim.DealRecord{UserID: alice.ID, Lang: sim.LangEN}, sim.EINVALID},
		{"bad language", sim.DealRecord{UserID: alice.ID, PersonaID: "p1", Lang: "fr"}, sim.EINVALID},
		{"auto language", sim.DealRecord{UserID: alice.ID, PersonaID: "p1", Lang: sim.LangAuto}, sim.EINVALID},
		{"unknown user", sim.DealRecord{UserID: 999, PersonaID: "p1", Lang: sim.LangEN}, sim.ENOTFOUND},
		{"duplicate id", sim.DealRecord{ID: d.ID, UserID: alice.ID, PersonaID: "p1", Lang: sim.LangEN}, sim.ECONFLICT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			deal := tc.deal
			err := e.deals.CreateDeal(ctx, &deal)
			wantCode(t, "CreateDeal", err, tc.want)
			if err == nil && deal.Team != tc.deal.Team {
				t.Errorf("Team = %q; want %q", deal.Team, tc.deal.Team)
			}
		})
	}
	_, err = e.deals.FindDealByID(ctx, "d_nope")
	wantCode(t, "FindDealByID(unknown)", err, sim.ENOTFOUND)
}

func TestAppendEvent(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	d := e.MustDeal(t, alice.ID, "p1")
	sc1 := card(40, 1, 1, nil)
	sc2 := card(65, 1, 2, []sim.Milestone{sim.MilestoneNeed}, "over_probing")
	tests := []struct {
		name  string
		deal  string
		event sim.Event
		card  *sim.Scorecard
		want  string
	}{
		{"dial", d.ID, sim.Event{Seq: 1, Kind: sim.EventDial, Goal: sim.MilestoneNeed}, nil, ""},
		{"same seq again", d.ID, sim.Event{Seq: 1, Kind: sim.EventSay, Text: "x"}, sc1, sim.ECONFLICT},
		{"gap", d.ID, sim.Event{Seq: 3, Kind: sim.EventSay, Text: "x"}, sc1, sim.ECONFLICT},
		{"seq zero", d.ID, sim.Event{Seq: 0, Kind: sim.EventSay}, sc1, sim.EINVALID},
		{"unknown kind", d.ID, sim.Event{Seq: 2, Kind: "shout"}, sc1, sim.EINVALID},
		{"dial without goal", d.ID, sim.Event{Seq: 2, Kind: sim.EventDial}, sc1, sim.EINVALID},
		{"unknown deal", "d_nope", sim.Event{Seq: 1, Kind: sim.EventSay}, sc1, sim.ENOTFOUND},
		{"say", d.ID, sim.Event{Seq: 2, Kind: sim.EventSay, Text: "hello"}, sc1, ""},
		{"say again", d.ID, sim.Event{Seq: 3, Kind: sim.EventSay, Text: "why now?", At: t0.Add(time.Minute)}, sc2, ""},
		{"hangup keeps the scorecard", d.ID, sim.Event{Seq: 4, Kind: sim.EventHangup}, nil, ""},
		{"finish", d.ID, sim.Event{Seq: 5, Kind: sim.EventFinish}, nil, ""},
		{"after finish", d.ID, sim.Event{Seq: 6, Kind: sim.EventSay, Text: "hello?"}, sc2, sim.ECONFLICT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Add(time.Second)
			err := e.deals.AppendEvent(ctx, tc.deal, tc.event, tc.card)
			wantCode(t, "AppendEvent", err, tc.want)
		})
	}

	events, err := e.deals.Events(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i, ev := range events {
		if ev.Seq != i+1 {
			t.Errorf("event %d has seq %d", i, ev.Seq)
		}
		kinds = append(kinds, string(ev.Kind))
	}
	if got := strings.Join(kinds, ","); got != "dial,say,say,hangup,finish" {
		t.Errorf("Events() kinds = %s; want dial,say,say,hangup,finish", got)
	}
	if events[0].Goal != sim.MilestoneNeed || events[2].Text != "why now?" || !events[2].At.Equal(t0.Add(time.Minute)) {
		t.Errorf("Events() = %+v; want the goal, text and time as appended", events)
	}
	if events[1].At.IsZero() {
		t.Errorf("event without At stored a zero time; want now")
	}

	got, err := e.deals.FindDealByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Scorecard, sc2) {
		t.Errorf("stored scorecard = %+v; want the one of the last event that had one, %+v", got.Scorecard, sc2)
	}
	if !got.Over || got.Score != 65 || !got.UpdatedAt.After(got.CreatedAt) {
		t.Errorf("deal = over %v, score %d, updated %v; want over, 65, later than created", got.Over, got.Score, got.UpdatedAt)
	}
	var version, outcome string
	var furthest, calls, turns int
	e.db.db.QueryRow("SELECT engine_version, outcome, furthest, calls, turns FROM deals WHERE id = ?", d.ID).
		Scan(&version, &outcome, &furthest, &calls, &turns)
	if version != "test-1" || outcome != "need" || furthest != 1 || calls != 1 || turns != 2 {
		t.Errorf("denormalised columns = %q %q %d %d %d; want test-1 need 1 1 2", version, outcome, furthest, calls, turns)
	}

	_, err = e.deals.Events(ctx, "d_nope")
	wantCode(t, "Events(unknown)", err, sim.ENOTFOUND)
	fresh := e.MustDeal(t, alice.ID, "p1")
	if evs, err := e.deals.Events(ctx, fresh.ID); err != nil || len(evs) != 0 {
		t.Errorf("Events(new deal) = %v, %v; want none", evs, err)
	}
}

// TestScorecardStoredAsIs stores a scorecard whose numbers do not add up:
// the store keeps it exactly, never recalculating.
func TestScorecardStoredAsIs(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "")
	d := e.MustDeal(t, alice.ID, "p1")
	sc := card(99, 3, 1, []sim.Milestone{sim.MilestoneDeal}, "premature_pitch")
	sc.EngineVersion = "0.0.1-old"
	sc.Breakdown = []sim.ScoreLine{{Item: "milestones", Label: "Milestones", Points: 10, Max: 50}}
	sc.Commitment = sim.Commitment{Price: true, Time: false, Postponed: 2}
	sc.Hidden = &sim.HiddenReveal{Urgency: sim.UrgencyLow, Objections: []sim.RevealedObjection{{ID: "price", Kind: "price", Line: "太贵了", Raised: true}}}
	sc.Transcript = []sim.TranscriptTurn{{Call: 1, Turn: 1, Trainee: "你好", Acts: []sim.Act{sim.ActGreet}, Customer: "喂？"}}
	e.MustPlay(t, d.ID, sc)
	got, err := e.deals.FindDealByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Scorecard, sc) {
		t.Errorf("stored scorecard = %+v; want exactly %+v", got.Scorecard, sc)
	}
	if got.Score != 99 {
		t.Errorf("Score = %d; want the scorecard's 99", got.Score)
	}
}

// TestAppendEventRace has writers race for the same seq: exactly one wins
// each round, the others get ECONFLICT.
func TestAppendEventRace(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "")
	d := e.MustDeal(t, alice.ID, "p1")
	const writers, rounds = 8, 5
	for seq := 1; seq <= rounds; seq++ {
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for w := range writers {
			wg.Go(func() {
				sc := card(w, 1, seq, nil)
				errs[w] = e.deals.AppendEvent(ctx, d.ID, sim.Event{Seq: seq, Kind: sim.EventSay, Text: "writer"}, sc)
			})
		}
		wg.Wait()
		won := 0
		for w, err := range errs {
			switch sim.ErrorCode(err) {
			case "":
				won++
			case sim.ECONFLICT:
			default:
				t.Errorf("round %d writer %d: AppendEvent() = %v; want nil or ECONFLICT", seq, w, err)
			}
		}
		if won != 1 {
			t.Errorf("round %d: %d writers won; want exactly 1", seq, won)
		}
	}
	events, err := e.deals.Events(ctx, d.ID)
	if err != nil || len(events) != rounds {
		t.Errorf("Events() = %d events, %v; want %d", len(events), err, rounds)
	}
}

// TestAppendEventDifferentDeals writes to many deals at once: no writer
// fails for lack of the lock.
func TestAppendEventDifferentDeals(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "")
	var wg sync.WaitGroup
	for range 6 {
		d := e.MustDeal(t, alice.ID, "p1")
		wg.Go(func() {
			for seq := 1; seq <= 10; seq++ {
				if err := e.deals.AppendEvent(ctx, d.ID, sim.Event{Seq: seq, Kind: sim.EventSay, Text: "x"}, card(seq, 1, seq, nil)); err != nil {
					t.Errorf("AppendEvent(%s, %d) = %v", d.ID, seq, err)
					return
				}
				if _, err := e.deals.FindDealByID(ctx, d.ID); err != nil {
					t.Errorf("FindDealByID(%s) = %v", d.ID, err)
				}
			}
		})
	}
	wg.Wait()
}

// seedDeals makes deals for the filter and stats tests:
//
//	alice (east): d1 day 1, p1, deal 90 · d2 day 2, p2, need 40
//	bob (east):   d3 day 2, p1, offer 70, overridden to 20
//	carol (west): d4 day 3, p1, none 10 · d5 day 3, p2, no scorecard
func seedDeals(t *testing.T, e *env) (users map[string]*sim.User, deals []*sim.DealRecord) {
	t.Helper()
	ctx := context.Background()
	users = map[string]*sim.User{
		"coach": e.MustUser(t, "coach", sim.RoleCoach, "east"),
		"alice": e.MustUser(t, "alice", sim.RoleTrainee, "east"),
		"bob":   e.MustUser(t, "bob", sim.RoleTrainee, "east"),
		"carol": e.MustUser(t, "carol", sim.RoleTrainee, "west"),
		"dave":  e.MustUser(t, "dave", sim.RoleTrainee, "west"), // no deals
	}
	day := func(n int, h int) { e.clock.Set(t0.Add(time.Duration(n-1)*24*time.Hour + time.Duration(h)*time.Hour)) }
	all := []sim.Milestone{sim.MilestoneNeed, sim.MilestoneOffer, sim.MilestoneDeal}
	plays := []struct {
		user, persona string
		day, hour     int
		sc            *sim.Scorecard
	}{
		{"alice", "p1", 1, 1, card(90, 1, 12, all, "good_opening")},
		{"alice", "p2", 2, 1, card(40, 2, 20, all[:1], "over_probing", "over_probing", "missed_goal", "good_opening")},
		{"bob", "p1", 2, 2, card(70, 3, 30, all[:2], "premature_pitch", "weak_opening", "missed_goal", "over_probing")},
		{"carol", "p1", 3, 1, card(10, 1, 4, nil, "pressure")},
		{"carol", "p2", 3, 2, nil},
	}
	for _, p := range plays {
		day(p.day, p.hour)
		d := e.MustDeal(t, users[p.user].ID, p.persona)
		if p.sc != nil {
			e.MustPlay(t, d.ID, p.sc)
		}
		deals = append(deals, d)
	}
	if err := e.deals.AddOverride(ctx, &sim.Override{DealID: deals[2].ID, AuthorID: users["coach"].ID, Score: 20, Reason: "pressured the customer"}); err != nil {
		t.Fatal(err)
	}
	return users, deals
}

func TestFindDeals(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	users, deals := seedDeals(t, e)
	id := map[string]string{}
	for i, d := range deals {
		id[d.ID] = "d" + string(rune('1'+i))
	}
	tests := []struct {
		name   string
		filter sim.DealFilter
		want   string // deal names in order
		total  int
		code   string
	}{
		{"all newest first", sim.DealFilter{}, "d5,d4,d3,d2,d1", 5, ""},
		{"sort by date", sim.DealFilter{Sort: "date"}, "d5,d4,d3,d2,d1", 5, ""},
		{"team", sim.DealFilter{Teams: []string{"east"}}, "d3,d2,d1", 3, ""},
		{"teams", sim.DealFilter{Teams: []string{"east", "west"}}, "d5,d4,d3,d2,d1", 5, ""},
		{"unknown team", sim.DealFilter{Teams: []string{"north"}}, "", 0, ""},
		{"user", sim.DealFilter{UserID: users["alice"].ID}, "d2,d1", 2, ""},
		{"persona", sim.DealFilter{PersonaID: "p2"}, "d5,d2", 2, ""},
		{"from", sim.DealFilter{From: t0.Add(24 * time.Hour)}, "d5,d4,d3,d2", 4, ""},
		{"to is exclusive", sim.DealFilter{To: t0.Add(24*time.Hour + 2*time.Hour)}, "d2,d1", 2, ""},
		{"from and to", sim.DealFilter{From: t0.Add(24 * time.Hour), To: t0.Add(48 * time.Hour)}, "d3,d2", 2, ""},
		{"outcome deal", sim.DealFilter{Outcome: "deal"}, "d1", 1, ""},
		{"outcome offer", sim.DealFilter{Outcome: "offer"}, "d3", 1, ""},
		{"outcome need", sim.DealFilter{Outcome: "need"}, "d2", 1, ""},
		{"outcome none", sim.DealFilter{Outcome: "none"}, "d5,d4", 2, ""},
		{"sort by effective score", sim.DealFilter{Sort: "score"}, "d1,d2,d3,d4,d5", 5, ""},
		{"sort by user", sim.DealFilter{Sort: "user"}, "d2,d1,d3,d5,d4", 5, ""},
		{"page", sim.DealFilter{Limit: 2, Offset: 1}, "d4,d3", 5, ""},
		{"last page", sim.DealFilter{Limit: 2, Offset: 4}, "d1", 5, ""},
		{"past the end", sim.DealFilter{Limit: 2, Offset: 10}, "", 5, ""},
		{"everything at once", sim.DealFilter{Teams: []string{"east"}, UserID: users["alice"].ID, PersonaID: "p1", Outcome: "deal", From: t0, To: t0.Add(time.Hour * 24)}, "d1", 1, ""},
		{"bad sort", sim.DealFilter{Sort: "name"}, "", 0, sim.EINVALID},
		{"bad outcome", sim.DealFilter{Outcome: "won"}, "", 0, sim.EINVALID},
		{"negative limit", sim.DealFilter{Limit: -1}, "", 0, sim.EINVALID},
		{"negative offset", sim.DealFilter{Offset: -1}, "", 0, sim.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := e.deals.FindDeals(ctx, tc.filter)
			wantCode(t, "FindDeals", err, tc.code)
			if err != nil {
				return
			}
			var names []string
			for _, d := range got {
				names = append(names, id[d.ID])
			}
			if strings.Join(names, ",") != tc.want || total != tc.total {
				t.Errorf("FindDeals(%+v) = %s (total %d); want %s (total %d)", tc.filter, strings.Join(names, ","), total, tc.want, tc.total)
			}
		})
	}

	// Listed deals carry their summaries and effective scores, not their
	// scorecards (a list reads no scorecard).
	got, _, _ := e.deals.FindDeals(ctx, sim.DealFilter{UserID: users["bob"].ID})
	if len(got) != 1 || got[0].Score != 20 || got[0].Summary.Score != 70 || got[0].Summary.Outcome != "offer" || got[0].Scorecard != nil {
		t.Errorf("FindDeals(bob) = %+v; want one deal with effective score 20, summary score 70 and outcome offer, no scorecard", got)
	}
}

func TestOverrides(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	coach := e.MustUser(t, "coach", sim.RoleCoach, "east")
	lead := e.MustUser(t, "lead", sim.RoleCoach, "east")
	if _, err := e.users.UpdateUser(ctx, lead.ID, sim.UserUpdate{Name: ptr("")}); err != nil {
		t.Fatal(err)
	}
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	d := e.MustDeal(t, alice.ID, "p1")
	sc := card(55, 1, 6, []sim.Milestone{sim.MilestoneNeed})
	e.MustPlay(t, d.ID, sc)

	tests := []struct {
		name      string
		override  sim.Override
		want      string
		wantScore int // effective score afterwards
	}{
		{"score above 100", sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: 101, Reason: "x"}, sim.EINVALID, 55},
		{"negative score", sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: -1, Reason: "x"}, sim.EINVALID, 55},
		{"no reason", sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: 50, Reason: "  "}, sim.EINVALID, 55},
		{"reason too long", sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: 50, Reason: strings.Repeat("r", MaxReasonLen+1)}, sim.EINVALID, 55},
		{"unknown deal", sim.Override{DealID: "d_nope", AuthorID: coach.ID, Score: 50, Reason: "x"}, sim.ENOTFOUND, 55},
		{"unknown author", sim.Override{DealID: d.ID, AuthorID: 999, Score: 50, Reason: "x"}, sim.ENOTFOUND, 55},
		{"first", sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: 80, Reason: "customer was unfair"}, "", 80},
		{"zero counts", sim.Override{DealID: d.ID, AuthorID: lead.ID, Score: 0, Reason: "copied a script"}, "", 0},
		{"latest wins", sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: 100, Reason: "on reflection"}, "", 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Add(time.Minute)
			o := tc.override
			err := e.deals.AddOverride(ctx, &o)
			wantCode(t, "AddOverride", err, tc.want)
			if err == nil && (o.ID == 0 || o.Author == "" || !o.CreatedAt.Equal(e.clock.Now())) {
				t.Errorf("AddOverride set %+v; want id, author and time", o)
			}
			got, err := e.deals.FindDealByID(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Score != tc.wantScore {
				t.Errorf("effective score = %d; want %d", got.Score, tc.wantScore)
			}
			if !reflect.DeepEqual(got.Scorecard, sc) {
				t.Errorf("scorecard changed by an override: %+v", got.Scorecard)
			}
		})
	}
	ovs, err := e.deals.Overrides(ctx, d.ID)
	if err != nil || len(ovs) != 3 {
		t.Fatalf("Overrides() = %d, %v; want 3", len(ovs), err)
	}
	if ovs[0].Score != 80 || ovs[0].Author != "Name coach" || ovs[1].Author != "lead" || ovs[2].Score != 100 || ovs[2].Reason != "on reflection" {
		t.Errorf("Overrides() = %+v %+v %+v; want oldest first with author names (username when no name)", *ovs[0], *ovs[1], *ovs[2])
	}
	_, err = e.deals.Overrides(ctx, "d_nope")
	wantCode(t, "Overrides(unknown)", err, sim.ENOTFOUND)

	// A later scorecard does not undo the override.
	if err := e.deals.AppendEvent(ctx, d.ID, sim.Event{Seq: 3, Kind: sim.EventSay, Text: "x"}, card(60, 1, 7, nil)); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.deals.FindDealByID(ctx, d.ID); got.Score != 100 {
		t.Errorf("effective score after a new scorecard = %d; want the override's 100", got.Score)
	}
}

func TestComments(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	coach := e.MustUser(t, "coach", sim.RoleCoach, "east")
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	d := e.MustDeal(t, alice.ID, "p1")
	tests := []struct {
		name    string
		comment sim.Comment
		want    string
	}{
		{"later turn", sim.Comment{DealID: d.ID, Call: 1, Turn: 5, AuthorID: coach.ID, Text: "summarise here"}, ""},
		{"earlier turn", sim.Comment{DealID: d.ID, Call: 1, Turn: 2, AuthorID: coach.ID, Text: " 先问动机 "}, ""},
		{"second call", sim.Comment{DealID: d.ID, Call: 2, Turn: 0, AuthorID: alice.ID, Text: "my own note"}, ""},
		{"same turn again", sim.Comment{DealID: d.ID, Call: 1, Turn: 2, AuthorID: coach.ID, Text: "and listen"}, ""},
		{"empty", sim.Comment{DealID: d.ID, Call: 1, Turn: 1, AuthorID: coach.ID, Text: " \n"}, sim.EINVALID},
		{"too long", sim.Comment{DealID: d.ID, Call: 1, Turn: 1, AuthorID: coach.ID, Text: strings.Repeat("c", MaxCommentLen+1)}, sim.EINVALID},
		{"call zero", sim.Comment{DealID: d.ID, Call: 0, Turn: 1, AuthorID: coach.ID, Text: "x"}, sim.EINVALID},
		{"negative turn", sim.Comment{DealID: d.ID, Call: 1, Turn: -1, AuthorID: coach.ID, Text: "x"}, sim.EINVALID},
		{"unknown deal", sim.Comment{DealID: "d_nope", Call: 1, Turn: 1, AuthorID: coach.ID, Text: "x"}, sim.ENOTFOUND},
		{"unknown author", sim.Comment{DealID: d.ID, Call: 1, Turn: 1, AuthorID: 999, Text: "x"}, sim.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.comment
			err := e.deals.AddComment(ctx, &c)
			wantCode(t, "AddComment", err, tc.want)
			if err == nil && (c.ID == 0 || c.Author == "" || c.CreatedAt.IsZero()) {
				t.Errorf("AddComment set %+v; want id, author and time", c)
			}
		})
	}
	cs, err := e.deals.Comments(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Author+":"+c.Text)
	}
	want := "Name coach:先问动机|Name coach:and listen|Name coach:summarise here|Name alice:my own note"
	if strings.Join(got, "|") != want {
		t.Errorf("Comments() = %q; want %q (by call, turn, age; trimmed; author names)", strings.Join(got, "|"), want)
	}
	// Author names are joined in: a renamed author shows the new name.
	if _, err := e.users.UpdateUser(ctx, coach.ID, sim.UserUpdate{Name: ptr("Coach Li")}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := e.deals.Comments(ctx, d.ID); cs[0].Author != "Coach Li" || cs[0].AuthorID != coach.ID {
		t.Errorf("Comments()[0] after rename = %+v; want author Coach Li", cs[0])
	}
	_, err = e.deals.Comments(ctx, "d_nope")
	wantCode(t, "Comments(unknown)", err, sim.ENOTFOUND)
}
