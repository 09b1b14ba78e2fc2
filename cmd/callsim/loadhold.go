package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// heldCall is one live call the hold mode keeps open.
type heldCall struct {
	conn *websocket.Conn
}

// runHold opens o.Hold websockets, starts a deal and dials a call on each,
// and keeps them all live: it reports the server's memory per connected
// call (from its /metrics, before and after) and then the cohort burst —
// one line said on every call at the same moment — with the time until
// every reply came.
func runHold(ctx context.Context, o loadOptions, env Env) error {
	t, err := loadLogin(ctx, o)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	before, err := serverMemory(ctx, o.URL)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	calls := make([]*heldCall, o.Hold)
	errs := make([]error, o.Hold)
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(o.Concurrency, 1))
	opened := time.Now()
	for i := range calls {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			calls[i], errs[i] = holdCall(ctx, t, o, int64(i+1))
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range calls {
			if c != nil {
				c.conn.Close()
			}
		}
	}()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("load: open a call: %w", err)
		}
	}
	time.Sleep(time.Second) // let the server settle
	after, err := serverMemory(ctx, o.URL)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	fmt.Fprintf(env.Stdout, "held %d live calls (opened in %s)\n", o.Hold, time.Since(opened).Round(time.Millisecond))
	for _, k := range []string{"heap", "stack", "rss"} {
		if before[k] > 0 && after[k] > 0 {
			fmt.Fprintf(env.Stdout, "server %-5s %6.1f MiB → %6.1f MiB: %.1f KiB per connected call\n", k,
				before[k]/(1<<20), after[k]/(1<<20), (after[k]-before[k])/1024/float64(o.Hold))
		}
	}

	// The cohort burst: every call says its next line at once.
	line := loadLines[o.Lang][1]
	lat := make([]time.Duration, o.Hold)
	ready := make(chan struct{})
	var burst sync.WaitGroup
	for i, c := range calls {
		burst.Go(func() {
			<-ready
			t0 := time.Now()
			if err := c.conn.WriteJSON(map[string]any{"type": "say", "id": "b", "text": line}); err != nil {
				errs[i] = err
				return
			}
			for {
				_, data, err := c.conn.ReadMessage()
				if err != nil {
					errs[i] = err
					return
				}
				var m struct{ Type string }
				if json.Unmarshal(data, &m) == nil && m.Type == "reply" {
					lat[i] = time.Since(t0)
					return
				}
			}
		})
	}
	began := time.Now()
	close(ready)
	burst.Wait()
	all := time.Since(began)
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("load: burst: %w", err)
		}
	}
	slices.Sort(lat)
	fmt.Fprintf(env.Stdout, "cohort burst: one line on each of %d calls at once: every reply within %s (p50 %s, p99 %s)\n",
		o.Hold, all.Round(time.Millisecond), lat[len(lat)/2].Round(time.Millisecond), lat[min(len(lat)-1, len(lat)*99/100)].Round(time.Millisecond))
	return nil
}

// holdCall opens a websocket, starts a deal and waits for the call.
func holdCall(ctx context.Context, t loadTarget, o loadOptions, seed int64) (*heldCall, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second, Subprotocols: []string{"callsim.v1"}}
	conn, resp, err := d.DialContext(ctx, t.WSURL, t.Header)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dial websocket: %w", err)
	}
	conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
	if err := conn.WriteJSON(map[string]any{"type": "start", "id": "s", "persona": o.Persona, "goal": "need", "lang": o.Lang, "seed": seed}); err != nil {
		conn.Close()
		return nil, fmt.Errorf("start: %w", err)
	}
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("read: %w", err)
		}
		var m struct{ Type, Code, Message string }
		json.Unmarshal(data, &m)
		switch m.Type {
		case "error":
			conn.Close()
			return nil, fmt.Errorf("server error %s: %s", m.Code, m.Message)
		case "call":
			conn.SetReadDeadline(time.Time{})
			return &heldCall{conn: conn}, nil
		}
	}
}

// serverMemory reads the server's heap, stack and resident memory from its
// Prometheus metrics (reachable from this machine).
func serverMemory(ctx context.Context, base string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("metrics: %s", resp.Status)
	}
	names := map[string]string{"go_memstats_heap_inuse_bytes": "heap", "go_memstats_stack_inuse_bytes": "stack", "process_resident_memory_bytes": "rss"}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 {
			if k, ok := names[f[0]]; ok {
				out[k], _ = strconv.ParseFloat(f[1], 64)
			}
		}
	}
	return out, sc.Err()
}
