package httpapi

import (
	"context"
	"net"
	"net/http"
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
	handler     http.Handler
}

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
	}
	reg.MustRegister(m.liveCalls, m.connections, m.turns, m.turnSeconds, m.store, m.requests,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

// handleMetrics serves /metrics to loopback clients and admins.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if ip := net.ParseIP(clientIP(r)); ip == nil || !ip.IsLoopback() {
		sess, err := s.session(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if sess.User.Role != sim.RoleAdmin {
			s.writeError(w, r, sim.Errorf(sim.EFORBIDDEN, "metrics are for loopback clients and admins"))
			return
		}
	}
	s.metrics.handler.ServeHTTP(w, r)
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
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "personas": len(c.Personas)})
}
