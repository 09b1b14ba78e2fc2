package main

import (
	"strings"
	"testing"
	"time"
)

// TestLoadSmoke runs the load command briefly against the real server: a
// handful of concurrent websocket deals, all of which must complete. Long
// load runs and their figures are in docs/performance.md.
func TestLoadSmoke(t *testing.T) {
	s := startMain(t, t.TempDir())
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			out, _, err := runCmd(t, "", "load", "--url", s.url, "--user", "admin", "--password", s.admin,
				"--deals", "6", "--concurrency", "3", "--lang", lang, "--timeout", "1m")
			if err != nil {
				t.Fatalf("load: %v\n%s", err, out)
			}
			if !strings.Contains(out, "deals 6, turns ") || !strings.Contains(out, "errors 0") {
				t.Errorf("load output %q; want 6 deals and no errors", out)
			}
		})
	}
}

func TestLoadRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:8080", "http://example.com", "http://192.168.1.2"} {
		_, _, err := runCmd(t, "", "load", "--url", u, "--password", "x")
		if err == nil || !strings.Contains(err.Error(), "on this machine") {
			t.Errorf("load --url %s: %v; want a refusal", u, err)
		}
	}
}

func TestLoadPercentile(t *testing.T) {
	r := &loadResult{}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	if got := r.percentile(0.5); got != 51*time.Millisecond {
		t.Errorf("p50 = %v; want 51ms", got)
	}
	if got := r.percentile(1); got != 100*time.Millisecond {
		t.Errorf("max = %v; want 100ms", got)
	}
}
