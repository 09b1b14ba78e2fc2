package main

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	_ "modernc.org/sqlite" // the "sqlite" driver of the group-commit echo
)

// The baseline of `callsim load --baseline`: two reference servers started
// in this process, played by the same clients as callsim in interleaved
// rounds, so that callsim's figures read against what a websocket and a
// durable write cost on this machine at this moment.
//
//   - echo answers every text message with one reply of callsim's reply
//     size: the websocket alone.
//   - sqlite-echo first appends the message to a SQLite table (WAL,
//     synchronous=FULL) through one writer that commits every pending append
//     in one transaction, and answers once that transaction committed: the
//     websocket plus a group-committed fsync.

// runBaseline logs in to callsim, starts the two reference servers and plays
// o.Rounds interleaved rounds against the three, then prints the report.
func runBaseline(ctx context.Context, o loadOptions, env Env) error {
	cs, err := loadLogin(ctx, o)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	echo, err := startEcho(nil)
	if err != nil {
		return fmt.Errorf("load: baseline: %w", err)
	}
	defer echo.Close()
	glog, err := openGroupLog(ctx)
	if err != nil {
		return fmt.Errorf("load: baseline: %w", err)
	}
	defer glog.Close() // after sqlEcho.Close: its connections append
	sqlEcho, err := startEcho(glog)
	if err != nil {
		return fmt.Errorf("load: baseline: %w", err)
	}
	defer sqlEcho.Close()

	targets := []loadTarget{cs, echo.target("echo"), sqlEcho.target("sqlite-echo")}
	rounds := make([][]*loadResult, len(targets))
	fmt.Fprintf(env.Stdout, "baseline: %d interleaved rounds of %d deals per target, %d clients, think %s\n",
		o.Rounds, o.Deals, o.Concurrency, o.Think)
	errs, firstErr := 0, error(nil)
	for r := 1; r <= o.Rounds && ctx.Err() == nil; r++ {
		for i, t := range targets {
			appends, commits := glog.stats()
			res := loadPlay(ctx, t, o)
			rounds[i] = append(rounds[i], res)
			errs += res.Errors
			if firstErr == nil {
				firstErr = res.FirstErr
			}
			fmt.Fprintf(env.Stdout, "round %d %-12s deals %d, turns %d, errors %d in %s (%.0f turns/s), p50 %s, p99 %s",
				r, t.Name, res.Deals, res.Turns, res.Errors, res.Elapsed.Round(time.Millisecond), res.turnsPerSecond(),
				roundLatency(res.percentile(0.50)), roundLatency(res.percentile(0.99)))
			if t.Name == "sqlite-echo" {
				a, c := glog.stats()
				fmt.Fprintf(env.Stdout, "; %d appends in %d commits", a-appends, c-commits)
			}
			fmt.Fprintln(env.Stdout)
			if r == 1 && i == 0 {
				size := res.replySize()
				if size == 0 {
					const msg = "load: baseline: no callsim reply to size the echoes' replies by"
					if cause := cmp.Or(res.FirstErr, ctx.Err()); cause != nil {
						return fmt.Errorf(msg+": %w", cause)
					}
					return errors.New(msg)
				}
				echo.setReplySize(size)
				sqlEcho.setReplySize(size)
				fmt.Fprintf(env.Stdout, "echo replies: %d bytes (the median callsim reply of round 1)\n", size)
			}
			if ctx.Err() != nil {
				break
			}
		}
	}
	writeBaselineReport(env.Stdout, targets, rounds)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if errs > 0 {
		return fmt.Errorf("load: %d errors, first: %w", errs, firstErr)
	}
	return nil
}

// writeBaselineReport prints each target's median of rounds and callsim's
// figures as ratios to the other targets. targets[0] is callsim.
func writeBaselineReport(w io.Writer, targets []loadTarget, rounds [][]*loadResult) {
	tput := make([]float64, len(targets))
	p99 := make([]time.Duration, len(targets))
	for i := range targets {
		tput[i], p99[i] = medianOfRounds(rounds[i])
	}
	fmt.Fprintln(w, "median of rounds:")
	for i, t := range targets {
		fmt.Fprintf(w, "  %-12s %8.0f turns/s, p99 %s (%d rounds)\n", t.Name, tput[i], roundLatency(p99[i]), len(rounds[i]))
	}
	for i := 1; i < len(targets); i++ {
		fmt.Fprintf(w, "callsim/%s: throughput %s, p99 %s\n", targets[i].Name,
			ratio(tput[0], tput[i]), ratio(p99[0].Seconds(), p99[i].Seconds()))
	}
}

// medianOfRounds returns the median of the rounds' throughputs and the
// median of their p99 latencies, each taken on its own.
func medianOfRounds(rounds []*loadResult) (turnsPerSecond float64, p99 time.Duration) {
	var tput, lat []float64
	for _, r := range rounds {
		tput = append(tput, r.turnsPerSecond())
		lat = append(lat, float64(r.percentile(0.99)))
	}
	return median(tput), time.Duration(median(lat))
}

// median returns the middle of xs, the mean of the two middle values for an
// even count, or 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// ratio formats a/b to three significant figures, or "n/a" when b is 0 or
// either is not a number.
func ratio(a, b float64) string {
	q := a / b
	if b == 0 || math.IsNaN(q) || math.IsInf(q, 0) {
		return "n/a"
	}
	if q >= 1000 {
		return strconv.FormatFloat(q, 'f', 0, 64) + "×"
	}
	return strconv.FormatFloat(q, 'g', 3, 64) + "×"
}

// roundLatency rounds a latency for the report: three or four figures.
func roundLatency(d time.Duration) time.Duration {
	return d.Round(10 * time.Microsecond)
}

// echoReply is a reply message of n bytes, padded, or of its minimum size
// when n is smaller: the load client reads it like callsim's reply.
func echoReply(n int) []byte {
	const head, tail = `{"type":"reply","text":"`, `"}`
	return []byte(head + strings.Repeat("x", max(0, n-len(head)-len(tail))) + tail)
}

// echoServer is a reference websocket server: it answers every text
// message with one reply, after appending the message to log when log is
// set. One goroutine per connection reads and writes, so one writer.
type echoServer struct {
	ln     net.Listener
	srv    *http.Server
	served chan struct{} // closed when Serve returned
	log    *groupLog
	reply  atomic.Pointer[[]byte]
	nextID atomic.Int64

	// ctx is cancelled by Close, which closes every connection:
	// http.Server.Close leaves hijacked connections open.
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and conns.Add
	closed bool
	conns  sync.WaitGroup
}

// startEcho starts an echo server on 127.0.0.1, on a free port.
func startEcho(log *groupLog) (*echoServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("echo: %w", err)
	}
	s := &echoServer{ln: ln, log: log, served: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.setReplySize(0)
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveWS), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.served)
		s.srv.Serve(ln)
	}()
	return s, nil
}

// target is the server as a load target.
func (s *echoServer) target(name string) loadTarget {
	return loadTarget{Name: name, WSURL: "ws://" + s.ln.Addr().String() + "/"}
}

// setReplySize makes every later reply n bytes long.
func (s *echoServer) setReplySize(n int) {
	b := echoReply(n)
	s.reply.Store(&b)
}

func (s *echoServer) serveWS(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	s.conns.Add(1)
	s.mu.Unlock()
	defer s.conns.Done()

	up := websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade answered the request
	}
	defer conn.Close()
	stop := context.AfterFunc(s.ctx, func() { conn.Close() })
	defer stop()
	conn.SetReadLimit(64 << 10)
	id := s.nextID.Add(1)
	for {
		typ, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if typ != websocket.TextMessage {
			continue
		}
		if s.log != nil {
			if err := s.log.Append(s.ctx, id, msg); err != nil {
				conn.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(websocket.CloseInternalServerErr, "append failed"), time.Now().Add(time.Second))
				return
			}
		}
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if err := conn.WriteMessage(websocket.TextMessage, *s.reply.Load()); err != nil {
			return
		}
	}
}

// Close stops the server and closes its connections, and returns once
// every connection's goroutine has.
func (s *echoServer) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	err := s.srv.Close()
	<-s.served
	s.conns.Wait()
	return err
}

// groupLog appends messages to a SQLite table in a temporary directory. One
// writer goroutine takes every pending append and commits them in one
// transaction: one fsync a batch, however many connections wait on it.
type groupLog struct {
	dir     string
	db      *sql.DB
	ins     *sql.Stmt
	reqs    chan logAppend
	cancel  context.CancelFunc
	stopped chan struct{} // closed when the writer returned
	closed  sync.Once
	err     error // Close's

	appends, commits atomic.Int64
}

// logAppend is one pending append; done receives the result of the
// transaction that held it.
type logAppend struct {
	conn int64
	body []byte
	done chan error
}

var errLogClosed = errors.New("group log closed")

// openGroupLog creates the table in a new temporary directory and starts
// the writer.
func openGroupLog(ctx context.Context) (*groupLog, error) {
	dir, err := os.MkdirTemp("", "callsim-baseline-*")
	if err != nil {
		return nil, fmt.Errorf("group log: %w", err)
	}
	g, err := openGroupLogIn(ctx, dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	g.dir = dir
	return g, nil
}

// openGroupLogIn opens the log's database in dir.
func openGroupLogIn(ctx context.Context, dir string) (*groupLog, error) {
	db, err := sql.Open("sqlite", filepath.Join(dir, "echo.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("group log: %w", err)
	}
	db.SetMaxOpenConns(1) // the writer's, and the pragmas hold on it
	g := &groupLog{db: db}
	if err := g.setUp(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("group log: %w", err)
	}
	g.reqs = make(chan logAppend, 256)
	g.stopped = make(chan struct{})
	wctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	go g.write(wctx)
	return g, nil
}

// setUp checks that the settings took effect, since the fsync per commit
// is the point, and creates the table.
func (g *groupLog) setUp(ctx context.Context) error {
	var mode string
	var sync int
	if err := g.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if err := g.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") || sync != 2 {
		return fmt.Errorf("settings not applied: journal_mode=%s synchronous=%d", mode, sync)
	}
	if _, err := g.db.ExecContext(ctx, "CREATE TABLE message (id INTEGER PRIMARY KEY, conn INTEGER NOT NULL, body BLOB NOT NULL)"); err != nil {
		return err
	}
	ins, err := g.db.PrepareContext(ctx, "INSERT INTO message (conn, body) VALUES (?, ?)")
	if err != nil {
		return err
	}
	g.ins = ins
	return nil
}

// Append appends body and returns once the transaction holding it has
// committed.
func (g *groupLog) Append(ctx context.Context, conn int64, body []byte) error {
	a := logAppend{conn: conn, body: body, done: make(chan error, 1)}
	select {
	case g.reqs <- a:
	case <-g.stopped:
		return errLogClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-a.done:
		return err
	case <-g.stopped:
		return errLogClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// write is the writer: it waits for an append, takes every other one
// pending, commits them together and answers each.
func (g *groupLog) write(ctx context.Context) {
	defer close(g.stopped)
	var batch []logAppend
	for {
		batch = batch[:0]
		select {
		case a := <-g.reqs:
			batch = append(batch, a)
		case <-ctx.Done():
			return
		}
	pending:
		for {
			select {
			case a := <-g.reqs:
				batch = append(batch, a)
			default:
				break pending
			}
		}
		err := g.commit(ctx, batch)
		for _, a := range batch {
			a.done <- err
		}
	}
}

// commit inserts batch in one transaction.
func (g *groupLog) commit(ctx context.Context, batch []logAppend) error {
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("append: %w", err)
	}
	defer tx.Rollback()
	ins := tx.StmtContext(ctx, g.ins)
	for _, a := range batch {
		if _, err := ins.ExecContext(ctx, a.conn, a.body); err != nil {
			return fmt.Errorf("append: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("append: %w", err)
	}
	g.appends.Add(int64(len(batch)))
	g.commits.Add(1)
	return nil
}

// stats returns the appends and commits so far.
func (g *groupLog) stats() (appends, commits int64) {
	return g.appends.Load(), g.commits.Load()
}

// Close stops the writer, closes the database and removes its directory.
// Appends still waiting fail. Closing again returns the first result.
func (g *groupLog) Close() error {
	g.closed.Do(func() {
		g.cancel()
		<-g.stopped
		err := errors.Join(g.ins.Close(), g.db.Close())
		if g.dir != "" {
			err = errors.Join(err, os.RemoveAll(g.dir))
		}
		if err != nil {
			g.err = fmt.Errorf("group log: %w", err)
		}
	})
	return g.err
}
