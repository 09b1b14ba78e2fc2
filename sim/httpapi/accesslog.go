package httpapi

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// requestIDHeader carries the request id in and out.
const requestIDHeader = "X-Request-Id"

const (
	maxRequestIDLen = 128
	maxLoggedPath   = 512 // bytes of a path written to the access log
)

// loggedParams are the query parameters whose values the access log
// shows: the API's filters and paging. Any other parameter is logged with
// its value redacted, since it might be a secret.
var loggedParams = map[string]bool{
	"user": true, "team": true, "persona": true, "from": true, "to": true, "outcome": true,
	"sort": true, "offset": true, "limit": true, "role": true,
}

// quietPaths are polled by probes and scrapers: their successful requests
// are logged at debug level, not info.
var quietPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// reqInfo is what the outermost handler learnt about a request.
type reqInfo struct {
	id     string     // the request id, echoed in X-Request-Id
	client netip.Addr // the client, through trusted proxies (proxy.go)
}

type reqInfoKey struct{}

func infoOf(ctx context.Context) *reqInfo {
	ri, _ := ctx.Value(reqInfoKey{}).(*reqInfo)
	return ri
}

// requestID returns the request's id ("" outside a request of the server).
func requestID(ctx context.Context) string {
	if ri := infoOf(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// clientAddr is the request's client address (proxy.go); the zero Addr
// when unknown.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	if ri := infoOf(r.Context()); ri != nil {
		return ri.client
	}
	return s.resolveClient(r)
}

// observe is the outermost handler: it gives the request its id and
// client address, counts the response by status class and writes one
// access log line per request. A websocket upgrade is logged when the
// connection is taken over, not when it ends hours later.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{id: incomingRequestID(r.Header.Get(requestIDHeader)), client: s.resolveClient(r)}
		if ri.id == "" {
			ri.id = rand.Text()
		}
		w.Header().Set(requestIDHeader, ri.id)
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri))
		rec := &recorder{ResponseWriter: w}
		rec.onHijack = func() { s.logRequest(r, ri, http.StatusSwitchingProtocols, 0, time.Since(start)) }
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(strconv.Itoa(status/100) + "xx").Inc()
		if !rec.hijacked {
			s.logRequest(r, ri, status, rec.bytes, time.Since(start))
		}
	})
}

func (s *Server) logRequest(r *http.Request, ri *reqInfo, status int, bytes int64, d time.Duration) {
	level := slog.LevelInfo
	if status < 400 && quietPaths[r.URL.Path] {
		level = slog.LevelDebug
	}
	ctx := r.Context()
	if !s.Logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs, slog.String("method", r.Method), slog.String("path", logPath(r.URL.Path)))
	if q := logQuery(r.URL.RawQuery); q != "" {
		attrs = append(attrs, slog.String("query", q))
	}
	attrs = append(attrs, slog.Int("status", status), slog.Duration("duration", d), slog.Int64("bytes", bytes),
		slog.String("client", addrString(ri.client)), slog.String("request_id", ri.id))
	s.Logger.LogAttrs(ctx, level, "http request", attrs...)
}

// incomingRequestID returns a client's X-Request-Id when it is 1 to 128
// letters, digits and - _ . : + = / @ (so it cannot forge log lines or
// headers); otherwise "".
func incomingRequestID(id string) string {
	if id == "" || len(id) > maxRequestIDLen {
		return ""
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.:+=/@", c) >= 0
		if !ok {
			return ""
		}
	}
	return id
}

// logPath is a path as the access log shows it: valid UTF-8, cut short.
func logPath(p string) string {
	p = strings.ToValidUTF8(p, "\uFFFD")
	if len(p) <= maxLoggedPath {
		return p
	}
	cut := maxLoggedPath
	for cut > 0 && !utf8.RuneStart(p[cut]) {
		cut--
	}
	return p[:cut] + "…"
}

// logQuery is the query string with the values of parameters outside
// loggedParams replaced by REDACTED; "" without a query.
func logQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, _ := url.ParseQuery(raw) // what could be parsed
	for k, vs := range q {
		if !loggedParams[k] {
			q[k] = []string{"REDACTED"}
			continue
		}
		for i, v := range vs {
			if len(v) > 64 {
				vs[i] = v[:64] + "…"
			}
		}
	}
	return q.Encode()
}

// recorder remembers the status and counts the body's bytes; it passes
// Hijack through for the websocket upgrade and reports it.
type recorder struct {
	http.ResponseWriter
	status   int
	bytes    int64
	hijacked bool
	onHijack func()
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijack not supported")
	}
	conn, rw, err := h.Hijack()
	if err != nil {
		return nil, nil, err
	}
	r.status, r.hijacked = http.StatusSwitchingProtocols, true
	if r.onHijack != nil {
		r.onHijack()
	}
	return conn, rw, nil
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
