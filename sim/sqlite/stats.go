package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
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
//
// No deal's row (with its stored scorecard) is read: one pass over a
// covering index gives each deal's figures and one aggregate its findings,
// so the cost grows with the deals in range, not with those stored.
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
	loc := s.db.Location
	if loc == nil {
		loc = time.UTC
	}
	st, perUser, err := dealFigures(ctx, tx, cond, args, loc)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	findings, stalled, err := userFindings(ctx, tx, cond, args)
	if err != nil {
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
	ids := make([]int64, 0, len(perUser))
	for id := range perUser {
		ids = append(ids, id)
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("team stats: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.username, u.name FROM users u
		WHERE u.id IN (SELECT value FROM json_each(?)) OR (`+userCond+`)
		ORDER BY u.username_key`, append([]any{string(idList)}, userArgs...)...)
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
	return st, nil
}

// sums adds up deals: how many, and their calls, turns and effective
// scores.
type sums struct {
	deals, calls, turns, score int
}

// dealFigures reads the figures of every deal matching cond in one pass
// over deals_team_date, a covering index (migration 0004), so that no
// deal's row (with its scorecard) is read: the funnel, the trend by day in
// loc, the pace per persona and, per user, the sums of their deals.
func dealFigures(ctx context.Context, tx *sql.Tx, cond string, args []any, loc *time.Location) (*sim.TeamStats, map[int64]*sums, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.user_id, d.created_at, d.persona_id, d.furthest, d.calls, d.turns,
		COALESCE(d.override_score, d.score), `+paceColumns+` FROM deals d WHERE `+cond, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	st := &sim.TeamStats{Trainees: []sim.TraineeStats{}, Trend: []sim.TrendPoint{}}
	perUser, perDay, perPersona := map[int64]*sums{}, map[string]*sums{}, map[string]*paceSums{}
	var day dayCache
	for rows.Next() {
		var userID int64
		var created, persona string
		var furthest, calls, turns, score int
		var pace [6]int
		if err := rows.Scan(&userID, &created, &persona, &furthest, &calls, &turns, &score,
			&pace[0], &pace[1], &pace[2], &pace[3], &pace[4], &pace[5]); err != nil {
			return nil, nil, err
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
		u := entry(perUser, userID)
		u.deals, u.calls, u.turns, u.score = u.deals+1, u.calls+calls, u.turns+turns, u.score+score
		d, err := day.of(created, loc)
		if err != nil {
			return nil, nil, err
		}
		ds := entry(perDay, d)
		ds.deals, ds.score = ds.deals+1, ds.score+score
		entry(perPersona, persona).add(pace)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for d, v := range perDay {
		st.Trend = append(st.Trend, sim.TrendPoint{Day: d, Deals: v.deals, AvgScore: average(v.score, v.deals)})
	}
	slices.SortFunc(st.Trend, func(a, b sim.TrendPoint) int { return strings.Compare(a.Day, b.Day) })
	st.Pace = make([]sim.PersonaPace, 0, len(perPersona))
	for persona, p := range perPersona {
		st.Pace = append(st.Pace, p.pace(persona))
	}
	slices.SortFunc(st.Pace, func(a, b sim.PersonaPace) int { return strings.Compare(a.PersonaID, b.PersonaID) })
	return st, perUser, nil
}

// entry returns m[k], adding a zero value first if there is none.
func entry[K comparable, V any](m map[K]*V, k K) *V {
	v := m[k]
	if v == nil {
		v = new(V)
		m[k] = v
	}
	return v
}

// dayCache finds the day in a location of stored times, parsing a time
// only when it falls outside the last day found: the index hands the deals
// over in time order, so most fall on the day before them.
type dayCache struct {
	day        string
	start, end string // the last day's bounds as stored times: [start, end)
}

func (c *dayCache) of(stored string, loc *time.Location) (string, error) {
	if c.day != "" && stored >= c.start && stored < c.end {
		return c.day, nil
	}
	t, err := parseTime(stored)
	if err != nil {
		return "", err
	}
	lt := t.In(loc)
	day := lt.Format(time.DateOnly)
	y, m, d := lt.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	end := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	// Where midnight is skipped or repeated (a zone change at midnight),
	// time.Date may miss the day's bounds: keep only bounds inside the day.
	c.day = ""
	if !t.Before(start) && t.Before(end) && start.In(loc).Format(time.DateOnly) == day &&
		end.Add(-time.Nanosecond).In(loc).Format(time.DateOnly) == day {
		c.day, c.start, c.end = day, formatTime(start), formatTime(end)
	}
	return day, nil
}

// userFindings returns, per user, the most frequent finding codes of the
// deals matching cond (severity "good" left out), most frequent first, and
// how many of those deals have the time_stalled_no_urgency finding.
func userFindings(ctx context.Context, tx *sql.Tx, cond string, args []any) (map[int64][]sim.FindingCount, map[int64]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.user_id, f.code, SUM(f.n) FILTER (WHERE f.severity <> 'good'),
		COUNT(DISTINCT f.deal_id) FILTER (WHERE f.code = ?)
		FROM deals d JOIN deal_findings f ON f.deal_id = d.id
		WHERE `+cond+` GROUP BY d.user_id, f.code`, append([]any{sim.FindTimeStalled}, args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	all, stalled := map[int64][]sim.FindingCount{}, map[int64]int{}
	for rows.Next() {
		var userID int64
		var code string
		var n sql.NullInt64
		var stalledDeals int
		if err := rows.Scan(&userID, &code, &n, &stalledDeals); err != nil {
			return nil, nil, err
		}
		if n.Valid {
			all[userID] = append(all[userID], sim.FindingCount{Code: code, Count: int(n.Int64)})
		}
		if stalledDeals > 0 {
			stalled[userID] = stalledDeals
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for id, fcs := range all {
		slices.SortFunc(fcs, func(a, b sim.FindingCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Code, b.Code))
		})
		all[id] = fcs[:min(len(fcs), topFindings)]
	}
	return all, stalled, nil
}

// average returns sum/n rounded to two decimals, and 0 for no items.
func average(sum, n int) float64 {
	if n == 0 {
		return 0
	}
	return math.Round(float64(sum)/float64(n)*100) / 100
}
