package live

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/callsim/callsim/sim"
)

// Session is one client of the service (a websocket connection, a
// terminal): it drives at most one deal at a time and receives its events,
// in order, through a bounded queue. A client that does not keep up is
// dropped (Gone), never waited for: every answer is stored before it is
// queued, so nothing is lost by that.
//
// A session's commands are sent from one goroutine (its transport's
// reader); its events are read from another.
type Session struct {
	svc  *Service
	user *sim.User
	team string

	out      chan Event
	gone     chan struct{}
	goneOnce sync.Once
	slow     atomic.Bool

	hints atomic.Bool // the client asked for hints and the team allows them

	mu  sync.Mutex
	cur *runner // the deal this session drives
}

// Open starts a session for a user of a team, with room for queue events.
func (s *Service) Open(user *sim.User, team string, queue int) *Session {
	return &Session{svc: s, user: user, team: team, out: make(chan Event, max(queue, 1)), gone: make(chan struct{})}
}

// Events is the session's queue of events.
func (ss *Session) Events() <-chan Event { return ss.out }

// Gone is closed when the session was dropped for not reading its events
// fast enough, or closed.
func (ss *Session) Gone() <-chan struct{} { return ss.gone }

// Slow reports whether the session was dropped for being too slow.
func (ss *Session) Slow() bool { return ss.slow.Load() }

// Post queues an event of the transport's own, in order with the deal's.
func (ss *Session) Post(e Event) { ss.emit(e) }

// emit queues an event without ever blocking.
func (ss *Session) emit(e Event) {
	select {
	case <-ss.gone:
		return
	default:
	}
	select {
	case ss.out <- e:
	default:
		ss.slow.Store(true)
		ss.drop()
	}
}

func (ss *Session) drop() { ss.goneOnce.Do(func() { close(ss.gone) }) }

// Close lets go of the session's deal (after the command in flight) and
// ends the session.
func (ss *Session) Close() {
	ss.detach()
	ss.drop()
}

func (ss *Session) current() *runner {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.cur
}

// detach lets go of the session's deal, if any.
func (ss *Session) detach() {
	ss.mu.Lock()
	r := ss.cur
	ss.cur = nil
	ss.mu.Unlock()
	if r != nil {
		r.send(cmd{kind: cmdDetach, sess: ss})
	}
}

// SetHints turns hints on or off (the transport checks the team allows
// them) and, turned on, sends the hint of the deal now.
func (ss *Session) SetHints(re string, on bool) {
	ss.hints.Store(on)
	if r := ss.current(); on && r != nil {
		r.send(cmd{kind: cmdHint, re: re, sess: ss})
	}
}

// StartOptions start a deal.
type StartOptions struct {
	Persona string
	Lang    sim.Lang // "" is the persona's first language
	Seed    *int64   // nil: a new seed
	Goal    sim.Milestone
}

// Start creates a deal, makes this session its driver and dials its first
// call. Refusals come as a Failed event.
func (ss *Session) Start(ctx context.Context, re string, o StartOptions) {
	s := ss.svc
	p, sc, err := s.persona(o.Persona)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			err = sim.Errorf(sim.ENOTFOUND, "persona %s not found", o.Persona)
		}
		ss.emit(failure(re, err))
		return
	}
	lang := o.Lang
	if lang == "" {
		lang = p.Languages[0]
	}
	if !p.Speaks(lang) {
		ss.emit(Failed{Re: re, Code: sim.EINVALID, Message: fmt.Sprintf("persona %s does not speak %s", p.ID, lang)})
		return
	}
	if err := ss.underDealLimit(ctx); err != nil {
		ss.emit(failure(re, err))
		return
	}
	seed := s.cfg.NewSeed()
	if o.Seed != nil {
		seed = *o.Seed
	}
	now := s.cfg.Now()
	rec := &sim.DealRecord{ID: s.cfg.NewID(), UserID: ss.user.ID, Team: ss.team, PersonaID: p.ID,
		Scenario: p.Scenario, Lang: lang, Seed: seed, CreatedAt: now, UpdatedAt: now}
	d, err := s.engine(rec, p, sc) // refuse before storing anything
	if err != nil {
		ss.emit(failure(re, fmt.Errorf("new deal: %w", err)))
		return
	}
	ss.detach()
	if err := s.cfg.Store.CreateDeal(ctx, rec); err != nil {
		ss.emit(storeFailure(re, "create deal", err, s))
		return
	}
	r, err := s.launch(rec, p, sc, d)
	if err != nil {
		ss.emit(failure(re, err))
		return
	}
	if !ss.attach(ctx, r, re, false, false) {
		return
	}
	ss.input(re, nil, sim.Event{Kind: sim.EventDial, Goal: o.Goal})
}

// underDealLimit refuses a start beyond Limits.DealsPerHour.
func (ss *Session) underDealLimit(ctx context.Context) error {
	limit := ss.svc.cfg.Limits.DealsPerHour
	if limit <= 0 || ss.user.Role != sim.RoleTrainee {
		return nil
	}
	_, n, err := ss.svc.cfg.Store.FindDeals(ctx, sim.DealFilter{UserID: ss.user.ID, From: ss.svc.cfg.Now().Add(-time.Hour), Limit: 1})
	if err != nil {
		return fmt.Errorf("count deals: %w", err)
	}
	if n >= limit {
		return sim.Errorf(CodeDealLimit, "you have started %d deals in the last hour, the most allowed (%d): finish one you have, or wait", n, limit)
	}
	return nil
}

// Resume makes this session the driver of a stored deal of its user and
// sends the transcript so far. With takeover, a session driving it now is
// told (TakenOver) and let go; without, that is a refusal.
func (ss *Session) Resume(ctx context.Context, re, dealID string, takeover bool) {
	s := ss.svc
	rec, err := s.cfg.Store.FindDealByID(ctx, dealID)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			ss.emit(Failed{Re: re, Code: sim.ENOTFOUND, Message: "deal not found"})
			return
		}
		ss.emit(storeFailure(re, "find deal", err, s))
		return
	}
	if rec.UserID != ss.user.ID {
		if s.cfg.CanView != nil && s.cfg.CanView(ss.user, rec) {
			ss.emit(Failed{Re: re, Code: sim.EFORBIDDEN, Message: "only the trainee who started a deal can drive it"})
		} else {
			ss.emit(Failed{Re: re, Code: sim.ENOTFOUND, Message: "deal not found"})
		}
		return
	}
	if v := rec.Summary.EngineVersion; v != "" && v != sim.EngineVersion {
		ss.emit(Failed{Re: re, Code: CodeEngineChanged, Message: fmt.Sprintf(
			"this deal was scored by engine %s and this server runs %s; it can be read but not continued", v, sim.EngineVersion)})
		return
	}
	p, sc, err := s.persona(rec.PersonaID)
	if err != nil {
		ss.emit(failure(re, err))
		return
	}
	if v := rec.Summary.PersonaVersion; v != "" {
		if now := p.Version + "+" + sc.Version; now != v {
			ss.emit(Failed{Re: re, Code: CodePersonaChanged, Message: fmt.Sprintf(
				"persona %s was edited since this deal was played (%s, now %s); it can be read but not continued",
				rec.PersonaID, v, now)})
			return
		}
	}
	if cur := ss.current(); cur == nil || cur.id != rec.ID {
		ss.detach()
	}
	// A deal's goroutine that is letting go refuses the attach; the next
	// one rebuilds the deal from the store.
	for range 3 {
		r, err := s.launch(rec, p, sc, nil)
		if err != nil {
			ss.emit(failure(re, err))
			return
		}
		if ok, retry := ss.tryAttach(ctx, r, re, true, takeover); ok || !retry {
			return
		}
	}
	ss.emit(Failed{Re: re, Code: CodeDealBusy, Message: "the deal is being let go; resume it again"})
}

// attach makes the session the driver of r; false when it was refused
// (the refusal was emitted).
func (ss *Session) attach(ctx context.Context, r *runner, re string, resumed, takeover bool) bool {
	ok, retry := ss.tryAttach(ctx, r, re, resumed, takeover)
	if !ok && retry {
		ss.emit(Failed{Re: re, Code: CodeShuttingDown, Message: errShutdown.Error(), Fatal: true})
	}
	return ok
}

// tryAttach asks r to take this session as its driver and waits for the
// answer. retry is true when r had stopped before it could answer.
func (ss *Session) tryAttach(ctx context.Context, r *runner, re string, resumed, takeover bool) (ok, retry bool) {
	ack := make(chan attachResult, 1)
	if !r.send(cmd{kind: cmdAttach, re: re, sess: ss, resumed: resumed, takeover: takeover, ack: ack}) {
		return false, true
	}
	select {
	case a := <-ack:
		return a.ok, a.retry
	case <-r.done:
		select {
		case a := <-ack:
			return a.ok, a.retry
		default:
			return false, true
		}
	case <-ctx.Done():
		return false, false
	}
}

// Dial, Say, Hangup and Finish are the inputs to the session's deal. seq,
// when not nil, is the seq the client expects the input to get.
func (ss *Session) Dial(re string, seq *int, goal sim.Milestone) {
	ss.input(re, seq, sim.Event{Kind: sim.EventDial, Goal: goal})
}

func (ss *Session) Say(re string, seq *int, text string) {
	ss.input(re, seq, sim.Event{Kind: sim.EventSay, Text: text})
}

func (ss *Session) Hangup(re string, seq *int) { ss.input(re, seq, sim.Event{Kind: sim.EventHangup}) }

func (ss *Session) Finish(re string, seq *int) { ss.input(re, seq, sim.Event{Kind: sim.EventFinish}) }

func (ss *Session) input(re string, seq *int, e sim.Event) {
	r := ss.current()
	if r == nil || !r.send(cmd{kind: cmdInput, re: re, seq: seq, e: e, sess: ss}) {
		ss.emit(Failed{Re: re, Code: CodeNoDeal, Message: "no deal yet: start or resume one first"})
	}
}
