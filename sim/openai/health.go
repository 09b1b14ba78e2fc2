package openai

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// State is how the model's server is doing, as far as the voice knows.
type State string

// The states of a Voice.
const (
	// StateOK: requests are sent.
	StateOK State = "ok"
	// StateBackingOff: the server answered 429 or 5xx; no request is sent
	// before its Retry-After (or the back-off) has passed.
	StateBackingOff State = "backing_off"
	// StateOpen: the circuit is open after too many failures in a row; no
	// request is sent for the cool-down, then one tries whether the server
	// is back.
	StateOpen State = "open"
)

// Status is what /readyz and the start-up log say of the voice. It never
// holds the API key.
type Status struct {
	Endpoint string `json:"endpoint"`
	Model    string `json:"model"`
	State    State  `json:"state"`
	// Until is when requests are sent again, while backing off or open.
	Until time.Time `json:"until,omitzero"`
	// Failures is how many requests in a row have failed.
	Failures    int       `json:"consecutive_failures"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
}

// LogValue logs a Status as a group.
func (s Status) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("endpoint", s.Endpoint), slog.String("model", s.Model), slog.String("state", string(s.State)),
	}
	if !s.Until.IsZero() {
		attrs = append(attrs, slog.Time("until", s.Until))
	}
	if s.LastError != "" {
		attrs = append(attrs, slog.Int("consecutive_failures", s.Failures), slog.String("last_error", s.LastError))
	}
	return slog.GroupValue(attrs...)
}

// unavailable is the error of a request the voice did not send.
type unavailable string

func (e unavailable) Error() string { return string(e) }

// Unavailable marks an error returned without asking the model: package
// voiceguard counts it apart from failed requests.
func (e unavailable) Unavailable() bool { return true }

// Errors returned at once, without a request.
var (
	// ErrBackingOff: the server asked to wait (429, 5xx) and the wait is
	// not over.
	ErrBackingOff error = unavailable("openai: backing off after 429 or 5xx")
	// ErrCircuitOpen: too many requests in a row failed; the cool-down is
	// not over, or a trial request is under way.
	ErrCircuitOpen error = unavailable("openai: circuit open after repeated failures")
)

// health is the back-off and the circuit breaker, shared by all requests.
type health struct {
	now        func() time.Time
	log        *slog.Logger
	backoff    time.Duration // first wait after a 429 or 5xx without Retry-After
	maxBackoff time.Duration
	threshold  int // failures in a row that open the circuit
	cooldown   time.Duration

	mu        sync.Mutex
	failures  int       // in a row
	throttled int       // 429 or 5xx in a row, for the exponential back-off
	until     time.Time // no request before
	open      bool
	probing   bool // the one trial request of an open circuit is under way
	lastErr   string
	lastErrAt time.Time
}

// admit says whether a request may be sent now; probe is set for the trial
// request of an open circuit, whose outcome closes or re-opens it.
func (h *health) admit() (probe bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	switch {
	case h.open && (h.probing || now.Before(h.until)):
		return false, ErrCircuitOpen
	case h.open:
		h.probing = true
		return true, nil
	case now.Before(h.until):
		return false, ErrBackingOff
	}
	return false, nil
}

// succeeded records an answer.
func (h *health) succeeded(probe bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if probe {
		h.probing = false
	}
	if h.open {
		h.open = false
		h.log.Info("llm circuit closed: the model answers again", slog.Int("failures_before", h.failures))
	}
	h.failures, h.throttled, h.until = 0, 0, time.Time{}
}

// released records a request the caller gave up: it says nothing of the
// server.
func (h *health) released(probe bool) {
	if probe {
		h.mu.Lock()
		h.probing = false
		h.mu.Unlock()
	}
}

// failed records a failed request: its HTTP status (0 without an answer),
// the Retry-After header and what went wrong.
func (h *health) failed(probe bool, status int, retryAfter string, msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	h.failures++
	h.lastErr, h.lastErrAt = msg, now
	if status == http.StatusTooManyRequests || status >= 500 {
		h.throttled++
		wait, ok := parseRetryAfter(retryAfter, now)
		if !ok {
			wait = h.backoff << min(h.throttled-1, 20)
		}
		wait = min(wait, h.maxBackoff)
		if t := now.Add(wait); t.After(h.until) {
			h.until = t
		}
	}
	if probe {
		h.probing = false
	}
	switch {
	case h.open: // the trial failed: another cool-down, no new log line
		h.until = later(h.until, now.Add(h.cooldown))
	case h.failures >= h.threshold:
		h.open = true
		h.until = later(h.until, now.Add(h.cooldown))
		h.log.Warn("llm circuit open: the personas' own lines are said until the model answers again",
			slog.Int("failures", h.failures), slog.Duration("cooldown", h.cooldown), slog.String("last_error", msg))
	}
}

// status is the current state.
func (h *health) status() (State, time.Time, int, string, time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	st := StateOK
	switch {
	case h.open:
		st = StateOpen
	case now.Before(h.until):
		st = StateBackingOff
	}
	until := h.until
	if st == StateOK {
		until = time.Time{}
	}
	return st, until, h.failures, h.lastErr, h.lastErrAt
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
