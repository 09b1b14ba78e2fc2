package sqlite

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

func TestTeamStats(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	users, _ := seedDeals(t, e)
	row := func(name string, deals int, calls, turns, score float64, findings ...sim.FindingCount) sim.TraineeStats {
		u := users[name]
		if findings == nil {
			findings = []sim.FindingCount{}
		}
		return sim.TraineeStats{UserID: u.ID, Username: u.Username, Name: u.Name, Deals: deals,
			AvgCalls: calls, AvgTurns: turns, AvgScore: score, TopFindings: findings}
	}
	fc := func(code string, n int) sim.FindingCount { return sim.FindingCount{Code: code, Count: n} }
	// Every seeded milestone is reached in call 1 at turn 3.
	pace := func(persona string, deals int, reached ...int) sim.PersonaPace {
		p := sim.PersonaPace{PersonaID: persona, Deals: deals, Milestones: []sim.MilestonePace{}}
		for i, m := range sim.Milestones {
			mp := sim.MilestonePace{Milestone: m, Reached: reached[i]}
			if reached[i] > 0 {
				mp.MedianCalls, mp.MedianTurns = 1, 3
			}
			p.Milestones = append(p.Milestones, mp)
		}
		return p
	}
	tests := []struct {
		name     string
		teams    []string
		from, to time.Time
		want     sim.TeamStats
	}{
		{
			name: "every team, all time",
			want: sim.TeamStats{
				Funnel: sim.Funnel{Deals: 4, Need: 3, Offer: 2, Deal: 1},
				Trainees: []sim.TraineeStats{
					row("alice", 2, 1.5, 16, 65, fc("over_probing", 2), fc("missed_goal", 1)),
					row("bob", 1, 3, 30, 20, fc("missed_goal", 1), fc("over_probing", 1), fc("premature_pitch", 1)),
					row("carol", 1, 1, 4, 10, fc("pressure", 1)),
					row("dave", 0, 0, 0, 0),
				},
				Trend: []sim.TrendPoint{
					{Day: "2025-03-10", Deals: 1, AvgScore: 90},
					{Day: "2025-03-11", Deals: 2, AvgScore: 30},
					{Day: "2025-03-12", Deals: 1, AvgScore: 10},
				},
				Pace: []sim.PersonaPace{pace("p1", 3, 2, 2, 1), pace("p2", 1, 1, 0, 0)},
			},
		},
		{
			name:  "one team",
			teams: []string{"east"},
			want: sim.TeamStats{
				Funnel: sim.Funnel{Deals: 3, Need: 3, Offer: 2, Deal: 1},
				Trainees: []sim.TraineeStats{
					row("alice", 2, 1.5, 16, 65, fc("over_probing", 2), fc("missed_goal", 1)),
					row("bob", 1, 3, 30, 20, fc("missed_goal", 1), fc("over_probing", 1), fc("premature_pitch", 1)),
				},
				Trend: []sim.TrendPoint{
					{Day: "2025-03-10", Deals: 1, AvgScore: 90},
					{Day: "2025-03-11", Deals: 2, AvgScore: 30},
				},
				Pace: []sim.PersonaPace{pace("p1", 2, 2, 2, 1), pace("p2", 1, 1, 0, 0)},
			},
		},
		{
			name:  "a team whose deals have no scorecard or none reached",
			teams: []string{"west"},
			want: sim.TeamStats{
				Funnel:   sim.Funnel{Deals: 1},
				Trainees: []sim.TraineeStats{row("carol", 1, 1, 4, 10, fc("pressure", 1)), row("dave", 0, 0, 0, 0)},
				Trend:    []sim.TrendPoint{{Day: "2025-03-12", Deals: 1, AvgScore: 10}},
				Pace:     []sim.PersonaPace{pace("p1", 1, 0, 0, 0)},
			},
		},
		{
			name: "date range",
			from: t0.Add(24 * time.Hour),
			to:   t0.Add(48 * time.Hour),
			want: sim.TeamStats{
				Funnel: sim.Funnel{Deals: 2, Need: 2, Offer: 1},
				Trainees: []sim.TraineeStats{
					row("alice", 1, 2, 20, 40, fc("over_probing", 2), fc("missed_goal", 1)),
					row("bob", 1, 3, 30, 20, fc("missed_goal", 1), fc("over_probing", 1), fc("premature_pitch", 1)),
					row("carol", 0, 0, 0, 0),
					row("dave", 0, 0, 0, 0),
				},
				Trend: []sim.TrendPoint{{Day: "2025-03-11", Deals: 2, AvgScore: 30}},
				Pace:  []sim.PersonaPace{pace("p1", 1, 1, 1, 0), pace("p2", 1, 1, 0, 0)},
			},
		},
		{
			name:  "no team matches",
			teams: []string{"north"},
			want:  sim.TeamStats{Trainees: []sim.TraineeStats{}, Trend: []sim.TrendPoint{}, Pace: []sim.PersonaPace{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.deals.TeamStats(ctx, tc.teams, tc.from, tc.to)
			if err != nil {
				t.Fatalf("TeamStats() = %v", err)
			}
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(tc.want, "", " ")
			if string(g) != string(w) {
				t.Errorf("TeamStats(%q, %v, %v) =\n%s\nwant\n%s", tc.teams, tc.from, tc.to, g, w)
			}
		})
	}
}

// TestTeamStatsDays checks that trend days follow DB.Location and that
// averages are rounded.
func TestTeamStatsDays(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	e.clock.Set(time.Date(2025, 3, 10, 20, 0, 0, 0, time.UTC)) // 04:00 on the 11th in UTC+8
	for _, score := range []int{10, 10, 11} {
		d := e.MustDeal(t, alice.ID, "p1")
		e.MustPlay(t, d.ID, card(score, 1, 1, nil))
	}
	tests := []struct {
		name string
		loc  *time.Location
		want string
	}{
		{"UTC", time.UTC, "2025-03-10"},
		{"UTC+8", time.FixedZone("CST", 8*3600), "2025-03-11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.db.Location = tc.loc
			st, err := e.deals.TeamStats(ctx, nil, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			want := sim.TrendPoint{Day: tc.want, Deals: 3, AvgScore: 10.33}
			if len(st.Trend) != 1 || st.Trend[0] != want {
				t.Errorf("Trend = %+v; want [%+v]", st.Trend, want)
			}
			if st.Trainees[0].AvgScore != 10.33 {
				t.Errorf("AvgScore = %v; want 10.33", st.Trainees[0].AvgScore)
			}
		})
	}
}
