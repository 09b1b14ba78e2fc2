package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// loginAs posts a login straight to the handler, from a connection at
// remote with the given X-Forwarded-For ("" for none); it returns the
// status and the Retry-After header.
func (e *env) loginAs(remote, xff, username, password string) (int, string) {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = remote
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Retry-After")
}

// The lockout rule of docs/api.md, step by step.
func TestLoginLockout(t *testing.T) {
	t.Parallel()
	const (
		attempts = 3
		window   = time.Minute
		wrong    = "wrong-password"
	)
	type step struct {
		after          time.Duration // the clock moves this much first
		remote, xff    string
		user, password string
		want           int
		retryAfter     string // checked when not empty
	}
	proxy := "127.0.0.1:40000"
	tests := []struct {
		name    string
		proxies []string
		steps   []step
	}{
		{"per username, from any address", nil, []step{
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.2:1", "", "Bob", wrong, 401, ""}, // usernames are counted case-folded
			{0, "192.0.2.3:1", "", "bob", wrong, 401, ""},
			{10 * time.Second, "192.0.2.4:1", "", "bob", wrong, 429, "50"},
			{0, "192.0.2.4:1", "", "anna", testPassword, 200, ""}, // that address is not locked
		}},
		{"per address, whatever the username", nil, []step{
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "nobody", wrong, 401, ""}, // unknown usernames count too
			{0, "192.0.2.1:1", "", "sam", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "anna", wrong, 429, "60"},
			{0, "192.0.2.9:1", "", "anna", testPassword, 200, ""}, // anna is not locked elsewhere
		}},
		{"the right password is refused during a lockout", nil, []step{
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{59 * time.Second, "192.0.2.1:1", "", "bob", testPassword, 429, "1"},
			{time.Second, "192.0.2.1:1", "", "bob", testPassword, 200, ""}, // the window is over
		}},
		{"refusals do not extend the window", nil, []step{
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{30 * time.Second, "192.0.2.1:1", "", "bob", wrong, 429, "30"},
			{20 * time.Second, "192.0.2.1:1", "", "bob", wrong, 429, "10"},
			{10 * time.Second, "192.0.2.1:1", "", "bob", wrong, 401, ""}, // a new window, its first failure
		}},
		{"the window starts at the first failure and is fixed", nil, []step{
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{50 * time.Second, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{11 * time.Second, "192.0.2.1:1", "", "bob", wrong, 401, ""}, // the first window ended: 1 of 3
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", testPassword, 429, "60"},
		}},
		{"a success does not reset the count", nil, []step{
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", testPassword, 200, ""},
			{0, "192.0.2.1:1", "", "bob", wrong, 401, ""},
			{0, "192.0.2.1:1", "", "bob", testPassword, 429, "60"},
		}},
		{"behind a trusted proxy each client has its own bucket", []string{"127.0.0.1/32"}, []step{
			{0, proxy, "203.0.113.1", "nobody1", wrong, 401, ""},
			{0, proxy, "203.0.113.1", "nobody2", wrong, 401, ""},
			{0, proxy, "203.0.113.1", "nobody3", wrong, 401, ""},
			{0, proxy, "203.0.113.1", "anna", testPassword, 429, "60"},
			{0, proxy, "203.0.113.2", "anna", testPassword, 200, ""},
			{0, proxy, "198.51.100.1, 203.0.113.1", "anna", testPassword, 429, "60"}, // a made-up left hop changes nothing
		}},
		{"behind an untrusted proxy every client shares its bucket", nil, []step{
			{0, proxy, "203.0.113.1", "nobody1", wrong, 401, ""},
			{0, proxy, "203.0.113.2", "nobody2", wrong, 401, ""},
			{0, proxy, "203.0.113.3", "nobody3", wrong, 401, ""},
			{0, proxy, "203.0.113.4", "anna", testPassword, 429, "60"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := &fakeClock{now: time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)}
			e := newEnv(t, func(s *Server) {
				s.LoginAttempts, s.LoginWindow, s.Now = attempts, window, clock.Now
				s.TrustedProxies = MustPrefixes(t, tt.proxies...)
			})
			for i, st := range tt.steps {
				clock.Add(st.after)
				status, retry := e.loginAs(st.remote, st.xff, st.user, st.password)
				if status != st.want || st.retryAfter != "" && retry != st.retryAfter {
					t.Fatalf("step %d: login(%s, xff %q, %s) = %d, Retry-After %q; want %d, %q", i+1, st.remote, st.xff, st.user, status, retry, st.want, st.retryAfter)
				}
				if status == http.StatusTooManyRequests && retry == "" {
					t.Fatalf("step %d: 429 without Retry-After", i+1)
				}
			}
		})
	}
}

func TestLoginFailuresCounted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.loginAs("192.0.2.1:1", "", "bob", "wrong-password")
	e.loginAs("192.0.2.1:1", "", "nobody", "wrong-password")
	e.loginAs("192.0.2.1:1", "", "bob", testPassword)
	if got := testCounter(t, e.srv.metrics.loginFailures); got != 2 {
		t.Errorf("callsim_login_failures_total = %v; want 2", got)
	}
}

// A username of any length costs the limiter one short key.
func TestLoginKeysAreShort(t *testing.T) {
	s := &Server{}
	r := httptest.NewRequest("POST", "/api/v1/login", nil)
	for _, k := range s.loginKeys(r, strings.Repeat("x", 1<<20)) {
		if len(k) > 64 {
			t.Errorf("limiter key of %d bytes; want at most 64", len(k))
		}
	}
	a, b := s.loginKeys(r, "Anna"), s.loginKeys(r, "anna")
	if a[1] != b[1] {
		t.Errorf("loginKeys(Anna) = %q, loginKeys(anna) = %q; want one key", a[1], b[1])
	}
}
