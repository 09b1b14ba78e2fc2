package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/callsim/callsim/sim"
)

func testGauge(t *testing.T, g prometheus.Gauge) float64 {
	t.Helper()
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}

func TestMetricsAndHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.login("anna").dial()
	w.start("need")
	w.say(lineOpen)
	if got := testGauge(t, e.srv.metrics.liveCalls); got != 1 {
		t.Errorf("live calls = %v; want 1", got)
	}

	resp, err := http.Get(e.ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"callsim_live_calls 1", "callsim_turns_total 1", "callsim_turn_seconds_bucket",
		`callsim_store_seconds_bucket{op="deal.append_turn"`, `callsim_store_seconds_bucket{op="deal.commit_batch"`, "go_goroutines", "callsim_ws_connections 1"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d; want %d", path, resp.StatusCode, want)
		}
	}
	e.srv.SetCatalog(nil)
	resp, _ = http.Get(e.ts.URL + "/readyz")
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz without personas = %d; want 503", resp.StatusCode)
	}
}

func testCounter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// getMetrics asks h for /metrics from a connection at remote, with extra
// headers as name, value pairs.
func getMetrics(h http.Handler, remote string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Behind a trusted proxy the proxied address decides the loopback check.
func TestMetricsBehindProxy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.TrustedProxies = MustPrefixes(t, "127.0.0.1/32", "10.0.0.0/8") })
	tests := []struct {
		name, remote string
		hdr          []string
		want         int
	}{
		{"loopback, no proxy header", "127.0.0.1:5555", nil, http.StatusOK},
		{"remote client through the local proxy", "127.0.0.1:5555", []string{"X-Forwarded-For", "203.0.113.7"}, http.StatusUnauthorized},
		{"remote client through two proxies", "127.0.0.1:5555", []string{"X-Forwarded-For", "203.0.113.7, 10.0.0.2"}, http.StatusUnauthorized},
		{"remote client, Forwarded", "127.0.0.1:5555", []string{"Forwarded", "for=203.0.113.7"}, http.StatusUnauthorized},
		{"unknown client", "127.0.0.1:5555", []string{"Forwarded", "for=unknown"}, http.StatusUnauthorized},
		{"a made-up loopback hop", "127.0.0.1:5555", []string{"X-Forwarded-For", "127.0.0.1, 203.0.113.7"}, http.StatusUnauthorized},
		{"loopback client through the proxy", "127.0.0.1:5555", []string{"X-Forwarded-For", "127.0.0.1"}, http.StatusOK},
		{"spoofed header from an untrusted remote", "192.0.2.1:5555", []string{"X-Forwarded-For", "127.0.0.1"}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rec := getMetrics(e.srv.Handler(), tt.remote, tt.hdr...); rec.Code != tt.want {
				t.Errorf("/metrics from %s with %q = %d; want %d", tt.remote, tt.hdr, rec.Code, tt.want)
			}
		})
	}
}

func TestMetricsToken(t *testing.T) {
	t.Parallel()
	const token = "s3cret-metrics-token"
	e := newEnv(t, func(s *Server) {
		s.TrustedProxies = MustPrefixes(t, "127.0.0.1/32")
		s.MetricsToken = token
	})
	admin := e.login("admin")
	var adminCookie string
	u, _ := http.NewRequest("GET", e.ts.URL, nil)
	for _, ck := range admin.http.Jar.Cookies(u.URL) {
		if ck.Name == sessionCookie {
			adminCookie = ck.Name + "=" + ck.Value
		}
	}
	tests := []struct {
		name, remote string
		hdr          []string
		want         int
	}{
		{"right token, remote client through the proxy", "127.0.0.1:5555", []string{"X-Forwarded-For", "203.0.113.7", "Authorization", "Bearer " + token}, http.StatusOK},
		{"right token, direct remote", "192.0.2.1:5555", []string{"Authorization", "Bearer " + token}, http.StatusOK},
		{"scheme in any case", "192.0.2.1:5555", []string{"Authorization", "bearer " + token}, http.StatusOK},
		{"loopback without the token", "127.0.0.1:5555", nil, http.StatusUnauthorized},
		{"remote without the token", "127.0.0.1:5555", []string{"X-Forwarded-For", "203.0.113.7"}, http.StatusUnauthorized},
		{"wrong token", "192.0.2.1:5555", []string{"Authorization", "Bearer " + token + "x"}, http.StatusUnauthorized},
		{"a prefix of the token", "192.0.2.1:5555", []string{"Authorization", "Bearer " + token[:5]}, http.StatusUnauthorized},
		{"another scheme", "192.0.2.1:5555", []string{"Authorization", "Basic " + token}, http.StatusUnauthorized},
		{"admin session without the token", "192.0.2.1:5555", []string{"Cookie", adminCookie}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := getMetrics(e.srv.Handler(), tt.remote, tt.hdr...)
			if rec.Code != tt.want {
				t.Fatalf("/metrics from %s with %q = %d; want %d", tt.remote, tt.hdr, rec.Code, tt.want)
			}
			if rec.Code == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 with WWW-Authenticate %q; want a Bearer challenge", rec.Header().Get("WWW-Authenticate"))
			}
			if rec.Code == http.StatusOK && !strings.Contains(rec.Body.String(), "callsim_build_info") {
				t.Errorf("/metrics body lacks callsim_build_info")
			}
		})
	}
}

// With metrics_addr, /metrics has a listener of its own and is not on the
// main one.
func TestMetricsListener(t *testing.T) {
	t.Parallel()
	for _, token := range []string{"", "tok"} {
		t.Run("token "+token, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(s *Server) {
				s.Addr, s.MetricsAddr, s.MetricsToken = "127.0.0.1:0", "127.0.0.1:0", token
			})
			if err := e.srv.Open(); err != nil {
				t.Fatalf("open: %v", err)
			}
			maddr := e.srv.MetricsListenAddr()
			if maddr == nil {
				t.Fatal("no metrics listener")
			}
			get := func(url, auth string) int {
				req, _ := http.NewRequest("GET", url, nil)
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("GET %s: %v", url, err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			want := http.StatusOK
			if token != "" {
				want = http.StatusUnauthorized
				if got := get("http://"+maddr.String()+"/metrics", "Bearer "+token); got != http.StatusOK {
					t.Errorf("metrics listener with the token = %d; want 200", got)
				}
			}
			if got := get("http://"+maddr.String()+"/metrics", ""); got != want {
				t.Errorf("metrics listener without a token = %d; want %d", got, want)
			}
			if got := get("http://"+maddr.String()+"/api/v1/me", ""); got != http.StatusNotFound {
				t.Errorf("metrics listener /api/v1/me = %d; want 404", got)
			}
			if got := get(e.srv.URL()+"metrics", "Bearer "+token); got != http.StatusNotFound {
				t.Errorf("main listener /metrics = %d; want 404 (it is on metrics_addr)", got)
			}
			if got := get(e.srv.URL()+"healthz", ""); got != http.StatusOK {
				t.Errorf("main listener /healthz = %d; want 200", got)
			}
		})
	}
}

func TestMetricsBuildInfoAndFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.loginAs("192.0.2.1:1", "", "bob", "wrong-password")
	e.srv.ObserveVoiceFailure("timeout")
	e.srv.ObserveVoiceFailure("timeout")
	e.srv.ObserveVoiceFailure("")
	body := getMetrics(e.srv.Handler(), "127.0.0.1:1").Body.String()
	for _, want := range []string{
		`callsim_build_info{engine_version="` + sim.EngineVersion + `",go_version="` + runtime.Version() + `",version="` + buildVersion() + `"} 1`,
		"callsim_login_failures_total 1",
		`callsim_voice_failures_total{reason="timeout"} 2`,
		`callsim_voice_failures_total{reason="unknown"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if v := buildVersion(); v == "" || v == "(devel)" {
		t.Errorf("buildVersion() = %q; want a version or devel", v)
	}
}

// A caller passing error texts as reasons cannot grow the metrics without
// end.
func TestVoiceFailureReasonsAreBounded(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m := newMetrics(reg)
	for i := range 100 {
		m.voiceFailure(fmt.Sprintf("dial tcp 10.0.0.%d: connection refused", i))
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "callsim_voice_failures_total" {
			continue
		}
		if n := len(f.GetMetric()); n > maxVoiceReasons+1 {
			t.Errorf("%d voice failure series; want at most %d", n, maxVoiceReasons+1)
		}
	}
	if got := testCounter(t, m.voice.WithLabelValues("other")); got != 100-maxVoiceReasons {
		t.Errorf("reason other = %v; want %d", got, 100-maxVoiceReasons)
	}
}
