package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/openai/openaitest"
)

func request() sim.VoiceRequest {
	return sim.VoiceRequest{
		Lang: sim.LangEN,
		Persona: sim.PublicPersona{ID: "p", Profile: sim.Profile{
			Name: sim.Text{sim.LangEN: "Zhang Wei"}, Role: sim.Text{sim.LangEN: "Sales Director"},
		}},
		Situation: sim.SitProblem,
		Line:      "Our team struggles to close on the phone.",
		History:   []sim.VoiceTurn{{Trainee: "What's your biggest challenge?"}},
	}
}

// clock is a fake clock for the back-off and the breaker.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// logBuffer collects log lines, safe for concurrent writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

func mustVoice(tb testing.TB, c Config) *Voice {
	tb.Helper()
	if c.Model == "" {
		c.Model = "m"
	}
	v, err := New(c)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestRephrase(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "json", true: "stream"}[stream], func(t *testing.T) {
			srv := openaitest.New(t, openaitest.Answer(openaitest.Reply{Content: "\"Honestly, my team has trouble closing deals over the phone.\""}))
			v := mustVoice(t, Config{BaseURL: srv.BaseURL(), APIKey: "sk-test", Timeout: 5 * time.Second})
			var got string
			var err error
			var deltas []string
			if stream {
				got, err = v.RephraseStream(t.Context(), request(), func(d string) { deltas = append(deltas, d) })
			} else {
				got, err = v.Rephrase(t.Context(), request())
			}
			want := "Honestly, my team has trouble closing deals over the phone."
			if err != nil || got != want {
				t.Fatalf("Rephrase() = %q, %v; want %q", got, err, want)
			}
			if stream && (len(deltas) < 2 || !strings.HasPrefix(strings.Join(deltas, ""), want)) {
				t.Errorf("deltas = %q; want the line in several pieces", deltas)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Stream != stream || reqs[0].Authorization != "Bearer sk-test" {
				t.Fatalf("requests = %+v; want one, stream %v, with the key", reqs, stream)
			}
			var prompt strings.Builder
			for _, m := range reqs[0].Messages {
				prompt.WriteString(m.Content)
			}
			if !strings.Contains(prompt.String(), request().Line) || !strings.Contains(prompt.String(), "Zhang Wei") {
				t.Errorf("prompt lacks the line or the profile: %s", prompt.String())
			}
			if st := v.Status(); st.State != StateOK || st.LastError != "" {
				t.Errorf("Status() = %+v; want ok", st)
			}
		})
	}
}

// TestRephraseFailures: every way the server misbehaves is an error within
// the timeout, short enough to log.
func TestRephraseFailures(t *testing.T) {
	// slack is what the scheduler may add under -race on a busy machine.
	const timeout, slack = 300 * time.Millisecond, 400 * time.Millisecond
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("<p>nginx</p>", 200) + "</body></html>"
	tests := []struct {
		name   string
		reply  openaitest.Reply
		want   string // in the error
		late   bool
		status int
	}{
		{"429", openaitest.Reply{Status: 429, RetryAfter: "7"}, "status 429", false, 429},
		{"500", openaitest.Reply{Status: 500}, "status 500", false, 500},
		{"502 html", openaitest.Reply{Status: 502, Body: html}, "status 502 Bad Gateway", false, 502},
		{"malformed json", openaitest.Reply{Body: `{"choices": [{"message": {"content": "Hi`, ContentType: "application/json"}, "malformed answer", false, 200},
		{"html with 200", openaitest.Reply{Body: html}, "malformed answer", false, 200},
		{"no choices", openaitest.Reply{NoChoices: true}, "no choices", false, 200},
		{"slow", openaitest.Reply{Delay: 5 * time.Second, Content: "too late"}, "no answer within 300ms", true, 0},
		{"slow stream", openaitest.Reply{ChunkDelay: 200 * time.Millisecond, Content: "one two three four five"}, "no answer within 300ms", true, 200},
	}
	for _, tt := range tests {
		for _, stream := range []bool{false, true} {
			if tt.name == "slow stream" && !stream || tt.name == "malformed json" && stream {
				continue
			}
			t.Run(tt.name+map[bool]string{false: "", true: " (stream)"}[stream], func(t *testing.T) {
				srv := openaitest.New(t, openaitest.Answer(tt.reply))
				v := mustVoice(t, Config{BaseURL: srv.BaseURL(), Timeout: timeout})
				began := time.Now()
				var got string
				var err error
				if stream {
					got, err = v.RephraseStream(t.Context(), request(), nil)
				} else {
					got, err = v.Rephrase(t.Context(), request())
				}
				elapsed := time.Since(began)
				if err == nil || got != "" {
					t.Fatalf("Rephrase() = %q, %v; want an error", got, err)
				}
				if elapsed > timeout+slack {
					t.Errorf("Rephrase() took %v; want at most the timeout %v and a little", elapsed, timeout)
				}
				if !strings.Contains(err.Error(), tt.want) || len(err.Error()) > 300 || strings.Contains(err.Error(), "<p>") {
					t.Errorf("error = %q; want a short one with %q", err, tt.want)
				}
				if late := errors.Is(err, context.DeadlineExceeded); late != tt.late {
					t.Errorf("errors.Is(%v, DeadlineExceeded) = %v; want %v", err, late, tt.late)
				}
				var re *requestError
				if tt.status != 0 && (!errors.As(err, &re) || re.StatusCode() != tt.status) {
					t.Errorf("error %v has status %v; want %d", err, re, tt.status)
				}
				if st := v.Status(); st.LastError == "" || st.Failures != 1 {
					t.Errorf("Status() = %+v; want one failure with its error", st)
				}
			})
		}
	}
}

// TestBackoff: after a 429 or 5xx, requests fail at once, without being
// sent, until Retry-After or the back-off has passed.
func TestBackoff(t *testing.T) {
	clk := newClock()
	srv := openaitest.New(t, openaitest.Answer(openaitest.Reply{Status: 429, RetryAfter: "5"}))
	v := mustVoice(t, Config{BaseURL: srv.BaseURL(), Timeout: time.Second, Backoff: time.Second, MaxBackoff: 20 * time.Second,
		BreakerFailures: 100, Now: clk.Now})
	call := func() error {
		_, err := v.Rephrase(t.Context(), request())
		return err
	}
	sent := func() int { return len(srv.Requests()) }

	if err := call(); err == nil || sent() != 1 {
		t.Fatalf("first call: %v, %d requests; want a 429 error and one request", err, sent())
	}
	if st := v.Status(); st.State != StateBackingOff || !st.Until.Equal(clk.Now().Add(5*time.Second)) {
		t.Fatalf("Status() = %+v; want backing_off for the Retry-After of 5s", st)
	}
	clk.Add(4 * time.Second)
	if err := call(); !errors.Is(err, ErrBackingOff) || sent() != 1 {
		t.Fatalf("call within Retry-After: %v, %d requests; want ErrBackingOff and no request", err, sent())
	}
	clk.Add(time.Second)

	// 500s without Retry-After: 1s, then 2s, then 4s.
	srv.SetReply(openaitest.Answer(openaitest.Reply{Status: 500}))
	for i, wait := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		// the 429 above was the first in a row: these are the 2nd, 3rd, 4th
		if err := call(); err == nil || errors.Is(err, ErrBackingOff) {
			t.Fatalf("500 #%d: %v; want a sent request that failed", i, err)
		}
		clk.Add(wait - time.Millisecond)
		if err := call(); !errors.Is(err, ErrBackingOff) {
			t.Fatalf("500 #%d, %v later: %v; want ErrBackingOff", i, wait-time.Millisecond, err)
		}
		clk.Add(time.Millisecond)
	}

	// A Retry-After as an HTTP date, and the cap.
	srv.SetReply(openaitest.Answer(openaitest.Reply{Status: 503, RetryAfter: clk.Now().Add(time.Hour).Format(http.TimeFormat)}))
	if err := call(); err == nil {
		t.Fatal("503: no error")
	}
	if st := v.Status(); !st.Until.Equal(clk.Now().Add(20 * time.Second)) {
		t.Fatalf("Status().Until = %v; want the cap, 20s from now", st.Until)
	}
	clk.Add(20 * time.Second)

	// An answer ends the back-off.
	srv.SetReply(openaitest.Answer(openaitest.Reply{Content: "Fine."}))
	if err := call(); err != nil {
		t.Fatalf("after the back-off: %v; want an answer", err)
	}
	if st := v.Status(); st.State != StateOK || st.Failures != 0 || !st.Until.IsZero() {
		t.Fatalf("Status() = %+v; want ok", st)
	}
}

// TestBreaker: after N failures in a row the circuit opens for the
// cool-down, logged once; a trial request then closes it, logged once.
func TestBreaker(t *testing.T) {
	clk := newClock()
	var logs logBuffer
	srv := openaitest.New(t, openaitest.Answer(openaitest.Reply{NoChoices: true}))
	v := mustVoice(t, Config{BaseURL: srv.BaseURL(), Timeout: time.Second, BreakerFailures: 3, BreakerCooldown: 30 * time.Second,
		Now: clk.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	call := func() error {
		_, err := v.Rephrase(t.Context(), request())
		return err
	}
	sent := func() int { return len(srv.Requests()) }
	for i := range 3 {
		if err := call(); err == nil || errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("failure %d: %v; want a failed request", i+1, err)
		}
	}
	if st := v.Status(); st.State != StateOpen || st.Failures != 3 || st.LastError == "" {
		t.Fatalf("Status() = %+v; want open after 3 failures", st)
	}
	for range 5 {
		if err := call(); !errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("call while open: %v; want ErrCircuitOpen", err)
		}
	}
	if sent() != 3 {
		t.Fatalf("%d requests sent; want 3: none while open", sent())
	}
	clk.Add(30 * time.Second)
	if err := call(); err == nil || sent() != 4 { // the trial fails
		t.Fatalf("trial: %v, %d requests; want a sent request that failed", err, sent())
	}
	if err := call(); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("after a failed trial: %v; want ErrCircuitOpen", err)
	}
	clk.Add(30 * time.Second)
	srv.SetReply(openaitest.Answer(openaitest.Reply{Content: "Fine."}))
	if err := call(); err != nil {
		t.Fatalf("trial: %v; want an answer", err)
	}
	if st := v.Status(); st.State != StateOK {
		t.Fatalf("Status() = %+v; want ok after a good trial", st)
	}
	if n, m := logs.count("llm circuit open"), logs.count("llm circuit closed"); n != 1 || m != 1 {
		t.Errorf("logged open %d and closed %d times; want once each:\n%s", n, m, logs.b.String())
	}
}

// TestCallerGivesUp: a request the caller cancels says nothing of the server.
func TestCallerGivesUp(t *testing.T) {
	srv := openaitest.New(t, openaitest.Answer(openaitest.Reply{Delay: 5 * time.Second}))
	v := mustVoice(t, Config{BaseURL: srv.BaseURL(), Timeout: 5 * time.Second, BreakerFailures: 1})
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := v.Rephrase(ctx, request()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Rephrase() = %v; want context.Canceled", err)
	}
	if st := v.Status(); st.State != StateOK || st.Failures != 0 {
		t.Fatalf("Status() = %+v; want ok, no failure counted", st)
	}
}

// TestStatusHidesKey: neither the status nor the errors hold the API key,
// even when the server repeats it.
func TestStatusHidesKey(t *testing.T) {
	const key = "sk-secret-0123456789"
	srv := openaitest.New(t, openaitest.Answer(openaitest.Reply{Status: 401, ContentType: "application/json",
		Body: `{"error":{"message":"Incorrect API key provided: ` + key + `"}}`}))
	base := strings.Replace(srv.BaseURL(), "http://", "http://user:"+key+"@", 1)
	v := mustVoice(t, Config{BaseURL: base, APIKey: key, Model: "gpt-x"})
	_, err := v.Rephrase(t.Context(), request())
	if err == nil || strings.Contains(err.Error(), key) {
		t.Fatalf("error = %v; want one without the key", err)
	}
	st := v.Status()
	b, _ := json.Marshal(st)
	if strings.Contains(string(b), key) || !strings.Contains(string(b), `"model":"gpt-x"`) || !strings.Contains(st.Endpoint, "/v1") {
		t.Fatalf("Status() = %s; want endpoint and model, no key", b)
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("llm", slog.Any("status", st))
	if strings.Contains(logs.String(), key) || !strings.Contains(logs.String(), "status.state=ok") {
		t.Fatalf("logged %s; want the status without the key", logs.String())
	}
}

func TestNewNeedsModel(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Fatal("New without a model succeeded; want an error")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		if got, ok := parseRetryAfter(tt.in, now); got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
