package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/callsim/callsim/sim"
)

// topFindings is how many finding codes a trainee row shows.
const topFindings = 3

// TeamStats summarises the deals of teams (none: every team) created in
// [from, to) (zero: unbounded). Only deals with a scorecard count, live
// ones included.
//
//   - Funnel: deals, and how many reached need, offer and deal, by the
//     furthest milestone of their scorecard (a deal that reached the offer
//     counts under need too).
//   - Trainees: one row per user with deals in range, plus every trainee
//     of the teams without any, by username: deals, average calls, turns
//     and effective score, and the three most frequent finding codes
//     (findings of severity "good" left out).
//   - Pace: per persona, the median calls and turns to each milestone
//     over the deals that reached it.
//   - Trainees also count their deals whose time stalled for lack of an
//     urgent motive (finding time_stalled_no_urgency).
//   - Trend: per day (in the DB's Location) with deals, oldest first: deals
//     and average effective score.
//
// Averages are rounded to two decimals.
func (s *DealService) TeamStats(ctx context.Context, teams []string, from, to time.Time) (*sim.TeamStats, error) {
	defer s.db.observe("deal.team_stats", time.Now())
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

	findings, err := userFindings(ctx, tx, cond, args)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	stalled, err := userStalled(ctx, tx, cond, args)
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

// userFindings returns, per user, the most frequent finding codes of the
// deals matching cond (severity "good" left out), most frequent first.
func userFindings(ctx context.Context, tx *sql.Tx, cond string, args []any) (map[int64][]sim.FindingCount, error) {
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

// userStalled counts, per user, the deals matching cond whose scorecard
// has the time_stalled_no_urgency finding.
func userStalled(ctx context.Context, tx *sql.Tx, cond string, args []any) (map[int64]int, error) {
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

// average returns sum/n rounded to two decimals, and 0 for no items.
func average(sum, n int) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(float64(sum)/float64(n)*100) / 100
}
