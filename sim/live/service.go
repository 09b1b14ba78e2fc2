// Package live runs live deals. One goroutine owns each deal that a
// session drives: its engine, its stored events, the seq and idempotency
// ids, who drives it, and the commit of every turn. It takes commands
// (start, resume, dial, say, hang up, finish, hints, take over, let go) and
// emits typed events to the one session that drives it, through that
// session's bounded queue. The websocket transport and the terminal both
// use it, so they behave alike.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/callsim/callsim/sim"
)

// Store is what the service needs of the deal store (sim.DealService has
// it all).
type Store interface {
	CreateDeal(ctx context.Context, d *sim.DealRecord) error
	FindDealByID(ctx context.Context, id string) (*sim.DealRecord, error)
	FindDeals(ctx context.Context, f sim.DealFilter) ([]*sim.DealRecord, int, error)
	Events(ctx context.Context, dealID string) ([]sim.Event, error)
	AppendEvent(ctx context.Context, dealID string, e sim.Event, sc *sim.Scorecard) error
	AppendTurn(ctx context.Context, dealID string, e sim.Event, sum sim.DealSummary) error
}

// VoiceRecorder is a Store that keeps what the LLM voice did for each
// customer line: the words shown, why a rewording was dropped, how long it
// took.
type VoiceRecorder interface {
	RecordVoice(ctx context.Context, dealID string, seq int, n sim.VoiceNote) error
}

// Rewording is a Voice that says why it kept the engine's line (a guard).
type Rewording interface {
	Reword(ctx context.Context, req sim.VoiceRequest) (text, reason string)
	RewordStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (text, reason string)
}

// StreamVoice is a Voice that can send its words as they come.
type StreamVoice interface {
	sim.Voice
	RephraseStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (string, error)
}

// Config sets up a Service.
type Config struct {
	Store   Store
	Catalog func() *sim.Catalog
	Ear     sim.Understander
	Rules   sim.Rules
	Weights sim.Weights
	Limits  Limits

	// Voice optionally rewords the customer's lines (an LLM); the engine's
	// words stay what is stored and scored. It runs outside the deal's
	// goroutine: a slow model delays only the words it rewords.
	Voice        sim.Voice
	VoiceTimeout time.Duration

	// Finished, when set, is told (without blocking) of every deal whose
	// final scorecard was just stored: for webhooks.
	Finished func(ctx context.Context, dealID string)

	// CanView says whether a user who did not start a deal may read it (a
	// refused resume then says forbidden rather than not found).
	CanView func(u *sim.User, rec *sim.DealRecord) bool

	Observer Observer
	Logger   *slog.Logger
	Now      func() time.Time
	NewSeed  func() int64
	NewID    func() string
}

// DefaultVoiceTimeout is how long the voice may take before the engine's
// own words are shown.
const DefaultVoiceTimeout = 10 * time.Second

// Queue lengths: commands waiting for a deal's goroutine, and answers
// waiting for its speaker.
const (
	commandQueue = 8
	speakerQueue = 16
)

// Service runs the live deals.
type Service struct {
	cfg Config

	// ctx is the context of the deals' work; Close cancels it only when
	// the in-flight turns do not finish in time.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	running map[string]*runner
	closing bool
	wg      sync.WaitGroup
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.VoiceTimeout <= 0 {
		cfg.VoiceTimeout = DefaultVoiceTimeout
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{cfg: cfg, ctx: ctx, cancel: cancel, running: map[string]*runner{}}
}

type nopObserver struct{}

func (nopObserver) Turn(time.Duration) {}
func (nopObserver) LiveCalls(int)      {}

// IsLive reports whether a session drives the deal now.
func (s *Service) IsLive(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.running[id]
	return ok
}

// Close stops taking commands, lets every deal finish (and store) the
// command in flight and answer it, and returns when all are done, or
// when ctx ends (then the deals' remaining work is cancelled).
func (s *Service) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	rs := make([]*runner, 0, len(s.running))
	for _, r := range s.running {
		rs = append(rs, r)
	}
	s.mu.Unlock()
	for _, r := range rs {
		r.stop()
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.cancel()
		<-done
		return fmt.Errorf("live: close: %w", ctx.Err())
	}
}

// Scorecard returns the scorecard of a deal as of its last event: the
// live deal's own when a session drives it, else rebuilt from the stored
// events. ok is false when the deal is not live and its stored scorecard
// is up to date (read that one).
func (s *Service) Scorecard(ctx context.Context, rec *sim.DealRecord) (sc *sim.Scorecard, ok bool, err error) {
	s.mu.Lock()
	r := s.running[rec.ID]
	s.mu.Unlock()
	if r != nil {
		ch := make(chan *sim.Scorecard, 1)
		if r.send(cmd{kind: cmdScorecard, card: ch}) {
			select {
			case sc := <-ch:
				if sc != nil {
					return sc, true, nil
				}
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
		}
	}
	if rec.ScorecardSeq >= rec.LastSeq {
		return nil, false, nil
	}
	d, _, err := s.rebuild(ctx, rec)
	if err != nil {
		return nil, false, err
	}
	return d.Scorecard(), true, nil
}

// rebuild replays a deal's stored events through a fresh engine; the
// deterministic engine makes the result exact.
func (s *Service) rebuild(ctx context.Context, rec *sim.DealRecord) (*sim.Deal, []sim.Event, error) {
	p, sc, err := s.persona(rec.PersonaID)
	if err != nil {
		return nil, nil, err
	}
	events, err := s.cfg.Store.Events(ctx, rec.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("rebuild deal %s: %w", rec.ID, err)
	}
	d, err := s.engine(rec, p, sc)
	if err != nil {
		return nil, nil, fmt.Errorf("rebuild deal %s: %w", rec.ID, err)
	}
	for i, e := range events {
		if e.Seq != i+1 {
			return nil, nil, fmt.Errorf("rebuild deal %s: event %d has seq %d", rec.ID, i+1, e.Seq)
		}
		if _, err := d.Apply(e); err != nil {
			return nil, nil, fmt.Errorf("rebuild deal %s: replay event %d: %w", rec.ID, e.Seq, err)
		}
	}
	return d, events, nil
}

func (s *Service) persona(id string) (*sim.Persona, *sim.Scenario, error) {
	cat := s.cfg.Catalog()
	if cat == nil {
		return nil, nil, sim.Errorf(sim.EINTERNAL, "no personas loaded")
	}
	p, sc, err := cat.Persona(id)
	if err != nil {
		return nil, nil, sim.Errorf(sim.ENOTFOUND, "persona %s no longer exists", id)
	}
	return p, sc, nil
}

func (s *Service) engine(rec *sim.DealRecord, p *sim.Persona, sc *sim.Scenario) (*sim.Deal, error) {
	return sim.NewDeal(s.cfg.Ear, p, sc, sim.DealConfig{Seed: rec.Seed, Lang: rec.Lang, Rules: s.cfg.Rules, Weights: s.cfg.Weights})
}

// launch registers and starts the goroutine of a deal; d is nil to rebuild
// it from the store first. It returns the runner already driving the deal
// if there is one.
func (s *Service) launch(rec *sim.DealRecord, p *sim.Persona, sc *sim.Scenario, d *sim.Deal) (*runner, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, errShutdown
	}
	if r := s.running[rec.ID]; r != nil {
		return r, nil
	}
	r := &runner{
		svc: s, id: rec.ID, rec: rec, p: p, sc: sc, deal: d, ids: map[string]int{},
		cmds: make(chan cmd, commandQueue), quit: make(chan struct{}), done: make(chan struct{}),
		log: s.cfg.Logger.With(slog.String("deal", rec.ID)),
	}
	s.running[rec.ID] = r
	s.wg.Add(1)
	go r.run()
	return r, nil
}

// remove takes a runner out of the registry; it takes no more commands.
func (s *Service) remove(r *runner) {
	s.mu.Lock()
	if s.running[r.id] == r {
		delete(s.running, r.id)
	}
	s.mu.Unlock()
}

var errShutdown = errors.New("the server is shutting down")

func failure(re string, err error) Failed {
	if errors.Is(err, errShutdown) {
		return Failed{Re: re, Code: CodeShuttingDown, Message: err.Error(), Fatal: true}
	}
	return Failed{Re: re, Code: sim.ErrorCode(err), Message: sim.ErrorMessage(err)}
}

// storeFailure logs a store error and answers it without its details.
func storeFailure(re, what string, err error, s *Service) Failed {
	s.cfg.Logger.Error(what, slog.Any("err", err))
	return Failed{Re: re, Code: CodeStore, Message: "the store did not answer; try again"}
}
