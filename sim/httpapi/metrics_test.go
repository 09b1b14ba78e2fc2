package httpapi

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
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
