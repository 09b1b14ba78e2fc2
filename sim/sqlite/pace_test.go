package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/callsim/callsim/sim"
)

// paceCard is a scorecard whose milestones in at are reached at the given
// call and deal-wide turn count.
func paceCard(at map[sim.Milestone][2]int, codes ...string) *sim.Scorecard {
	sc := card(50, 1, 10, nil, codes...)
	for m, ct := range at {
		r := sc.Milestones[m]
		r.Reached, r.Call, r.Turn, r.TurnsTo = true, ct[0], 1, ct[1]
		sc.Outcome = string(m)
	}
	return sc
}

func TestPace(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	bob := e.MustUser(t, "bob", sim.RoleTrainee, "east")
	carol := e.MustUser(t, "carol", sim.RoleTrainee, "west")
	need, offer, deal := sim.MilestoneNeed, sim.MilestoneOffer, sim.MilestoneDeal
	plays := []struct {
		user    *sim.User
		persona string
		at      map[sim.Milestone][2]int
	}{
		{alice, "p1", map[sim.Milestone][2]int{need: {1, 6}, offer: {1, 9}, deal: {2, 15}}},
		{alice, "p1", map[sim.Milestone][2]int{need: {1, 4}}},
		{bob, "p1", map[sim.Milestone][2]int{need: {2, 13}, offer: {2, 16}}},
		{bob, "p1", nil},
		{bob, "p2", map[sim.Milestone][2]int{need: {1, 2}}},                  // another persona
		{carol, "p1", map[sim.Milestone][2]int{need: {1, 1}, offer: {1, 2}}}, // another team
	}
	for _, p := range plays {
		d := e.MustDeal(t, p.user.ID, p.persona)
		e.MustPlay(t, d.ID, paceCard(p.at))
	}
	e.MustDeal(t, alice.ID, "p1") // no scorecard yet: not counted

	tests := []struct {
		name, team, persona string
		want                sim.PersonaPace
	}{
		{"medians over the deals that reached each milestone", "east", "p1", sim.PersonaPace{PersonaID: "p1", Deals: 4, Milestones: []sim.MilestonePace{
			{Milestone: need, Reached: 3, MedianCalls: 1, MedianTurns: 6},
			{Milestone: offer, Reached: 2, MedianCalls: 1.5, MedianTurns: 12.5},
			{Milestone: deal, Reached: 1, MedianCalls: 2, MedianTurns: 15},
		}}},
		{"one deal on the persona", "east", "p2", sim.PersonaPace{PersonaID: "p2", Deals: 1, Milestones: []sim.MilestonePace{
			{Milestone: need, Reached: 1, MedianCalls: 1, MedianTurns: 2},
			{Milestone: offer}, {Milestone: deal},
		}}},
		{"no deals", "north", "p1", sim.PersonaPace{PersonaID: "p1", Milestones: []sim.MilestonePace{
			{Milestone: need}, {Milestone: offer}, {Milestone: deal},
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.deals.Pace(ctx, tc.team, tc.persona)
			if err != nil {
				t.Fatalf("Pace() = %v", err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tc.want)
			if string(g) != string(w) {
				t.Errorf("Pace(%s, %s) =\n%s\nwant\n%s", tc.team, tc.persona, g, w)
			}
		})
	}
}

// TestTeamStatsStalled counts, per trainee, the deals whose time stalled
// for lack of urgency, however often it stalled in each.
func TestTeamStatsStalled(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	bob := e.MustUser(t, "bob", sim.RoleTrainee, "east")
	for _, codes := range [][]string{
		{sim.FindTimeStalled, "missed_goal"},
		{sim.FindTimeStalled, sim.FindTimeStalled},
		{"missed_goal"},
	} {
		d := e.MustDeal(t, alice.ID, "p1")
		e.MustPlay(t, d.ID, paceCard(nil, codes...))
	}
	d := e.MustDeal(t, bob.ID, "p1")
	e.MustPlay(t, d.ID, paceCard(nil, "pressure"))

	st, err := e.deals.TeamStats(ctx, []string{"east"}, t0.AddDate(0, 0, -1), t0.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range st.Trainees {
		got[r.Username] = r.Stalled
	}
	if got["alice"] != 2 || got["bob"] != 0 {
		t.Errorf("stalled per trainee = %v; want alice 2, bob 0", got)
	}
}

// TestMigratePace opens a database made by the first schema with a stored
// two-call deal: the migration fills the pace columns from its scorecard.
func TestMigratePace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	sc := card(60, 2, 14, []sim.Milestone{sim.MilestoneNeed, sim.MilestoneOffer})
	sc.Milestones[sim.MilestoneNeed].Call, sc.Milestones[sim.MilestoneNeed].Turn = 1, 5
	sc.Milestones[sim.MilestoneOffer].Call, sc.Milestones[sim.MilestoneOffer].Turn = 2, 3
	for _, r := range sc.Milestones {
		r.TurnsTo = 0 // a scorecard from before turns_to
	}
	sc.CallsDetail = []*sim.CallDetail{{Call: 1, Turns: 8}, {Call: 2, Turns: 6}}
	b, _ := json.Marshal(sc)
	for _, q := range []string{
		ms[0].sql,
		"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
		"INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00.000000000Z')",
		"INSERT INTO users (id, username, username_key, role, team, password_hash, created_at, updated_at) VALUES (1, 'a', 'a', 'trainee', 'east', 'x', '', '')",
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO deals (id, user_id, team, persona_id, lang, seed, created_at, updated_at, scorecard, calls, turns)
		VALUES ('d1', 1, 'east', 'p1', 'en', 7, '', '', ?, 2, 14), ('d2', 1, 'east', 'p1', 'en', 7, '', '', NULL, 0, 0)`, string(b)); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	e := mustOpenAt(t, path, &clock{t: t0})
	if v, err := e.db.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Fatalf("SchemaVersion() = %d, %v; want %d", v, err, len(ms))
	}
	var got [6]int
	if err := e.db.db.QueryRowContext(ctx, "SELECT "+paceColumns+" FROM deals d WHERE id = 'd1'").
		Scan(&got[0], &got[1], &got[2], &got[3], &got[4], &got[5]); err != nil {
		t.Fatal(err)
	}
	if want := [6]int{1, 5, 2, 11, 0, 0}; got != want {
		t.Errorf("pace columns after migration = %v; want %v (need in call 1 at turn 5; offer in call 2 after 8+3 turns)", got, want)
	}
}
