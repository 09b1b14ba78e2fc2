package voiceguard_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/voiceguard"
)

// reasons records what a guard reported.
type reasons struct {
	mu  sync.Mutex
	got []string
}

func (r *reasons) add(reason string) {
	r.mu.Lock()
	r.got = append(r.got, reason)
	r.mu.Unlock()
}

func (r *reasons) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func problemRequest(tb testing.TB) sim.VoiceRequest {
	return sim.VoiceRequest{Lang: sim.LangEN, Persona: wang(tb), Situation: sim.SitProblem,
		Line: "Phone skills are uneven. The veterans are fine, the newcomers not so much."}
}

// unavailableErr is an error of a voice that did not try.
type unavailableErr struct{}

func (unavailableErr) Error() string     { return "backing off" }
func (unavailableErr) Unavailable() bool { return true }

func TestGuardRephrase(t *testing.T) {
	const timeout = 200 * time.Millisecond
	good := "Honestly, the veterans do fine on the phone, but the new people struggle."
	tests := []struct {
		name   string
		voice  sim.Voice
		want   string // "" for the voicing
		reason string
	}{
		{"good", says(good), good, ""},
		{"error", voiceFunc(func(context.Context, sim.VoiceRequest) (string, error) { return "", errors.New("boom") }), "", voiceguard.ReasonError},
		{"unavailable", voiceFunc(func(context.Context, sim.VoiceRequest) (string, error) { return "", unavailableErr{} }), "", voiceguard.ReasonUnavailable},
		{"late, honouring ctx", voiceFunc(func(ctx context.Context, _ sim.VoiceRequest) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		}), "", voiceguard.ReasonLate},
		{"late, ignoring ctx", voiceFunc(func(context.Context, sim.VoiceRequest) (string, error) {
			time.Sleep(2 * time.Second)
			return good, nil
		}), "", voiceguard.ReasonLate},
		{"leak", says("My budget is 26,000 yuan, 32,000 at most."), "", voiceguard.ReasonAmount},
		{"empty", says(""), "", voiceguard.ReasonEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs reasons
			g := mustGuard(t, tt.voice, voiceguard.Config{Timeout: timeout, OnDiscard: rs.add})
			req := problemRequest(t)
			began := time.Now()
			text, reason := g.Reword(t.Context(), req)
			if elapsed := time.Since(began); elapsed > timeout+400*time.Millisecond {
				t.Errorf("Reword took %v; want at most %v and a little", elapsed, timeout)
			}
			want := tt.want
			if want == "" {
				want = req.Line
			}
			if text != want || reason != tt.reason {
				t.Fatalf("Reword() = %q, %q; want %q, %q", text, reason, want, tt.reason)
			}
			wantReported := []string{tt.reason}
			if tt.reason == "" {
				wantReported = nil
			}
			if got := rs.all(); !equal(got, wantReported) {
				t.Errorf("reported %q; want %q", got, wantReported)
			}
			if text, err := g.Rephrase(t.Context(), req); err != nil || text != want {
				t.Errorf("Rephrase() = %q, %v; want %q, nil", text, err, want)
			}
		})
	}
}

func equal(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// TestGuardCanceled: a caller that gives up is no failure of the voice.
func TestGuardCanceled(t *testing.T) {
	var rs reasons
	g := mustGuard(t, voiceFunc(func(ctx context.Context, _ sim.VoiceRequest) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}), voiceguard.Config{OnDiscard: rs.add})
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(20*time.Millisecond, cancel)
	req := problemRequest(t)
	if text, reason := g.Reword(ctx, req); text != req.Line || reason != voiceguard.ReasonCanceled {
		t.Fatalf("Reword() = %q, %q; want the line, canceled", text, reason)
	}
	if got := rs.all(); len(got) != 0 {
		t.Errorf("reported %q; want nothing", got)
	}
}

// TestGuardLogsOncePerMinute: a discard is counted every time and logged
// once per reason per minute, with how many were left out.
func TestGuardLogsOncePerMinute(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	var rs reasons
	voicing := "My budget is 26,000 yuan."
	g := mustGuard(t, voiceFunc(func(context.Context, sim.VoiceRequest) (string, error) { return voicing, nil }),
		voiceguard.Config{OnDiscard: rs.add, Now: clock, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	req := problemRequest(t)
	for range 5 {
		g.Reword(t.Context(), req)
	}
	voicing = "" // another reason: logged at once
	g.Reword(t.Context(), req)
	if n := strings.Count(logs.String(), "level=WARN"); n != 2 {
		t.Fatalf("logged %d lines for 6 discards of 2 reasons; want 2:\n%s", n, logs.String())
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	voicing = "My budget is 26,000 yuan."
	g.Reword(t.Context(), req)
	if n := strings.Count(logs.String(), "level=WARN"); n != 3 || !strings.Contains(logs.String(), "not_logged_since=4") {
		t.Fatalf("a minute later: logged %d lines; want 3, the last saying 4 were left out:\n%s", n, logs.String())
	}
	if got := rs.all(); len(got) != 7 {
		t.Errorf("reported %d discards; want all 7", len(got))
	}
	if strings.Contains(logs.String(), "My budget is") {
		t.Errorf("the Warn line holds the voicing; it should say the reason and what failed:\n%s", logs.String())
	}
}

// streamer is a StreamVoice that sends pieces with a pause between them.
type streamer struct {
	pieces []string
	pause  time.Duration

	mu   sync.Mutex
	sent int // pieces handed to onDelta
}

func (s *streamer) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	return s.RephraseStream(ctx, req, nil)
}

func (s *streamer) RephraseStream(ctx context.Context, _ sim.VoiceRequest, onDelta func(string)) (string, error) {
	var b strings.Builder
	for _, p := range s.pieces {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(s.pause):
		}
		b.WriteString(p)
		s.mu.Lock()
		s.sent++
		s.mu.Unlock()
		if onDelta != nil {
			onDelta(p)
		}
	}
	return b.String(), nil
}

func TestGuardStream(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		shown  string // what onDelta is given
		said   string // "" for the engine's line
		reason string
	}{
		{"good", []string{"Honestly, the veterans ", "do fine. ", "The new people ", "struggle."},
			"Honestly, the veterans do fine. The new people struggle.", "Honestly, the veterans do fine. The new people struggle.", ""},
		{"leak in the second sentence", []string{"Honestly, the veterans ", "do fine. ", "My budget is 26,000 ", "yuan. ", "Really."},
			"Honestly, the veterans do fine.", "", voiceguard.ReasonAmount},
		{"leak at the end", []string{"Honestly, the veterans ", "do fine. ", "Budget: 26,000"},
			"Honestly, the veterans do fine.", "", voiceguard.ReasonAmount},
		{"wrong language from the start", []string{"团队的", "电话水平", "参差不齐。", "老的还行。"}, "", "", voiceguard.ReasonLanguage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs reasons
			sv := &streamer{pieces: tt.pieces, pause: 5 * time.Millisecond}
			g := mustGuard(t, sv, voiceguard.Config{Timeout: 2 * time.Second, OnDiscard: rs.add})
			req := problemRequest(t)
			var shown strings.Builder
			var mu sync.Mutex
			text, reason := g.RewordStream(t.Context(), req, func(d string) {
				mu.Lock()
				shown.WriteString(d)
				mu.Unlock()
			})
			mu.Lock()
			got := shown.String()
			mu.Unlock()
			said := tt.said
			if said == "" {
				said = req.Line
			}
			if text != said || reason != tt.reason || got != tt.shown {
				t.Fatalf("RewordStream() = %q, %q, showing %q; want %q, %q, showing %q", text, reason, got, said, tt.reason, tt.shown)
			}
			if tt.reason != "" {
				if r := rs.all(); len(r) != 1 || r[0] != tt.reason {
					t.Errorf("reported %q; want [%s]", r, tt.reason)
				}
			}
		})
	}
}

// TestGuardStreamDeadline: a stream that runs past the timeout ends at the
// timeout, and onDelta is never called after RewordStream returns.
func TestGuardStreamDeadline(t *testing.T) {
	const timeout = 150 * time.Millisecond
	sv := &streamer{pieces: strings.Split("Well. The veterans are fine. The new people not so much. Really. Yes.", " "), pause: 60 * time.Millisecond}
	g := mustGuard(t, sv, voiceguard.Config{Timeout: timeout})
	req := problemRequest(t)
	var mu sync.Mutex
	returned := false
	began := time.Now()
	text, reason := g.RewordStream(t.Context(), req, func(string) {
		mu.Lock()
		defer mu.Unlock()
		if returned {
			t.Error("onDelta called after RewordStream returned")
		}
	})
	mu.Lock()
	returned = true
	mu.Unlock()
	if elapsed := time.Since(began); elapsed > timeout+400*time.Millisecond {
		t.Errorf("RewordStream took %v; want at most %v and a little", elapsed, timeout)
	}
	if text != req.Line || reason != voiceguard.ReasonLate {
		t.Fatalf("RewordStream() = %q, %q; want the line, late", text, reason)
	}
	time.Sleep(100 * time.Millisecond) // the voice stops at its context
}

// TestGuardStreamPlainVoice: a voice that cannot stream is asked once and
// its voicing handed out whole.
func TestGuardStreamPlainVoice(t *testing.T) {
	good := "Honestly, the veterans do fine on the phone, but the new people struggle."
	g := mustGuard(t, says(good), voiceguard.Config{})
	var shown []string
	text, err := g.RephraseStream(t.Context(), problemRequest(t), func(d string) { shown = append(shown, d) })
	if err != nil || text != good || len(shown) != 1 || shown[0] != good {
		t.Fatalf("RephraseStream() = %q, %v, showing %q; want the voicing, shown once", text, err, shown)
	}
}

func TestNewNeedsVoiceAndEar(t *testing.T) {
	if _, err := voiceguard.New(nil, theEar(), voiceguard.Config{}); err == nil {
		t.Error("New without a voice succeeded")
	}
	if _, err := voiceguard.New(says(""), nil, voiceguard.Config{}); err == nil {
		t.Error("New without an ear succeeded")
	}
}
