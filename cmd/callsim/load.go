package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// loadLines is the deal every load client plays: a realistic call that
// reaches the need, then a few more turns.
var loadLines = map[string][]string{
	"en": {
		"Hi, this is Anna from Acme Training, do you have two minutes?",
		"How many people are on your sales team right now?",
		"What's the biggest challenge your team has with phone sales?",
		"Why is it important to fix this now, is there a deadline?",
		"So if I understand you right, you need results quickly?",
		"Our course is built to lift your team's results against that target.",
		"Thanks for your time, goodbye!",
	},
	"zh": {
		"您好，我是新锐培训的小李，想跟您聊两分钟，方便吗？",
		"您现在销售团队有多少人？",
		"团队在电话销售上最大的困难是什么？",
		"为什么现在要解决这个问题？有没有时间上的要求？",
		"我理解一下，您是说需要尽快看到结果，对吗？",
		"我们的课程就是帮团队提升业绩、完成目标的。",
		"谢谢您的时间，再见！",
	},
}

// loadOptions configure a load run.
type loadOptions struct {
	URL         string
	Username    string
	Password    string
	Persona     string
	Lang        string
	Deals       int
	Concurrency int
	Think       time.Duration // pause before each line, like a trainee typing
	Timeout     time.Duration
	Baseline    bool // also play two reference servers started in this process
	Rounds      int  // interleaved rounds per target, with Baseline
	Hold        int  // live calls to hold open (0: play deals)
}

// loadResult is what a load run measured.
type loadResult struct {
	Deals     int
	Turns     int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration // say → reply
	Replies   []int           // size in bytes of each reply message
	FirstErr  error
}

// turnsPerSecond is the throughput of the run.
func (r *loadResult) turnsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Turns) / r.Elapsed.Seconds()
}

// replySize is the median size of the reply messages, or 0 without any.
func (r *loadResult) replySize() int {
	if len(r.Replies) == 0 {
		return 0
	}
	s := slices.Clone(r.Replies)
	slices.Sort(s)
	return s[len(s)/2]
}

func (r *loadResult) percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.Latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func runLoad(ctx context.Context, args []string, env Env) error {
	fset := flag.NewFlagSet("load", flag.ContinueOnError)
	o := loadOptions{}
	fset.StringVar(&o.URL, "url", "http://127.0.0.1:8080", "server to load (loopback only)")
	fset.StringVar(&o.Username, "user", "admin", "user to log in as")
	fset.StringVar(&o.Password, "password", "", "password (or CALLSIM_LOAD_PASSWORD)")
	fset.StringVar(&o.Persona, "persona", "st-wang-director", "persona to call")
	fset.StringVar(&o.Lang, "lang", "en", "language of the lines: zh or en")
	fset.IntVar(&o.Deals, "deals", 100, "deals to play")
	fset.IntVar(&o.Concurrency, "concurrency", 20, "deals in flight at once")
	fset.DurationVar(&o.Think, "think", 0, "pause before each line (a trainee thinking and typing)")
	fset.DurationVar(&o.Timeout, "timeout", 2*time.Minute, "give up after this long")
	fset.BoolVar(&o.Baseline, "baseline", false, "also play a bare websocket echo and a group-commit SQLite echo, started in this process, in interleaved rounds")
	fset.IntVar(&o.Rounds, "rounds", 3, "rounds per target with --baseline (each plays --deals deals)")
	fset.IntVar(&o.Hold, "hold", 0, "instead of playing deals, hold this many live calls open, report the server's memory per call, then say one line on all of them at once")
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	roundsSet := false
	fset.Visit(func(f *flag.Flag) { roundsSet = roundsSet || f.Name == "rounds" })
	if roundsSet && !o.Baseline {
		return fmt.Errorf("load: --rounds needs --baseline: %w", errUsage)
	}
	if o.Rounds < 1 {
		return fmt.Errorf("load: --rounds must be at least 1: %w", errUsage)
	}
	if o.Password == "" && env.Getenv != nil {
		o.Password = env.Getenv("CALLSIM_LOAD_PASSWORD")
	}
	if o.Password == "" {
		return fmt.Errorf("load: --password or CALLSIM_LOAD_PASSWORD is required: %w", errUsage)
	}
	if _, ok := loadLines[o.Lang]; !ok {
		return fmt.Errorf("load: --lang must be zh or en: %w", errUsage)
	}
	if o.Deals < 1 || o.Concurrency < 1 {
		return fmt.Errorf("load: --deals and --concurrency must be at least 1: %w", errUsage)
	}
	u, err := url.Parse(o.URL)
	if err != nil || !isLoopback(u.Hostname()) {
		return fmt.Errorf("load: --url must be an http URL on this machine (127.0.0.1, localhost or ::1): %w", errUsage)
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if o.Hold < 0 || o.Hold > 0 && o.Baseline {
		return fmt.Errorf("load: --hold takes a positive number of calls, without --baseline: %w", errUsage)
	}
	if o.Hold > 0 {
		return runHold(ctx, o, env)
	}
	if o.Baseline {
		return runBaseline(ctx, o, env)
	}
	t, err := loadLogin(ctx, o)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	res := loadPlay(ctx, t, o)
	fmt.Fprintf(env.Stdout, "deals %d, turns %d, errors %d in %s (%.0f turns/s)\n", res.Deals, res.Turns, res.Errors,
		res.Elapsed.Round(time.Millisecond), res.turnsPerSecond())
	fmt.Fprintf(env.Stdout, "say→reply latency: p50 %s, p95 %s, p99 %s, max %s\n",
		res.percentile(0.50), res.percentile(0.95), res.percentile(0.99), res.percentile(1))
	if res.Errors > 0 {
		return fmt.Errorf("load: %d errors, first: %w", res.Errors, res.FirstErr)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// loadTarget is a server the load clients play against.
type loadTarget struct {
	Name   string
	WSURL  string
	Header http.Header // sent with the websocket handshake
	// Callsim is set for callsim's protocol: hello, start and call before
	// the says, finish and scorecard after. Without it the target is an
	// echo: a turn is one text message sent and one received.
	Callsim bool
}

// loadLogin logs in to the callsim server at o.URL and returns it as a
// target whose handshake carries the session cookie.
func loadLogin(ctx context.Context, o loadOptions) (loadTarget, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	body, _ := json.Marshal(map[string]string{"username": o.Username, "password": o.Password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(o.URL, "/")+"/api/v1/login", bytes.NewReader(body))
	if err != nil {
		return loadTarget{}, fmt.Errorf("login: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return loadTarget{}, fmt.Errorf("login: %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return loadTarget{}, fmt.Errorf("login: %s", resp.Status)
	}
	base, _ := url.Parse(o.URL)
	wsURL := *base
	wsURL.Scheme = strings.Replace(base.Scheme, "http", "ws", 1)
	wsURL.Path = "/ws/v1"
	hdr := http.Header{"Origin": {base.Scheme + "://" + base.Host}}
	for _, c := range jar.Cookies(base) {
		hdr.Add("Cookie", c.Name+"="+c.Value)
	}
	return loadTarget{Name: "callsim", WSURL: wsURL.String(), Header: hdr, Callsim: true}, nil
}

// loadPlay plays o.Deals deals against t, o.Concurrency at a time, each on
// its own websocket.
func loadPlay(ctx context.Context, t loadTarget, o loadOptions) *loadResult {
	res := &loadResult{}
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				turns, err := loadDeal(ctx, t, o, int64(i+1))
				mu.Lock()
				res.Deals++
				res.Turns += len(turns)
				for _, tu := range turns {
					res.Latencies = append(res.Latencies, tu.latency)
					res.Replies = append(res.Replies, tu.replyBytes)
				}
				if err != nil {
					res.Errors++
					if res.FirstErr == nil {
						res.FirstErr = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < o.Deals && ctx.Err() == nil; i++ {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res
}

// loadTurn is what one say measured.
type loadTurn struct {
	latency    time.Duration // say written → reply read
	replyBytes int           // size of the reply message
}

// loadDeal plays one deal against t and returns every say it measured.
// Against an echo it plays the same says and skips callsim's handshakes.
func loadDeal(ctx context.Context, t loadTarget, o loadOptions, seed int64) ([]loadTurn, error) {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	if t.Callsim {
		d.Subprotocols = []string{"callsim.v1"}
	}
	conn, resp, err := d.DialContext(ctx, t.WSURL, t.Header)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dial websocket: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	conn.SetReadDeadline(time.Now().Add(time.Minute + 10*o.Think))
	// wait reads messages until one of the given types and returns it
	// with its size.
	wait := func(types ...string) (map[string]any, int, error) {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return nil, 0, fmt.Errorf("read: %w", err)
			}
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, 0, fmt.Errorf("read: %w", err)
			}
			t, _ := m["type"].(string)
			if t == "error" {
				return nil, 0, fmt.Errorf("server error %v: %v", m["code"], m["message"])
			}
			if slices.Contains(types, t) {
				return m, len(data), nil
			}
		}
	}
	if t.Callsim {
		if _, _, err := wait("hello"); err != nil {
			return nil, err
		}
		if err := conn.WriteJSON(map[string]any{"type": "start", "id": "s", "persona": o.Persona, "goal": "need", "lang": o.Lang, "seed": seed}); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		if _, _, err := wait("call"); err != nil {
			return nil, err
		}
	}
	var turns []loadTurn
	for i, line := range loadLines[o.Lang] {
		if o.Think > 0 {
			select {
			case <-time.After(o.Think):
			case <-ctx.Done():
				return turns, ctx.Err()
			}
		}
		t0 := time.Now()
		if err := conn.WriteJSON(map[string]any{"type": "say", "id": fmt.Sprint(i), "text": line}); err != nil {
			return turns, fmt.Errorf("say: %w", err)
		}
		m, n, err := wait("reply")
		if err != nil {
			return turns, err
		}
		turns = append(turns, loadTurn{latency: time.Since(t0), replyBytes: n})
		if ended, _ := m["ended"].(bool); ended {
			break
		}
	}
	if t.Callsim {
		if err := conn.WriteJSON(map[string]any{"type": "finish", "id": "f"}); err != nil {
			return turns, fmt.Errorf("finish: %w", err)
		}
		if _, _, err := wait("scorecard"); err != nil && !errors.Is(err, context.Canceled) {
			return turns, err
		}
	}
	conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	return turns, nil
}
