package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/callsim/callsim/sim"
)

// t0 is when every test's clock starts.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// clock is a settable clock for DB.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an open database with its services and clock.
type env struct {
	db    *DB
	path  string
	clock *clock
	users *UserService
	deals *DealService
	teams *TeamService
}

// MustOpen opens a fresh database in t.TempDir() with a test clock and a
// cheap bcrypt cost, and closes it when the test ends.
func MustOpen(tb testing.TB) *env {
	tb.Helper()
	return mustOpenAt(tb, filepath.Join(tb.TempDir(), "data", "callsim.db"), &clock{t: t0})
}

func mustOpenAt(tb testing.TB, path string, c *clock) *env {
	tb.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%q) = %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	db.Now = c.Now
	db.Location = time.UTC
	users := NewUserService(db)
	users.BcryptCost = bcrypt.MinCost
	return &env{db: db, path: path, clock: c, users: users, deals: NewDealService(db), teams: NewTeamService(db)}
}

// MustUser creates a user whose password is "password-"+username.
func (e *env) MustUser(tb testing.TB, username string, role sim.Role, team string) *sim.User {
	tb.Helper()
	u := &sim.User{Username: username, Name: "Name " + username, Role: role, Team: team}
	if err := e.users.CreateUser(context.Background(), u, "password-"+username); err != nil {
		tb.Fatalf("CreateUser(%q) = %v", username, err)
	}
	return u
}

// MustDeal creates a deal of a user with a persona.
func (e *env) MustDeal(tb testing.TB, userID int64, persona string) *sim.DealRecord {
	tb.Helper()
	d := &sim.DealRecord{UserID: userID, PersonaID: persona, Scenario: "training", Lang: sim.LangEN, Seed: 7}
	if err := e.deals.CreateDeal(context.Background(), d); err != nil {
		tb.Fatalf("CreateDeal(%q) = %v", persona, err)
	}
	return d
}

// MustPlay appends a dial event, then a say event carrying sc.
func (e *env) MustPlay(tb testing.TB, dealID string, sc *sim.Scorecard) {
	tb.Helper()
	ctx := context.Background()
	if err := e.deals.AppendEvent(ctx, dealID, sim.Event{Seq: 1, Kind: sim.EventDial, Goal: sim.MilestoneNeed}, nil); err != nil {
		tb.Fatalf("AppendEvent(dial) = %v", err)
	}
	if err := e.deals.AppendEvent(ctx, dealID, sim.Event{Seq: 2, Kind: sim.EventSay, Text: "hello"}, sc); err != nil {
		tb.Fatalf("AppendEvent(say) = %v", err)
	}
}

// card builds a scorecard by hand: the milestones in reached are reached,
// and one finding per code (severity "problem", or "good" for codes
// starting with "good_").
func card(score, calls, turns int, reached []sim.Milestone, codes ...string) *sim.Scorecard {
	sc := &sim.Scorecard{
		EngineVersion: "test-1",
		Persona:       "p",
		Scenario:      "training",
		Lang:          sim.LangEN,
		Seed:          7,
		Milestones:    map[sim.Milestone]*sim.MilestoneResult{},
		Outcome:       "none",
		Calls:         calls,
		Turns:         turns,
		Score:         score,
		Findings:      []sim.Finding{},
	}
	for _, m := range sim.Milestones {
		r := &sim.MilestoneResult{Label: string(m), Required: true}
		if slices.Contains(reached, m) {
			r.Reached, r.Call, r.Turn, r.TurnsTo, r.Quote = true, 1, 3, 3, "yes"
			sc.Outcome = string(m)
		}
		sc.Milestones[m] = r
	}
	for i, c := range codes {
		sev := "problem"
		if len(c) > 5 && c[:5] == "good_" {
			sev = "good"
		}
		sc.Findings = append(sc.Findings, sim.Finding{Code: c, Severity: sev, Call: 1, Turn: i + 1, Message: "m", Advice: "a", Points: -5})
	}
	return sc
}

// wantCode fails unless err has the domain error code want.
func wantCode(tb testing.TB, what string, err error, want string) {
	tb.Helper()
	if got := sim.ErrorCode(err); got != want {
		tb.Fatalf("%s = %v (code %q); want code %q", what, err, got, want)
	}
}

func TestOpenCreatesDirAndFile(t *testing.T) {
	e := MustOpen(t)
	fi, err := os.Stat(e.path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		t.Errorf("mode of %s = %v; want no access for group and others", e.path, mode)
	}
	if got := e.db.Path(); got != e.path {
		t.Errorf("Path() = %q; want %q", got, e.path)
	}
	ms, _ := loadMigrations()
	v, err := e.db.SchemaVersion(context.Background())
	if err != nil || v != len(ms) {
		t.Errorf("SchemaVersion() = %d, %v; want %d", v, err, len(ms))
	}
}

// TestOpenSettings checks the settings on several pooled connections at
// once: each connection must have them, not only the first.
func TestOpenSettings(t *testing.T) {
	e := MustOpen(t)
	ctx := context.Background()
	var conns []interface{ Close() error }
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range 3 {
		c, err := e.db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		for _, tc := range []struct {
			pragma string
			want   string
		}{
			{"journal_mode", "wal"},
			{"synchronous", "2"},
			{"foreign_keys", "1"},
			{"busy_timeout", "10000"},
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("conn %d: PRAGMA %s = %q; want %q", i, tc.pragma, got, tc.want)
			}
		}
	}
}

func TestOpenBadPath(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:x.db", "a?b.db"} {
		if db, err := Open(context.Background(), path); err == nil {
			db.Close()
			t.Errorf("Open(%q) = nil error; want an error", path)
		}
	}
}

func TestOpenNewerSchema(t *testing.T) {
	e := MustOpen(t)
	if _, err := e.db.db.Exec("INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')"); err != nil {
		t.Fatal(err)
	}
	e.db.Close()
	if db, err := Open(context.Background(), e.path); err == nil {
		db.Close()
		t.Fatalf("Open(newer schema) = nil error; want an error")
	}
}

func TestMigrationsNumbered(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		t.Fatalf("loadMigrations() = %d, %v", len(ms), err)
	}
}

// TestReopen closes the database and opens the file again: everything
// written is still there, and migrations do not run twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	coach := e.MustUser(t, "coach", sim.RoleCoach, "east")
	u := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	token, err := e.users.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	d := e.MustDeal(t, u.ID, "p1")
	sc := card(70, 1, 5, []sim.Milestone{sim.MilestoneNeed}, "premature_pitch")
	e.MustPlay(t, d.ID, sc)
	if err := e.deals.AddComment(ctx, &sim.Comment{DealID: d.ID, Call: 1, Turn: 2, AuthorID: coach.ID, Text: "ask why now"}); err != nil {
		t.Fatal(err)
	}
	if err := e.deals.AddOverride(ctx, &sim.Override{DealID: d.ID, AuthorID: coach.ID, Score: 80, Reason: "good recovery"}); err != nil {
		t.Fatal(err)
	}
	if err := e.teams.SetTeamSettings(ctx, &sim.TeamSettings{Team: "east", HintsDisabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}

	e2 := mustOpenAt(t, e.path, e.clock)
	ms, _ := loadMigrations()
	if v, err := e2.db.SchemaVersion(ctx); err != nil || v != len(ms) {
		t.Errorf("SchemaVersion() after reopen = %d, %v; want %d (the migrations not run twice)", v, err, len(ms))
	}
	if got, err := e2.users.Authenticate(ctx, "alice", "password-alice"); err != nil || got.ID != u.ID {
		t.Errorf("Authenticate after reopen = %v, %v; want user %d", got, err, u.ID)
	}
	if got, err := e2.users.FindSession(ctx, token); err != nil || got.ID != u.ID {
		t.Errorf("FindSession after reopen = %v, %v; want user %d", got, err, u.ID)
	}
	got, err := e2.deals.FindDealByID(ctx, d.ID)
	if err != nil {
		t.Fatalf("FindDealByID after reopen = %v", err)
	}
	if got.Score != 80 || got.Scorecard == nil || got.Scorecard.Score != 70 {
		t.Errorf("deal after reopen: score %d, scorecard %+v; want 80 and a scorecard of 70", got.Score, got.Scorecard)
	}
	if evs, err := e2.deals.Events(ctx, d.ID); err != nil || len(evs) != 2 {
		t.Errorf("Events after reopen = %d events, %v; want 2", len(evs), err)
	}
	if cs, err := e2.deals.Comments(ctx, d.ID); err != nil || len(cs) != 1 {
		t.Errorf("Comments after reopen = %d, %v; want 1", len(cs), err)
	}
	if ts, err := e2.teams.TeamSettings(ctx, "east"); err != nil || !ts.HintsDisabled {
		t.Errorf("TeamSettings after reopen = %+v, %v; want hints disabled", ts, err)
	}
}

func TestObserve(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	var mu sync.Mutex
	var ops []string
	e.db.Observe = func(op string, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if d < 0 {
			t.Errorf("Observe(%q, %v): negative duration", op, d)
		}
		ops = append(ops, op)
	}
	u := e.MustUser(t, "alice", sim.RoleTrainee, "")
	if _, _, err := e.deals.FindDeals(ctx, sim.DealFilter{UserID: u.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.teams.TeamSettings(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	want := []string{"user.create", "deal.find_many", "team.settings"}
	if !slices.Equal(ops, want) {
		t.Errorf("observed ops = %q; want %q", ops, want)
	}
}
