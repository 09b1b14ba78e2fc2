package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, wherever the tests run

	"github.com/callsim/callsim/sim"
)

// TestTeamStatsAggregates compares TeamStats, which reads an index only, with
// scanTeamStats, the implementation it replaced (every deal read into Go),
// on a seeded store with overrides, deals without events, a finding under
// two severities, and days in zones with daylight saving time and with
// offsets of half and three quarters of an hour.
func TestTeamStatsAggregates(t *testing.T) {
	ctx := context.Background()
	e := mustSeedBench(t, 3000) // 111 days: both of 2024's and 2025's DST changes in Europe and the US
	u := e.MustUser(t, "zed", sim.RoleTrainee, "team0")
	e.MustDeal(t, u.ID, "p1") // no events: not counted
	if _, err := e.db.w.ExecContext(ctx, `INSERT INTO deal_findings (deal_id, code, severity, n)
		SELECT id, ?, 'warning', 1 FROM deals WHERE id IN (SELECT deal_id FROM deal_findings WHERE code = ? LIMIT 3)`,
		sim.FindTimeStalled, sim.FindTimeStalled); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.w.ExecContext(ctx, "UPDATE deals SET override_score = 0 WHERE rowid % 7 = 0"); err != nil {
		t.Fatal(err)
	}
	var zones []*time.Location
	for _, name := range []string{"UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	ranges := []struct {
		name     string
		teams    []string
		from, to time.Time
	}{
		{"one team, all time", []string{"team0"}, time.Time{}, time.Time{}},
		{"one team, 30 days", []string{"team0"}, e.from30(), time.Time{}},
		{"two teams, a range cut mid-day", []string{"team1", "team2"}, t0.AddDate(0, 0, -75).Add(13*time.Hour + 17*time.Minute), t0.AddDate(0, 0, -5).Add(7 * time.Hour)},
		{"every team", nil, time.Time{}, time.Time{}},
		{"every team, across 2025's US change", nil, time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)},
		{"no deals in range", []string{"team0"}, t0.AddDate(1, 0, 0), time.Time{}},
		{"unknown team", []string{"north"}, time.Time{}, time.Time{}},
	}
	for _, loc := range zones {
		for _, r := range ranges {
			t.Run(loc.String()+"/"+r.name, func(t *testing.T) {
				e.db.Location = loc
				got, err := e.deals.TeamStats(ctx, r.teams, r.from, r.to)
				if err != nil {
					t.Fatal(err)
				}
				want, err := scanTeamStats(ctx, e.deals, r.teams, r.from, r.to)
				if err != nil {
					t.Fatal(err)
				}
				g, _ := json.MarshalIndent(got, "", " ")
				w, _ := json.MarshalIndent(want, "", " ")
				if string(g) != string(w) {
					t.Errorf("TeamStats(%q, %v, %v) in %s =\n%s\nwant (every deal read)\n%s", r.teams, r.from, r.to, loc, g, w)
				}
			})
		}
	}
	e.db.Location = time.UTC
}

// TestDayCache checks the day of stored times against time.In at every
// hour and around every zone change and midnight of two years, in time
// order either way (the index gives them newest first), in zones whose
// midnight is skipped or repeated too.
func TestDayCache(t *testing.T) {
	first, last := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)
	for _, name := range []string{"UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Kathmandu",
		"Australia/Lord_Howe", "America/St_Johns", "America/Havana", "America/Asuncion", "Asia/Beirut", "America/Santiago"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		var times []time.Time
		for at := first; !at.After(last); at = at.Add(time.Hour) {
			times = append(times, at)
			for _, b := range []time.Time{at.Add(30 * time.Minute), at.Add(45 * time.Minute)} {
				if _, end := b.In(loc).ZoneBounds(); !end.IsZero() && end.Sub(b) < 15*time.Minute {
					times = append(times, end.Add(-time.Nanosecond), end, end.Add(time.Nanosecond))
				}
			}
			y, m, d := at.In(loc).Date()
			if mid := time.Date(y, m, d+1, 0, 0, 0, 0, loc); mid.Sub(at) > 0 && mid.Sub(at) < time.Hour {
				times = append(times, mid.Add(-time.Nanosecond), mid)
			}
		}
		slices.SortFunc(times, time.Time.Compare)
		for _, order := range []string{"oldest first", "newest first"} {
			var c dayCache
			for _, at := range times {
				got, err := c.of(formatTime(at), loc)
				if err != nil {
					t.Fatal(err)
				}
				if want := at.In(loc).Format(time.DateOnly); got != want {
					t.Fatalf("%s: day of %v in %s = %s; want %s", order, at, name, got, want)
				}
			}
			slices.Reverse(times)
		}
	}
}

// scanTeamStats is TeamStats as it was before it aggregated in SQL: every
// deal in range read into Go.
func scanTeamStats(ctx context.Context, s *DealService, teams []string, from, to time.Time) (*sim.TeamStats, error) {
	tx, err := s.db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	defer tx.Rollback()

	where, args := dealWhere(teams, from, to)
	where = append(where, "d.last_seq > 0")
	cond := strings.Join(where, " AND ")

	type sums struct {
		deals, calls, turns, score int
	}
	st := &sim.TeamStats{Trainees: []sim.TraineeStats{}, Trend: []sim.TrendPoint{}}
	perUser := map[int64]*sums{}
	perDay := map[string]*sums{}
	rows, err := tx.QueryContext(ctx, `SELECT d.user_id, d.created_at, d.furthest, d.calls, d.turns,
		COALESCE(d.override_score, d.score) FROM deals d WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	loc := s.db.Location
	if loc == nil {
		loc = time.UTC
	}
	for rows.Next() {
		var userID int64
		var at time.Time
		var furthest, calls, turns, score int
		if err := rows.Scan(&userID, scanTime(&at), &furthest, &calls, &turns, &score); err != nil {
			rows.Close()
			return nil, fmt.Errorf("team stats: %w", err)
		}
		st.Funnel.Deals++
		if furthest >= 1 {
			st.Funnel.Need++
		}
		if furthest >= 2 {
			st.Funnel.Offer++
		}
		if furthest >= 3 {
			st.Funnel.Deal++
		}
		u := perUser[userID]
		if u == nil {
			u = &sums{}
			perUser[userID] = u
		}
		u.deals, u.calls, u.turns, u.score = u.deals+1, u.calls+calls, u.turns+turns, u.score+score
		day := at.In(loc).Format(time.DateOnly)
		d := perDay[day]
		if d == nil {
			d = &sums{}
			perDay[day] = d
		}
		d.deals, d.score = d.deals+1, d.score+score
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}

	findings, err := scanUserFindings(ctx, tx, cond, args)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	stalled, err := scanUserStalled(ctx, tx, cond, args)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	if st.Pace, err = teamPace(ctx, tx, cond, args); err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}

	// The users with deals, and the trainees of the teams who have none.
	userCond, userArgs := "u.role = 'trainee'", []any{}
	if len(teams) > 0 {
		userCond = "u.role = 'trainee' AND u.team IN (" + placeholders(len(teams)) + ")"
		for _, t := range teams {
			userArgs = append(userArgs, t)
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT u.id, u.username, u.name FROM users u
		WHERE u.id IN (SELECT d.user_id FROM deals d WHERE `+cond+`) OR (`+userCond+`)
		ORDER BY u.username_key`, append(slices.Clone(args), userArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t sim.TraineeStats
		if err := rows.Scan(&t.UserID, &t.Username, &t.Name); err != nil {
			return nil, fmt.Errorf("team stats: %w", err)
		}
		t.TopFindings = findings[t.UserID]
		t.Stalled = stalled[t.UserID]
		if t.TopFindings == nil {
			t.TopFindings = []sim.FindingCount{}
		}
		if u := perUser[t.UserID]; u != nil {
			t.Deals = u.deals
			t.AvgCalls = average(u.calls, u.deals)
			t.AvgTurns = average(u.turns, u.deals)
			t.AvgScore = average(u.score, u.deals)
		}
		st.Trainees = append(st.Trainees, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}

	for day, d := range perDay {
		st.Trend = append(st.Trend, sim.TrendPoint{Day: day, Deals: d.deals, AvgScore: average(d.score, d.deals)})
	}
	slices.SortFunc(st.Trend, func(a, b sim.TrendPoint) int { return strings.Compare(a.Day, b.Day) })
	return st, nil
}

// scanUserFindings returns, per user, the most frequent finding codes of the
// deals matching cond (severity "good" left out), most frequent first.
func scanUserFindings(ctx context.Context, tx *sql.Tx, cond string, args []any) (map[int64][]sim.FindingCount, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.user_id, f.code, SUM(f.n)
		FROM deal_findings f JOIN deals d ON d.id = f.deal_id
		WHERE f.severity <> 'good' AND `+cond+` GROUP BY d.user_id, f.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	all := map[int64][]sim.FindingCount{}
	for rows.Next() {
		var userID int64
		var fc sim.FindingCount
		if err := rows.Scan(&userID, &fc.Code, &fc.Count); err != nil {
			return nil, err
		}
		all[userID] = append(all[userID], fc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, fcs := range all {
		slices.SortFunc(fcs, func(a, b sim.FindingCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Code, b.Code))
		})
		all[id] = fcs[:min(len(fcs), topFindings)]
	}
	return all, nil
}

// scanUserStalled counts, per user, the deals matching cond whose scorecard
// has the time_stalled_no_urgency finding.
func scanUserStalled(ctx context.Context, tx *sql.Tx, cond string, args []any) (map[int64]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.user_id, COUNT(DISTINCT d.id)
		FROM deal_findings f JOIN deals d ON d.id = f.deal_id
		WHERE f.code = ? AND `+cond+` GROUP BY d.user_id`, append([]any{sim.FindTimeStalled}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var userID int64
		var n int
		if err := rows.Scan(&userID, &n); err != nil {
			return nil, err
		}
		out[userID] = n
	}
	return out, rows.Err()
}
