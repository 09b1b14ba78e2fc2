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
}

// loadResult is what a load run measured.
type loadResult struct {
	Deals     int
	Turns     int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration // say → reply
	FirstErr  error
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
	if err := parseFlags(fset, args, env); err != nil {
		return err
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
	res, err := loadRun(ctx, o)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	fmt.Fprintf(env.Stdout, "deals %d, turns %d, errors %d in %s (%.0f turns/s)\n", res.Deals, res.Turns, res.Errors,
		res.Elapsed.Round(time.Millisecond), float64(res.Turns)/res.Elapsed.Seconds())
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

// loadRun logs in once and plays o.Deals deals, o.Concurrency at a time,
// each on its own websocket.
func loadRun(ctx context.Context, o loadOptions) (*loadResult, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	body, _ := json.Marshal(map[string]string{"username": o.Username, "password": o.Password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(o.URL, "/")+"/api/v1/login", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login: %s", resp.Status)
	}
	base, _ := url.Parse(o.URL)
	wsURL := *base
	wsURL.Scheme = strings.Replace(base.Scheme, "http", "ws", 1)
	wsURL.Path = "/ws/v1"
	hdr := http.Header{"Origin": {base.Scheme + "://" + base.Host}}
	for _, c := range jar.Cookies(base) {
		hdr.Add("Cookie", c.Name+"="+c.Value)
	}

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
				lat, err := loadDeal(ctx, wsURL.String(), hdr, o, int64(i+1))
				mu.Lock()
				res.Deals++
				res.Turns += len(lat)
				res.Latencies = append(res.Latencies, lat...)
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
	return res, nil
}

// loadDeal plays one deal and returns the latency of every say.
func loadDeal(ctx context.Context, wsURL string, hdr http.Header, o loadOptions, seed int64) ([]time.Duration, error) {
	d := websocket.Dialer{Subprotocols: []string{"callsim.v1"}, HandshakeTimeout: 10 * time.Second}
	conn, resp, err := d.DialContext(ctx, wsURL, hdr)
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
	wait := func(types ...string) (map[string]any, error) {
		for {
			var m map[string]any
			if err := conn.ReadJSON(&m); err != nil {
				return nil, fmt.Errorf("read: %w", err)
			}
			t, _ := m["type"].(string)
			if t == "error" {
				return nil, fmt.Errorf("server error %v: %v", m["code"], m["message"])
			}
			if slices.Contains(types, t) {
				return m, nil
			}
		}
	}
	if _, err := wait("hello"); err != nil {
		return nil, err
	}
	if err := conn.WriteJSON(map[string]any{"type": "start", "id": "s", "persona": o.Persona, "goal": "need", "lang": o.Lang, "seed": seed}); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if _, err := wait("call"); err != nil {
		return nil, err
	}
	var lat []time.Duration
	for i, line := range loadLines[o.Lang] {
		if o.Think > 0 {
			select {
			case <-time.After(o.Think):
			case <-ctx.Done():
				return lat, ctx.Err()
			}
		}
		t0 := time.Now()
		if err := conn.WriteJSON(map[string]any{"type": "say", "id": fmt.Sprint(i), "text": line}); err != nil {
			return lat, fmt.Errorf("say: %w", err)
		}
		m, err := wait("reply")
		if err != nil {
			return lat, err
		}
		lat = append(lat, time.Since(t0))
		if ended, _ := m["ended"].(bool); ended {
			break
		}
	}
	if err := conn.WriteJSON(map[string]any{"type": "finish", "id": "f"}); err != nil {
		return lat, fmt.Errorf("finish: %w", err)
	}
	if _, err := wait("scorecard"); err != nil && !errors.Is(err, context.Canceled) {
		return lat, err
	}
	conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	return lat, nil
}
