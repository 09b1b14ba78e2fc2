package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

// The coach views at a young install (100 deals) and after a year of
// practice (10,000 deals): four teams of ten trainees playing about 27
// deals a day between them, so that the larger store holds a year of deals
// and the coach's default view (their team, the last 30 days) a month of
// them.
const (
	benchTeams    = 4
	benchTrainees = 10 // per team
	benchPerDay   = 27 // deals a day, all teams together
)

// benchSizes are the store sizes every coach-view benchmark runs at.
var benchSizes = []int{100, 10000}

var benchPersonas = []string{"st-wang-director", "li-hr-manager", "zhao-it-lead", "chen-founder", "liu-ops", "sun-cfo"}

// benchProblems are the finding codes a seeded deal draws from.
var benchProblems = []string{
	sim.FindWeakOpening, sim.FindPrematurePitch, sim.FindPitchNotOnNeed, sim.FindOverProbing,
	sim.FindRepeatedQuestion, sim.FindMonologue, sim.FindPressure, sim.FindMissedGoal,
	sim.FindLongCall, sim.FindNoNextStep, sim.FindUnresolved, sim.FindTalksTooMuch,
}

// benchEnv is a store seeded for the coach-view benchmarks.
type benchEnv struct {
	*env
	team string    // the benchmarked coach's team
	now  time.Time // the last deal's day
	n    int       // deals stored
}

// mustSeedBench opens a store and fills it in one transaction with n deals
// spread over the benchmark's teams and days, with summary columns, a
// stored scorecard of a realistic size and findings.
func mustSeedBench(tb testing.TB, n int) *benchEnv {
	tb.Helper()
	ctx := context.Background()
	e := MustOpen(tb)
	tx, err := e.db.w.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		tb.Helper()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			tb.Fatalf("%.50s: %v", q, err)
		}
	}
	created := formatTime(t0)
	var trainees []int64
	id := int64(0)
	for t := range benchTeams {
		team := fmt.Sprintf("team%d", t)
		id++
		exec(`INSERT INTO users (id, username, username_key, name, role, team, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'coach', ?, 'x', ?, ?)`, id, "coach"+team, "coach"+team, "Coach "+team, team, created, created)
		for i := range benchTrainees {
			id++
			name := fmt.Sprintf("Trainee%02d%s", i, team)
			exec(`INSERT INTO users (id, username, username_key, name, role, team, password_hash, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'trainee', ?, 'x', ?, ?)`, id, name, strings.ToLower(name), "Name "+name, team, created, created)
			trainees = append(trainees, id)
		}
	}
	teamOf := func(user int64) string { return fmt.Sprintf("team%d", (user-1)/(benchTrainees+1)) }

	rng := rand.New(rand.NewPCG(1, uint64(n)))
	cards := map[int]string{}
	insDeal, err := tx.PrepareContext(ctx, `INSERT INTO deals (id, user_id, team, persona_id, scenario, lang, seed,
		created_at, updated_at, last_seq, scorecard, engine_version, over, furthest, outcome, score, override_score,
		calls, turns, need_call, need_turns, offer_call, offer_turns, deal_call, deal_turns,
		scorecard_seq, price_agreed, time_agreed, in_call, persona_version)
		VALUES (?, ?, ?, ?, 'sales-training', ?, ?, ?, ?, ?, ?, 'bench-1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'v1+v1')`)
	if err != nil {
		tb.Fatal(err)
	}
	defer insDeal.Close()
	insFinding, err := tx.PrepareContext(ctx, "INSERT INTO deal_findings (deal_id, code, severity, n) VALUES (?, ?, ?, ?)")
	if err != nil {
		tb.Fatal(err)
	}
	defer insFinding.Close()
	// The newest deal is made at t0; the oldest (n-1)/benchPerDay days before.
	step := 24 * time.Hour / benchPerDay
	for i := range n {
		user := trainees[rng.IntN(len(trainees))]
		at := t0.Add(-time.Duration(n-1-i) * step).Add(time.Duration(rng.IntN(int(step/time.Second))) * time.Second)
		furthest := []int{0, 0, 0, 1, 1, 1, 2, 2, 2, 3}[rng.IntN(10)]
		outcome := furthestNames[furthest]
		if furthest == 0 && rng.IntN(4) == 0 {
			outcome = "qualified_out"
		}
		calls := 1 + rng.IntN(3)
		turns := calls * (5 + rng.IntN(12))
		score := min(100, 15*furthest+rng.IntN(45))
		var override any
		if rng.IntN(20) == 0 {
			override = rng.IntN(101)
		}
		var pace [6]int
		for m := range furthest {
			call := min(calls, 1+m*calls/3)
			pace[2*m], pace[2*m+1] = call, min(turns, (m+1)*turns/4+rng.IntN(3))
		}
		price, tm := furthest == 3 || furthest == 2 && rng.IntN(3) == 0, furthest == 3
		if cards[turns] == "" {
			cards[turns] = benchCard(turns)
		}
		dealID := fmt.Sprintf("d_bench%08d%s", i, idEncoding.EncodeToString(randomBytes(8)))
		seq := calls*2 + turns + 1
		if _, err := insDeal.ExecContext(ctx, dealID, user, teamOf(user), benchPersonas[rng.IntN(len(benchPersonas))],
			[]string{"en", "zh"}[rng.IntN(2)], rng.Int64(), formatTime(at), formatTime(at.Add(20*time.Minute)), seq, cards[turns],
			true, furthest, outcome, score, override, calls, turns, pace[0], pace[1], pace[2], pace[3], pace[4], pace[5],
			seq, price, tm, false); err != nil {
			tb.Fatal(err)
		}
		// One to four problems, some twice; a good finding on good deals;
		// the time stalled on one deal in three that agreed the price only.
		codes := map[string]int{}
		for range 1 + rng.IntN(4) {
			codes[benchProblems[rng.IntN(len(benchProblems))]]++
		}
		if price && !tm && rng.IntN(3) > 0 {
			codes[sim.FindTimeStalled] = 1 + rng.IntN(2)
		}
		for code, k := range codes {
			if _, err := insFinding.ExecContext(ctx, dealID, code, "problem", k); err != nil {
				tb.Fatal(err)
			}
		}
		if furthest >= 1 {
			if _, err := insFinding.ExecContext(ctx, dealID, sim.FindNeedEstablished, "good", 1); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	day := t0.Truncate(24 * time.Hour)
	e.clock.Set(t0.Add(time.Hour))
	return &benchEnv{env: e, team: "team0", now: day, n: n}
}

// benchCard is the JSON of a scorecard of a deal with so many turns, as
// big as the engine's (about 300 bytes a turn).
func benchCard(turns int) string {
	sc := card(50, 1, turns, []sim.Milestone{sim.MilestoneNeed}, sim.FindOverProbing, sim.FindMissedGoal)
	for i := range turns {
		sc.Transcript = append(sc.Transcript, sim.TranscriptTurn{Call: 1, Turn: i + 1,
			Trainee:  "So if I've got it right, the real issue is getting those new reps closing before the quarter?",
			Acts:     []sim.Act{sim.ActGreet},
			Customer: "Yes, that is exactly it. The numbers are due and the new people are not closing anything yet.",
			Trust:    50, Patience: 70})
	}
	b, err := json.Marshal(sc)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// from30 is the first day of the coach desk's default period, the last 30
// days.
func (e *benchEnv) from30() time.Time { return e.now.AddDate(0, 0, -29) }

// benchPeriods are the periods a coach view is benchmarked over: the last
// 4 days (about as many deals as the whole store of 100), the desk's
// default 30 days and all time.
func (e *benchEnv) benchPeriods() []benchPeriod {
	return []benchPeriod{{"days=4", e.now.AddDate(0, 0, -3)}, {"days=30", e.from30()}, {"days=all", time.Time{}}}
}

type benchPeriod struct {
	name string
	from time.Time
}

func BenchmarkTeamStats(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			e := mustSeedBench(b, n)
			ctx := context.Background()
			for _, p := range e.benchPeriods() {
				b.Run(p.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := e.deals.TeamStats(ctx, []string{e.team}, p.from, time.Time{}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// benchPage is the coach desk's page size.
const benchPage = 50

func BenchmarkFindDealsByScore(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			e := mustSeedBench(b, n)
			ctx := context.Background()
			for _, p := range e.benchPeriods() {
				b.Run(p.name, func(b *testing.B) {
					f := sim.DealFilter{Teams: []string{e.team}, From: p.from, Sort: "score", Limit: benchPage}
					for b.Loop() {
						if ds, _, err := e.deals.FindDeals(ctx, f); err != nil || len(ds) == 0 {
							b.Fatal(len(ds), err)
						}
					}
				})
			}
		})
	}
}

// benchDeep is the size of the deep page: the team's last 20 deals in the
// order asked for, a whole page at either store size.
const benchDeep = 20

func BenchmarkFindDealsDeepPage(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			e := mustSeedBench(b, n)
			ctx := context.Background()
			for _, sort := range []string{"score", "date"} {
				f := sim.DealFilter{Teams: []string{e.team}, Sort: sort, Limit: 1}
				_, total, err := e.deals.FindDeals(ctx, f)
				if err != nil || total <= benchDeep {
					b.Fatal(total, err)
				}
				f.Offset = total - benchDeep - 1
				last, _, err := e.deals.FindDeals(ctx, f)
				if err != nil || len(last) != 1 {
					b.Fatal(len(last), err)
				}
				for _, p := range []struct {
					name string
					f    sim.DealFilter
				}{
					{"cursor", sim.DealFilter{Teams: f.Teams, Sort: sort, After: last[0].ID, Limit: benchDeep}},
					{"offset", sim.DealFilter{Teams: f.Teams, Sort: sort, Offset: total - benchDeep, Limit: benchDeep}},
				} {
					b.Run("sort="+sort+"/"+p.name, func(b *testing.B) {
						for b.Loop() {
							if ds, _, err := e.deals.FindDeals(ctx, p.f); err != nil || len(ds) != benchDeep {
								b.Fatal(len(ds), err)
							}
						}
					})
				}
			}
		})
	}
}
