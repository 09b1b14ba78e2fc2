package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer collects JSON log lines written from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines returns the decoded lines whose msg is msg.
func (b *logBuffer) lines(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// withLogBuffer makes a test server log JSON at debug level into buf.
func withLogBuffer(buf *logBuffer) func(*Server) {
	return func(s *Server) {
		s.Logger = slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	buf := &logBuffer{}
	e := newEnv(t, withLogBuffer(buf), func(s *Server) { s.TrustedProxies = MustPrefixes(t, "10.0.0.0/8") })
	tests := []struct {
		name, method, target, remote string
		hdr                          []string
		status                       int
		path, query, client, level   string
		requestID                    string // "" wants a generated one
	}{
		{"a request with an id", "GET", "/api/v1/me", "192.0.2.1:5555", []string{requestIDHeader, "abc-123.x:y"},
			401, "/api/v1/me", "", "192.0.2.1", "INFO", "abc-123.x:y"},
		{"query values that might be secrets are redacted", "GET", "/api/v1/deals?limit=5&token=hunter2&persona=li&api_key=k", "192.0.2.1:5555", nil,
			401, "/api/v1/deals", "api_key=REDACTED&limit=5&persona=li&token=REDACTED", "192.0.2.1", "INFO", ""},
		{"an invalid id is replaced", "GET", "/api/v1/me", "192.0.2.1:5555", []string{requestIDHeader, "evil\" id=1"},
			401, "/api/v1/me", "", "192.0.2.1", "INFO", ""},
		{"a too long id is replaced", "GET", "/api/v1/me", "192.0.2.1:5555", []string{requestIDHeader, strings.Repeat("a", 129)},
			401, "/api/v1/me", "", "192.0.2.1", "INFO", ""},
		{"the client through a trusted proxy", "GET", "/api/v1/nope", "10.0.0.1:5555", []string{"X-Forwarded-For", "203.0.113.7"},
			404, "/api/v1/nope", "", "203.0.113.7", "INFO", ""},
		{"a health check is debug", "GET", "/healthz", "127.0.0.1:5555", nil,
			200, "/healthz", "", "127.0.0.1", "DEBUG", ""},
		{"a refused metrics scrape is info", "GET", "/metrics", "192.0.2.1:5555", nil,
			401, "/metrics", "", "192.0.2.1", "INFO", ""},
		{"the frontend", "GET", "/index.html?x=1", "192.0.2.1:5555", nil,
			301, "/index.html", "x=REDACTED", "192.0.2.1", "INFO", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			req.RemoteAddr = tt.remote
			for i := 0; i+1 < len(tt.hdr); i += 2 {
				req.Header.Set(tt.hdr[i], tt.hdr[i+1])
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			echoed := rec.Header().Get(requestIDHeader)
			if tt.requestID != "" && echoed != tt.requestID {
				t.Errorf("X-Request-Id answered %q; want the client's %q", echoed, tt.requestID)
			}
			if tt.requestID == "" && (len(echoed) != 26 || echoed == req.Header.Get(requestIDHeader)) {
				t.Errorf("X-Request-Id answered %q; want a generated 26-character id", echoed)
			}
			var line map[string]any
			for _, l := range buf.lines(t, "http request") {
				if l["request_id"] == echoed {
					line = l
				}
			}
			if line == nil {
				t.Fatalf("no access log line with request_id %q", echoed)
			}
			want := map[string]any{"level": tt.level, "method": tt.method, "path": tt.path, "status": float64(tt.status), "client": tt.client}
			if tt.query != "" {
				want["query"] = tt.query
			}
			for k, v := range want {
				if line[k] != v {
					t.Errorf("access log %s = %v; want %v (line %v)", k, line[k], v, line)
				}
			}
			if tt.query == "" && line["query"] != nil {
				t.Errorf("access log query = %v; want none", line["query"])
			}
			if d, ok := line["duration"].(float64); !ok || d <= 0 {
				t.Errorf("access log duration = %v; want a positive duration", line["duration"])
			}
			if b, ok := line["bytes"].(float64); !ok || int(b) != rec.Body.Len() {
				t.Errorf("access log bytes = %v; want %d", line["bytes"], rec.Body.Len())
			}
			if strings.Contains(buf.String(), "hunter2") {
				t.Error("the access log holds a query value that might be a secret")
			}
		})
	}
}

// A websocket is logged once, when it is upgraded, not when it ends.
func TestAccessLogWebsocket(t *testing.T) {
	t.Parallel()
	buf := &logBuffer{}
	e := newEnv(t, withLogBuffer(buf))
	anna := e.login("anna")
	w := anna.dial()
	w.ping()
	var ws []map[string]any
	for _, l := range buf.lines(t, "http request") {
		if l["path"] == "/ws/v1" {
			ws = append(ws, l)
		}
	}
	if len(ws) != 1 || ws[0]["status"] != float64(http.StatusSwitchingProtocols) || ws[0]["request_id"] == "" || ws[0]["client"] != "127.0.0.1" {
		t.Fatalf("access log of the open websocket: %v; want one line, status 101, with a request id and the client", ws)
	}
	w.c.Close()
	e.waitConns(0)
	n := 0
	for _, l := range buf.lines(t, "http request") {
		if l["path"] == "/ws/v1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d access log lines for one websocket after it ended; want 1", n)
	}
}

// waitConns waits until the server has n websocket connections.
func (e *env) waitConns(n int) {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		e.srv.liveMu.Lock()
		got := len(e.srv.conns)
		e.srv.liveMu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d websocket connections; want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestIncomingRequestID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950e"},
		{"Root=1-5759e988-bd862e3fe1be46a994272793", "Root=1-5759e988-bd862e3fe1be46a994272793"},
		{"a b", ""},
		{"a\nlevel=ERROR", ""},
		{"ä", ""},
		{strings.Repeat("x", maxRequestIDLen), strings.Repeat("x", maxRequestIDLen)},
		{strings.Repeat("x", maxRequestIDLen+1), ""},
	}
	for _, tt := range tests {
		if got := incomingRequestID(tt.in); got != tt.want {
			t.Errorf("incomingRequestID(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestLogPathIsCut(t *testing.T) {
	p := "/" + strings.Repeat("é", maxLoggedPath)
	got := logPath(p)
	if len(got) > maxLoggedPath+len("…") || !strings.HasSuffix(got, "…") || !strings.HasPrefix(p, strings.TrimSuffix(got, "…")) {
		t.Errorf("logPath(%d bytes) = %d bytes %q…; want at most %d bytes, cut on a rune", len(p), len(got), got[:10], maxLoggedPath)
	}
	if got := logPath("/a\xffb"); got != "/a\uFFFDb" {
		t.Errorf("logPath(invalid UTF-8) = %q; want %q", got, "/a\uFFFDb")
	}
}
