package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
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

// TestLoadBaselineSmoke plays two short interleaved rounds against callsim
// and the two in-process reference servers; the report must name the three
// targets and give callsim's ratios to both.
func TestLoadBaselineSmoke(t *testing.T) {
	s := startMain(t, t.TempDir())
	out, _, err := runCmd(t, "", "load", "--url", s.url, "--user", "admin", "--password", s.admin,
		"--baseline", "--rounds", "2", "--deals", "4", "--concurrency", "2", "--think", "0", "--timeout", "1m")
	if err != nil {
		t.Fatalf("load --baseline: %v\n%s", err, out)
	}
	for _, want := range []string{
		"round 1 callsim ", "round 1 echo ", "round 1 sqlite-echo ", "round 2 sqlite-echo ",
		"echo replies: ", "median of rounds:",
		"\n  callsim ", "\n  echo ", "\n  sqlite-echo ",
		"callsim/echo: throughput ", "callsim/sqlite-echo: throughput ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("load --baseline output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "n/a") || strings.Count(out, "errors 0") != 6 {
		t.Errorf("load --baseline output has errors or a missing ratio:\n%s", out)
	}
}

func TestLoadRoundsFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"without baseline", []string{"--rounds", "2"}, "--rounds needs --baseline"},
		{"zero", []string{"--baseline", "--rounds", "0"}, "--rounds must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"load", "--password", "x"}, tt.args...)
			_, _, err := runCmd(t, "", args...)
			if err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load %q: %v; want a usage error with %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestLoadMedian(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"none", nil, 0},
		{"one", []float64{7}, 7},
		{"odd, unsorted", []float64{9, 1, 5}, 5},
		{"even", []float64{4, 1, 3, 10}, 3.5},
		{"outlier", []float64{100, 101, 5000}, 101},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.xs); got != tt.want {
				t.Errorf("median(%v) = %v; want %v", tt.xs, got, tt.want)
			}
		})
	}
}

func TestLoadMedianOfRounds(t *testing.T) {
	round := func(turns int, elapsed time.Duration, p99 time.Duration) *loadResult {
		r := &loadResult{Turns: turns, Elapsed: elapsed}
		for range 99 {
			r.Latencies = append(r.Latencies, time.Millisecond)
		}
		r.Latencies = append(r.Latencies, p99)
		return r
	}
	rounds := []*loadResult{
		round(100, time.Second, 50*time.Millisecond),   // 100 turns/s
		round(300, time.Second, 10*time.Millisecond),   // 300 turns/s
		round(400, 2*time.Second, 20*time.Millisecond), // 200 turns/s
	}
	tput, p99 := medianOfRounds(rounds)
	if tput != 200 || p99 != 20*time.Millisecond {
		t.Errorf("medianOfRounds = %v turns/s, p99 %v; want 200 turns/s, p99 20ms", tput, p99)
	}
}

func TestLoadRatio(t *testing.T) {
	tests := []struct {
		a, b float64
		want string
	}{
		{700, 14000, "0.05×"},
		{0.097, 0.003, "32.3×"},
		{1, 3, "0.333×"},
		{5000, 2, "2500×"},
		{1, 0, "n/a"},
		{0, 0, "n/a"},
		{math.NaN(), 1, "n/a"},
	}
	for _, tt := range tests {
		if got := ratio(tt.a, tt.b); got != tt.want {
			t.Errorf("ratio(%v, %v) = %q; want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLoadEchoReply(t *testing.T) {
	for _, n := range []int{0, 10, 26, 27, 431, 4096} {
		b := echoReply(n)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || m["type"] != "reply" {
			t.Errorf("echoReply(%d) = %q; want a reply message (%v)", n, b, err)
		}
		if want := max(n, 26); len(b) != want {
			t.Errorf("len(echoReply(%d)) = %d; want %d", n, len(b), want)
		}
	}
}

func TestLoadReplySize(t *testing.T) {
	r := &loadResult{Replies: []int{500, 300, 400, 900, 350}}
	if got := r.replySize(); got != 400 {
		t.Errorf("replySize(%v) = %d; want 400", r.Replies, got)
	}
	if got := (&loadResult{}).replySize(); got != 0 {
		t.Errorf("replySize() of no replies = %d; want 0", got)
	}
}

// TestLoadGroupLog appends from many goroutines at once: every append is in
// the table when it returns, and the writer committed them in fewer
// transactions than appends.
func TestLoadGroupLog(t *testing.T) {
	ctx := context.Background()
	g, err := openGroupLogIn(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	const conns, each = 20, 10
	var wg sync.WaitGroup
	for c := range conns {
		wg.Go(func() {
			for i := range each {
				body := []byte(fmt.Sprintf("%d/%d", c, i))
				if err := g.Append(ctx, int64(c), body); err != nil {
					t.Errorf("Append(%s): %v", body, err)
					return
				}
				var n int
				if err := g.db.QueryRowContext(ctx, "SELECT count(*) FROM message WHERE body = ?", body).Scan(&n); err != nil || n != 1 {
					t.Errorf("after Append(%s): %d rows, %v; want 1", body, n, err)
				}
			}
		})
	}
	wg.Wait()
	appends, commits := g.stats()
	if appends != conns*each || commits < 1 || commits > appends {
		t.Errorf("stats() = %d appends, %d commits; want %d appends in at most as many commits", appends, commits, conns*each)
	}
	t.Logf("%d appends in %d commits", appends, commits)
	if err := g.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := g.Append(ctx, 1, []byte("late")); !errors.Is(err, errLogClosed) {
		t.Errorf("Append after Close: %v; want %v", err, errLogClosed)
	}
}

// TestLoadEchoServer checks that an echo answers each text message with one
// reply of the size set, over the load client's own loop, and closes its
// connections on Close.
func TestLoadEchoServer(t *testing.T) {
	g, err := openGroupLogIn(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	for _, log := range []*groupLog{nil, g} {
		s, err := startEcho(log)
		if err != nil {
			t.Fatal(err)
		}
		s.setReplySize(300)
		turns, err := loadDeal(context.Background(), s.target("echo"), loadOptions{Lang: "en"}, 1)
		if err != nil || len(turns) != len(loadLines["en"]) {
			t.Fatalf("loadDeal against echo: %d turns, %v; want %d", len(turns), err, len(loadLines["en"]))
		}
		for _, tu := range turns {
			if tu.replyBytes != 300 {
				t.Errorf("echo reply of %d bytes; want 300", tu.replyBytes)
			}
		}
		conn, _, err := websocket.DefaultDialer.Dial(s.target("echo").WSURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, _, err := conn.ReadMessage(); err == nil {
			t.Error("a connection outlived Close")
		}
		conn.Close()
	}
	if a, _ := g.stats(); a != int64(len(loadLines["en"])) {
		t.Errorf("sqlite echo appended %d messages; want %d", a, len(loadLines["en"]))
	}
}

// TestLoadHoldSmoke holds a few live calls open against the real server,
// reads its memory from /metrics and says one line on all at once.
func TestLoadHoldSmoke(t *testing.T) {
	s := startMain(t, t.TempDir())
	out, _, err := runCmd(t, "", "load", "--url", s.url, "--user", "admin", "--password", s.admin,
		"--hold", "20", "--concurrency", "10", "--timeout", "1m")
	if err != nil {
		t.Fatalf("load --hold: %v\n%s", err, out)
	}
	for _, want := range []string{"held 20 live calls", "per connected call", "cohort burst: one line on each of 20 calls"} {
		if !strings.Contains(out, want) {
			t.Errorf("load --hold output lacks %q:\n%s", want, out)
		}
	}
}
