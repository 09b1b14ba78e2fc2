package live_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/yaml"
)

const persona = "st-wang-director"

func newService(t testing.TB, cfg live.Config) (*live.Service, *live.MemoryStore) {
	t.Helper()
	cat, err := yaml.Load(context.Background(), personas.FS(), "")
	if err != nil {
		t.Fatal(err)
	}
	store := live.NewMemoryStore()
	var n atomic.Int64
	cfg.Store, cfg.Catalog, cfg.Ear = store, func() *sim.Catalog { return cat }, understand.MustNew()
	cfg.Rules, cfg.Weights = sim.DefaultRules(), sim.DefaultWeights()
	cfg.NewSeed = func() int64 { return 7 }
	cfg.NewID = func() string { return "d" + string(rune('0'+n.Add(1))) }
	s := live.New(cfg)
	t.Cleanup(func() { s.Close(context.Background()) })
	return s, store
}

// next reads the session's next event.
func next(t *testing.T, ss *live.Session) live.Event {
	t.Helper()
	select {
	case e := <-ss.Events():
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
		return nil
	}
}

func expect[E live.Event](t *testing.T, ss *live.Session) E {
	t.Helper()
	e := next(t, ss)
	got, ok := e.(E)
	if !ok {
		var want E
		t.Fatalf("got %T %+v; want %T", e, e, want)
	}
	return got
}

var trainee = &sim.User{ID: 1, Username: "anna", Role: sim.RoleTrainee}

func start(t *testing.T, ss *live.Session) string {
	t.Helper()
	ss.Start(context.Background(), "s", live.StartOptions{Persona: persona, Lang: sim.LangEN, Goal: sim.MilestoneNeed})
	d := expect[live.DealOpened](t, ss)
	expect[live.CallStarted](t, ss)
	return d.ID
}

// One goroutine per deal answers in order; a resent id is answered again
// without a second event; a takeover moves the deal to the new session and
// tells the old one.
func TestSessionDrivesDeal(t *testing.T) {
	svc, store := newService(t, live.Config{})
	a := svc.Open(trainee, "north", 16)
	id := start(t, a)
	a.Say("l1", nil, "Hi, this is Anna from Acme Training, do you have two minutes?")
	r1 := expect[live.Replied](t, a)
	a.Say("l1", nil, "Hi, this is Anna from Acme Training, do you have two minutes?")
	if r := expect[live.Replied](t, a); !r.Duplicate || r.Seq != r1.Seq {
		t.Errorf("resent id: %+v; want a duplicate of seq %d", r, r1.Seq)
	}
	if evs, _ := store.Events(context.Background(), id); len(evs) != 2 {
		t.Errorf("%d events stored; want 2", len(evs))
	}

	b := svc.Open(trainee, "north", 16)
	b.Resume(context.Background(), "r", id, false)
	if f := expect[live.Failed](t, b); f.Code != live.CodeDealBusy {
		t.Errorf("resume of a driven deal: %+v; want %s", f, live.CodeDealBusy)
	}
	b.Resume(context.Background(), "r", id, true)
	expect[live.TakenOver](t, a)
	if d := expect[live.DealOpened](t, b); !d.Resumed {
		t.Errorf("takeover: %+v; want a resumed deal", d)
	}
	if tr := expect[live.Transcript](t, b); tr.NextSeq != 3 || !tr.InCall {
		t.Errorf("transcript after takeover: next seq %d, in call %v; want 3, true", tr.NextSeq, tr.InCall)
	}
	a.Say("l2", nil, "What's the biggest challenge your team has with phone sales?")
	if f := expect[live.Failed](t, a); f.Code != live.CodeNoDeal {
		t.Errorf("the old session says a line: %+v; want %s", f, live.CodeNoDeal)
	}
	b.Say("l2", nil, "What's the biggest challenge your team has with phone sales?")
	if r := expect[live.Replied](t, b); r.Seq != 3 {
		t.Errorf("reply after takeover: seq %d; want 3", r.Seq)
	}
	b.Close()
	deadline := time.Now().Add(5 * time.Second)
	for svc.IsLive(id) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if svc.IsLive(id) {
		t.Error("the deal is still live after its session closed")
	}
}

// slowVoice takes its time unless the context ends.
type slowVoice struct{ d time.Duration }

func (v slowVoice) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	select {
	case <-time.After(v.d):
		return "slowly: " + req.Line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// A slow voice delays only the words it rewords: a takeover is answered
// at once, and the reworded reply still reaches the session it answers.
func TestSlowVoiceHoldsNothing(t *testing.T) {
	svc, _ := newService(t, live.Config{Voice: slowVoice{2 * time.Second}, VoiceTimeout: 5 * time.Second})
	a := svc.Open(trainee, "north", 16)
	a.Start(context.Background(), "s", live.StartOptions{Persona: persona, Lang: sim.LangEN, Goal: sim.MilestoneNeed})
	d := expect[live.DealOpened](t, a)
	b := svc.Open(trainee, "north", 16)
	began := time.Now()
	b.Resume(context.Background(), "r", d.ID, true)
	expect[live.DealOpened](t, b)
	if took := time.Since(began); took > time.Second {
		t.Errorf("the takeover took %v behind a slow voice", took)
	}
	if c := expect[live.CallStarted](t, a); c.Text[:8] != "slowly: " {
		t.Errorf("the voiced pickup %q", c.Text)
	}
	expect[live.TakenOver](t, a)
}

// Close lets the deals finish the command in flight, and refuses the rest.
func TestCloseFinishesInFlight(t *testing.T) {
	svc, store := newService(t, live.Config{})
	a := svc.Open(trainee, "north", 16)
	id := start(t, a)
	a.Say("l1", nil, "Hi, this is Anna from Acme Training, do you have two minutes?")
	if err := svc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	evs, _ := store.Events(context.Background(), id)
	replied := false
	for range 2 {
		select {
		case e := <-a.Events():
			if _, ok := e.(live.Replied); ok {
				replied = true
			}
		default:
		}
	}
	if replied != (len(evs) == 2) {
		t.Errorf("after Close: %d events stored, replied %v; want a reply exactly when the line was stored", len(evs), replied)
	}
	a.Start(context.Background(), "s2", live.StartOptions{Persona: persona, Lang: sim.LangEN, Goal: sim.MilestoneNeed})
	for {
		if f, ok := next(t, a).(live.Failed); ok {
			if f.Code != live.CodeShuttingDown {
				t.Errorf("start after Close: %+v; want %s", f, live.CodeShuttingDown)
			}
			break
		}
	}
}

// streamVoice streams its rewording in two pieces.
type streamVoice struct{}

func (streamVoice) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	return "Well… " + req.Line, nil
}

func (v streamVoice) RephraseStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (string, error) {
	onDelta("Well… ")
	onDelta(req.Line)
	return v.Rephrase(ctx, req)
}

// A streaming voice sends pieces before the reply, which carries the whole
// text; what the trainee was shown is kept beside the engine's line; and
// the voice changes nothing the engine decides: the same lines with the
// voice on and off reach the same milestones at the same turns and score.
func TestVoiceStreamsAndDecidesNothing(t *testing.T) {
	lines := []string{
		"Hi, this is Anna from Acme Training, do you have two minutes?",
		"What's the biggest challenge your team has with phone sales?",
		"What happens if your team misses that target this quarter?",
	}
	play := func(v sim.Voice) (*sim.Scorecard, []live.Event) {
		svc, store := newService(t, live.Config{Voice: v})
		a := svc.Open(trainee, "north", 64)
		id := start(t, a)
		var seen []live.Event
		for i, l := range lines {
			a.Say(string(rune('a'+i)), nil, l)
			for {
				e := next(t, a)
				seen = append(seen, e)
				if _, ok := e.(live.Replied); ok {
					break
				}
			}
		}
		a.Finish("f", nil)
		for {
			if sc, ok := next(t, a).(live.ScorecardReady); ok && sc.Scorecard.Over {
				break
			}
		}
		rec, _ := store.FindDealByID(context.Background(), id)
		sc, _, err := svc.Scorecard(context.Background(), rec)
		if err != nil {
			t.Fatal(err)
		}
		if sc == nil {
			sc = rec.Scorecard
		}
		return sc, seen
	}
	plain, _ := play(nil)
	voiced, seen := play(streamVoice{})

	deltas := 0
	for i, e := range seen {
		switch e := e.(type) {
		case live.ReplyDelta:
			deltas++
		case live.Replied:
			if deltas == 0 || !strings.HasPrefix(e.Reply.Text, "Well… ") || e.Replaced {
				t.Errorf("event %d: reply %q after %d pieces (replaced %v); want the streamed pieces first and the whole text", i, e.Reply.Text, deltas, e.Replaced)
			}
			deltas = 0
		}
	}
	shown := 0
	for _, tt := range voiced.Transcript {
		if tt.Shown != "" {
			shown++
			if tt.Shown != "Well… "+tt.Customer {
				t.Errorf("turn %d.%d shown %q; want the voiced words beside the engine's %q", tt.Call, tt.Turn, tt.Shown, tt.Customer)
			}
		}
	}
	if shown < len(lines) {
		t.Errorf("%d turns record what the trainee was shown; want at least %d", shown, len(lines))
	}
	if voiced.Score != plain.Score || voiced.Outcome != plain.Outcome {
		t.Errorf("voice on: score %d outcome %s; off: %d %s", voiced.Score, voiced.Outcome, plain.Score, plain.Outcome)
	}
	for _, m := range sim.Milestones {
		a, b := voiced.Milestones[m], plain.Milestones[m]
		if a.Reached != b.Reached || a.Call != b.Call || a.Turn != b.Turn {
			t.Errorf("milestone %s: voice on %+v, off %+v", m, a, b)
		}
	}
}
