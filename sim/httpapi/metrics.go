package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/callsim/callsim/sim"
)

// metrics are the server's Prometheus metrics (docs/api.md).
type metrics struct {
	liveCalls   prometheus.Gauge
	connections prometheus.Gauge
	turns       prometheus.Counter
	turnSeconds prometheus.Histogram
	store       *prometheus.HistogramVec
	requests    *prometheus.CounterVec
	// loginFailures counts wrong usernames or passwords (not the attempts
	// refused by the rate limit, which are not checked).
	loginFailures prometheus.Counter
	voice         *prometheus.CounterVec
	handler       http.Handler

	voiceMu      sync.Mutex
	voiceReasons map[string]bool // the reason labels in use, at most maxVoiceReasons
}

// maxVoiceReasons bounds the reason labels of callsim_voice_failures_total,
// so that a caller passing error texts cannot grow the metrics without end;
// further reasons are counted as "other".
const maxVoiceReasons = 16

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		liveCalls: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "callsim_live_calls", Help: "Calls in progress on open websockets.",
		}),
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "callsim_ws_connections", Help: "Open websocket connections.",
		}),
		turns: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "callsim_turns_total", Help: "Trainee lines answered.",
		}),
		turnSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "callsim_turn_seconds",
			Help:    "Time from receiving a say to queueing its reply (engine and store).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "callsim_store_seconds",
			Help:    "Store operation latency.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"op"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "callsim_http_requests_total", Help: "HTTP requests by status class.",
		}, []string{"code"}),
		loginFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "callsim_login_failures_total", Help: "Logins refused for a wrong username or password.",
		}),
		voice: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "callsim_voice_failures_total", Help: "Customer lines the voice could not reword (the engine's words were shown), by reason.",
		}, []string{"reason"}),
		voiceReasons: map[string]bool{},
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "callsim_build_info", Help: "Always 1; the labels say which callsim is running.",
		ConstLabels: prometheus.Labels{"version": buildVersion(), "engine_version": sim.EngineVersion, "go_version": runtime.Version()},
	})
	build.Set(1)
	reg.MustRegister(m.liveCalls, m.connections, m.turns, m.turnSeconds, m.store, m.requests,
		m.loginFailures, m.voice, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

// buildVersion is the main module's version, or "devel" for a build
// from a work tree without one.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// ObserveVoiceFailure counts one customer line the voice (Server.Voice)
// failed to reword, so that the engine's words were shown instead. reason
// is a short fixed word such as "timeout" or "error", never an error's
// text: it is a label, and after maxVoiceReasons different ones the rest
// are counted as "other".
func (s *Server) ObserveVoiceFailure(reason string) {
	s.metrics.voiceFailure(reason)
}

func (m *metrics) voiceFailure(reason string) {
	if reason == "" {
		reason = "unknown"
	}
	m.voiceMu.Lock()
	if !m.voiceReasons[reason] {
		if len(m.voiceReasons) >= maxVoiceReasons {
			reason = "other"
		}
		m.voiceReasons[reason] = true
	}
	m.voiceMu.Unlock()
	m.voice.WithLabelValues(reason).Inc()
}

// handleMetrics serves /metrics on the main listener: with a
// MetricsToken, to requests that carry it; without one, to loopback
// clients (the address through trusted proxies) and admins.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if err := s.metricsAllowed(w, r, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.metrics.handler.ServeHTTP(w, r)
}

// MetricsHandler is the handler of the metrics listener (MetricsAddr):
// GET /metrics only, to anyone who can reach the listener or, with a
// MetricsToken, to requests that carry it. Open serves it; it is exported
// for callers that listen themselves.
func (s *Server) MetricsHandler() http.Handler {
	s.Handler()
	return s.metricsHandler
}

func (s *Server) metricsRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if err := s.metricsAllowed(w, r, true); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.metrics.handler.ServeHTTP(w, r)
	})
	return s.observe(mux)
}

// metricsAllowed checks who may read the metrics; own is true on the
// metrics listener, whose address is its access control.
func (s *Server) metricsAllowed(w http.ResponseWriter, r *http.Request, own bool) error {
	if s.MetricsToken != "" {
		if !validBearer(r.Header.Get("Authorization"), s.MetricsToken) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="callsim metrics"`)
			return sim.Errorf(sim.EUNAUTHORIZED, "metrics need the header Authorization: Bearer <server.metrics_token>")
		}
		return nil
	}
	if own {
		return nil
	}
	if a := s.clientAddr(r); a.IsValid() && a.IsLoopback() {
		return nil
	}
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	if sess.User.Role != sim.RoleAdmin {
		return sim.Errorf(sim.EFORBIDDEN, "metrics are for loopback clients and admins")
	}
	return nil
}

// validBearer compares "Bearer TOKEN" with the token in constant time
// (the hashes, so that not even the length leaks).
func validBearer(header, token string) bool {
	scheme, got, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// handleReadyz checks that the store answers and a catalog is loaded.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	fail := func(msg string) {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": msg})
	}
	c := s.Catalog()
	if c == nil || len(c.Personas) == 0 {
		fail("no personas loaded")
		return
	}
	if _, err := s.Users.CountUsers(ctx); err != nil {
		s.Logger.Warn("readyz: store unreachable", "err", err)
		fail("store unreachable")
		return
	}
	if s.isClosing() {
		fail("shutting down")
		return
	}
	body := map[string]any{"status": "ok", "personas": len(c.Personas)}
	// The voice's state is detail: an unavailable model does not make the
	// server unready, the personas speak their own lines.
	if s.VoiceStatus != nil {
		body["voice"] = s.VoiceStatus()
	}
	writeJSON(w, http.StatusOK, body)
}
