// Package voiceguard keeps a model's voicing of the customer to what the
// engine decided. A Guard wraps a sim.Voice and checks every rewording it
// returns against the engine's line: no seller's moves, no acceptance where
// the engine refuses (or the reverse), no number, date, name or subject the
// line and the public profile do not have, the call's language, a sane
// length, in time. A voicing that fails is discarded and the persona's own
// line is said; the reason is reported, and logged at most once a minute.
package voiceguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// Config tunes a Guard. The zero value is usable.
type Config struct {
	// Timeout bounds each rewording, whether or not the wrapped voice
	// honours its context; 0 leaves it to the caller's context.
	Timeout time.Duration
	// LengthRatio: a voicing longer than LengthRatio times the engine's
	// line is too long (3 when 0); a short line leaves room for 80 all the
	// same. Lengths count characters, a Chinese one as two.
	LengthRatio int
	// MaxLength caps a voicing whatever the line: 400 when 0.
	MaxLength int
	// OnDiscard, when set, is told the reason of every discarded voicing
	// (for a counter such as callsim_voice_failures_total{reason}). It is
	// called on the speaking goroutine: it must not block.
	OnDiscard func(reason string)
	// Logger logs discards at Warn, at most one line per reason per
	// LogEvery (a minute when 0), with how many it left out.
	Logger   *slog.Logger
	LogEvery time.Duration
	// Now is the clock of the log limit; time.Now when nil.
	Now func() time.Time
}

// ReasonCanceled is what Reword returns when the caller gave up (the call
// ended, the server stops): the engine's line stands, and nothing is
// reported, since the voice did not fail.
const ReasonCanceled = "canceled"

// StreamVoice is a Voice that can also hand out its words as they come,
// as sim/openai's does. onDelta is called with each new piece of text.
type StreamVoice interface {
	sim.Voice
	RephraseStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (string, error)
}

// Guard is a sim.Voice that says another voice's rewording only when it
// passes the checks, and the engine's line otherwise. It is safe for
// concurrent use.
type Guard struct {
	voice sim.Voice
	ear   sim.Understander
	lx    *lexicon
	cfg   Config

	mu       sync.Mutex
	profiles map[string]*profileFacts
	logged   map[string]*logState
}

// logState is when a reason was last logged and how many discards for it
// were not logged since.
type logState struct {
	at         time.Time
	suppressed int
}

var (
	_ sim.Voice   = (*Guard)(nil)
	_ StreamVoice = (*Guard)(nil)
)

// defaultLexicon is the embedded lexicon, parsed once.
var defaultLexicon = sync.OnceValues(func() (*lexicon, error) { return parseLexicon("lexicon.txt", lexiconFile) })

// New returns a Guard over v that reads voicings with ear (sim/understand's).
func New(v sim.Voice, ear sim.Understander, cfg Config) (*Guard, error) {
	if v == nil || ear == nil {
		return nil, errors.New("voiceguard: a voice and an ear are required")
	}
	lx, err := defaultLexicon()
	if err != nil {
		return nil, fmt.Errorf("voiceguard: %w", err)
	}
	if cfg.LengthRatio <= 0 {
		cfg.LengthRatio = 3
	}
	if cfg.MaxLength <= 0 {
		cfg.MaxLength = 400
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.LogEvery <= 0 {
		cfg.LogEvery = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Guard{voice: v, ear: ear, lx: lx, cfg: cfg, profiles: map[string]*profileFacts{}, logged: map[string]*logState{}}, nil
}

// Rephrase implements sim.Voice: the wrapped voice's rewording when it
// passes the checks, else req.Line. It never returns an error.
func (g *Guard) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	text, _ := g.Reword(ctx, req)
	return text, nil
}

// Reword returns what the customer says — the voicing, or req.Line — and
// "" or the reason the voicing was discarded (one of Reasons, or
// ReasonCanceled).
func (g *Guard) Reword(ctx context.Context, req sim.VoiceRequest) (text, reason string) {
	ctx, cancel := g.deadline(ctx)
	defer cancel()
	res := make(chan result, 1) // buffered: a voice that ignores ctx still ends
	go func() {
		t, err := g.voice.Rephrase(ctx, req)
		res <- result{t, err}
	}()
	var r result
	select {
	case r = <-res:
	case <-ctx.Done():
		r.err = ctx.Err()
	}
	return g.judge(ctx, req, r)
}

// RephraseStream is Rephrase handing out the voicing as it comes, sentence
// by sentence, each only once the text so far has passed the checks: what
// onDelta is given never holds a leak the checks catch. The returned text
// is what the customer says; when it does not begin with what onDelta was
// given (the voicing failed at its end, and the engine's line is said),
// the caller shows it in place of the pieces. onDelta must not block; it is
// never called after RephraseStream returns. A voice that cannot stream is
// asked with Rephrase and onDelta is given its voicing whole.
func (g *Guard) RephraseStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (string, error) {
	text, _ := g.RewordStream(ctx, req, onDelta)
	return text, nil
}

// RewordStream is RephraseStream that also returns the reason of a discard.
func (g *Guard) RewordStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (text, reason string) {
	if onDelta == nil {
		onDelta = func(string) {}
	}
	sv, ok := g.voice.(StreamVoice)
	if !ok {
		text, reason = g.Reword(ctx, req)
		if reason == "" {
			onDelta(text)
		}
		return text, reason
	}
	ctx, cancel := g.deadline(ctx)
	defer cancel()
	gt := &gate{g: g, req: req, out: onDelta, cancel: cancel}
	res := make(chan result, 1)
	go func() {
		t, err := sv.RephraseStream(ctx, req, gt.delta)
		res <- result{t, err}
	}()
	var r result
	select {
	case r = <-res:
	case <-ctx.Done():
		r.err = ctx.Err()
	}
	failed, detail, sent := gt.close()
	if failed != "" {
		g.discard(req, failed, detail, "")
		return req.Line, failed
	}
	text, reason = g.judge(ctx, req, r)
	if reason == "" && len(text) > len(sent) && text[:len(sent)] == sent {
		onDelta(text[len(sent):]) // the rest, after the last checked sentence
	}
	return text, reason
}

type result struct {
	text string
	err  error
}

// deadline applies the configured timeout.
func (g *Guard) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if g.cfg.Timeout > 0 {
		return context.WithTimeout(ctx, g.cfg.Timeout)
	}
	return context.WithCancel(ctx)
}

// judge turns the voice's answer into what is said, reporting a discard.
func (g *Guard) judge(ctx context.Context, req sim.VoiceRequest, r result) (string, string) {
	reason, detail := "", ""
	switch {
	case r.err != nil:
		reason, detail = classify(ctx, r.err)
		if reason == ReasonCanceled {
			return req.Line, reason
		}
	default:
		reason, detail = g.Check(req, r.text)
	}
	if reason != "" {
		g.discard(req, reason, detail, r.text)
		return req.Line, reason
	}
	return strings.TrimSpace(r.text), ""
}

// classify names a failed call: late, canceled, unavailable or error.
func classify(ctx context.Context, err error) (string, string) {
	var u interface{ Unavailable() bool }
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return ReasonLate, short(err.Error())
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return ReasonCanceled, ""
	case errors.As(err, &u) && u.Unavailable():
		return ReasonUnavailable, short(err.Error())
	}
	return ReasonError, short(err.Error())
}

// discard reports a discarded voicing and logs it, once per reason per
// LogEvery.
func (g *Guard) discard(req sim.VoiceRequest, reason, detail, voicing string) {
	if g.cfg.OnDiscard != nil {
		g.cfg.OnDiscard(reason)
	}
	g.cfg.Logger.Debug("voice discarded", slog.String("reason", reason), slog.String("detail", detail),
		slog.String("situation", string(req.Situation)), slog.String("voicing", short(voicing)))
	now := g.cfg.Now()
	g.mu.Lock()
	st := g.logged[reason]
	if st != nil && now.Sub(st.at) < g.cfg.LogEvery {
		st.suppressed++
		g.mu.Unlock()
		return
	}
	left := 0
	if st != nil {
		left = st.suppressed
	}
	g.logged[reason] = &logState{at: now}
	g.mu.Unlock()
	g.cfg.Logger.Warn("voice discarded, the persona's own line is said",
		slog.String("reason", reason), slog.String("detail", detail),
		slog.String("situation", string(req.Situation)), slog.String("lang", string(req.Lang)),
		slog.String("persona", req.Persona.ID), slog.Int("not_logged_since", left))
}

// short cuts s to a log line's worth.
func short(s string) string {
	const n = 200
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
