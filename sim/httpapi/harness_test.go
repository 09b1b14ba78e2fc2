package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/sqlite"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/yaml"
)

const (
	testPersona  = "st-wang-director"
	testPassword = "password123"
)

// env is a server on httptest with a real SQLite store in a temp dir and
// the shipped personas.
type env struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	db    *sqlite.DB
	deals *flakyDeals
	users map[string]*sim.User
}

// flakyDeals is the real deal store with injectable AppendEvent failures.
type flakyDeals struct {
	*sqlite.DealService
	mu       sync.Mutex
	failNext int
}

func (f *flakyDeals) AppendEvent(ctx context.Context, id string, e sim.Event, sc *sim.Scorecard) error {
	if f.failing() {
		return fmt.Errorf("append event: disk on fire")
	}
	return f.DealService.AppendEvent(ctx, id, e, sc)
}

func (f *flakyDeals) AppendTurn(ctx context.Context, id string, e sim.Event, sum sim.DealSummary) error {
	if f.failing() {
		return fmt.Errorf("append turn: disk on fire")
	}
	return f.DealService.AppendTurn(ctx, id, e, sum)
}

// failing reports whether this append is to fail, and counts it.
func (f *flakyDeals) failing() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	fail := f.failNext > 0
	if fail {
		f.failNext--
	}
	return fail
}

func (f *flakyDeals) fail(n int) {
	f.mu.Lock()
	f.failNext = n
	f.mu.Unlock()
}

// MustCatalog loads the shipped personas.
func MustCatalog(tb testing.TB) *sim.Catalog {
	tb.Helper()
	c, err := yaml.Load(context.Background(), personas.FS(), "")
	if err != nil {
		tb.Fatalf("load personas: %v", err)
	}
	return c
}

// newEnv starts a server; opts adjust it before it serves.
func newEnv(tb testing.TB, opts ...func(*Server)) *env {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "callsim.db"))
	if err != nil {
		tb.Fatalf("open db: %v", err)
	}
	us := sqlite.NewUserService(db)
	us.BcryptCost = 4
	deals := &flakyDeals{DealService: sqlite.NewDealService(db)}
	s := NewServer()
	s.Users, s.Deals, s.Teams = us, deals, sqlite.NewTeamService(db)
	s.Ear = understand.MustNew()
	s.Rules, s.Weights = sim.DefaultRules(), sim.DefaultWeights()
	s.SetCatalog(MustCatalog(tb))
	s.LoadCatalog = func(ctx context.Context, dir string) (*sim.Catalog, error) {
		return yaml.Load(ctx, personas.FS(), dir)
	}
	s.NewSeed = func() int64 { return 7 }
	s.Frontend = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>callsim</title>")}}
	s.Logger = slog.New(slog.NewTextHandler(testLog{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	for _, o := range opts {
		o(s)
	}
	db.Observe = s.ObserveStore
	e := &env{t: tb, srv: s, db: db, deals: deals, users: map[string]*sim.User{}}
	e.ts = httptest.NewServer(s.Handler())
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			tb.Errorf("close server: %v", err)
		}
		e.ts.Close()
		db.Close()
	})
	for _, u := range []struct {
		name, team string
		role       sim.Role
	}{
		{"admin", "", sim.RoleAdmin},
		{"coach_n", "north", sim.RoleCoach},
		{"coach_s", "south", sim.RoleCoach},
		{"anna", "north", sim.RoleTrainee},
		{"bob", "north", sim.RoleTrainee},
		{"sam", "south", sim.RoleTrainee},
	} {
		usr := &sim.User{Username: u.name, Name: strings.ToUpper(u.name[:1]) + u.name[1:], Role: u.role, Team: u.team}
		if err := us.CreateUser(ctx, usr, testPassword); err != nil {
			tb.Fatalf("create user %s: %v", u.name, err)
		}
		e.users[u.name] = usr
	}
	return e
}

// testLog sends the server's log to the test's log.
type testLog struct{ tb testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// client is a browser: a cookie jar and the CSRF token.
type client struct {
	t    testing.TB
	e    *env
	http *http.Client
	csrf string
}

func (e *env) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, e: e, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// login logs a user in and fails the test if that does not work.
func (e *env) login(name string) *client {
	e.t.Helper()
	c := e.anon()
	status, body := c.do("POST", "/api/v1/login", map[string]string{"username": name, "password": testPassword})
	if status != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", name, status, body)
	}
	var v struct {
		CSRF string `json:"csrf_token"`
	}
	json.Unmarshal(body, &v)
	c.csrf = v.CSRF
	return c
}

// do makes a request with the CSRF token; body is JSON-encoded unless it
// is a string or nil.
func (c *client) do(method, path string, body any, hdr ...string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.e.ts.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set(csrfHeader, c.csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// getJSON gets a path and decodes the 200 answer.
func (c *client) getJSON(path string, v any) {
	c.t.Helper()
	status, body := c.do("GET", path, nil)
	if status != http.StatusOK {
		c.t.Fatalf("GET %s = %d %s; want 200", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
}

// msg is a decoded server message.
type msg map[string]any

func (m msg) str(k string) string { s, _ := m[k].(string); return s }
func (m msg) num(k string) int    { f, _ := m[k].(float64); return int(f) }
func (m msg) obj(k string) msg    { o, _ := m[k].(map[string]any); return o }

// wsc is a websocket client.
type wsc struct {
	t  testing.TB
	c  *websocket.Conn
	id int
}

// dial opens the websocket as the client's user and reads the hello.
func (c *client) dial() *wsc {
	c.t.Helper()
	w, resp, err := c.tryDial(nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		c.t.Fatalf("dial websocket: %v (status %d)", err, status)
	}
	if h := w.expect("hello"); h.str("protocol") != Protocol {
		c.t.Fatalf("hello protocol = %q; want %q", h.str("protocol"), Protocol)
	}
	return w
}

func (c *client) tryDial(hdr http.Header) (*wsc, *http.Response, error) {
	d := websocket.Dialer{Jar: c.http.Jar, Subprotocols: []string{Protocol}, HandshakeTimeout: 5 * time.Second}
	if hdr == nil {
		hdr = http.Header{"Origin": {c.e.ts.URL}}
	}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(c.e.ts.URL, "http")+"/ws/v1", hdr)
	if err != nil {
		return nil, resp, err
	}
	c.t.Cleanup(func() { conn.Close() })
	return &wsc{t: c.t, c: conn}, resp, nil
}

// send sends a message, adding an id when it has none; it returns the id.
func (w *wsc) send(m map[string]any) string {
	w.t.Helper()
	if _, ok := m["id"]; !ok {
		w.id++
		m["id"] = fmt.Sprintf("c%d", w.id)
	}
	w.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := w.c.WriteJSON(m); err != nil {
		w.t.Fatalf("send %v: %v", m, err)
	}
	id, _ := m["id"].(string)
	return id
}

func (w *wsc) read() (msg, error) {
	w.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m msg
	err := w.c.ReadJSON(&m)
	return m, err
}

// expect reads the next message and checks its type.
func (w *wsc) expect(typ string) msg {
	w.t.Helper()
	m, err := w.read()
	if err != nil {
		w.t.Fatalf("read, want %s: %v", typ, err)
	}
	if m.str("type") != typ {
		w.t.Fatalf("got %v; want a %s message", m, typ)
	}
	return m
}

// expectError reads an error message with the code.
func (w *wsc) expectError(code string) msg {
	w.t.Helper()
	m := w.expect("error")
	if m.str("code") != code {
		w.t.Fatalf("error %v; want code %s", m, code)
	}
	return m
}

// ping checks that the connection still answers.
func (w *wsc) ping() {
	w.t.Helper()
	id := w.send(map[string]any{"type": "ping"})
	if m := w.expect("pong"); m.str("re") != id {
		w.t.Fatalf("pong re %q; want %q", m.str("re"), id)
	}
}

// start starts a deal with the test persona and returns its id.
func (w *wsc) start(goal string) string {
	w.t.Helper()
	w.send(map[string]any{"type": "start", "persona": testPersona, "goal": goal, "lang": "en"})
	d := w.expect("deal")
	w.expect("call")
	return d.obj("deal").str("id")
}

// say says a line and returns the reply (reading ended and scorecard when
// the customer ends the call).
func (w *wsc) say(text string) msg {
	w.t.Helper()
	w.send(map[string]any{"type": "say", "text": text})
	r := w.expect("reply")
	if r["ended"] == true {
		w.expect("ended")
		w.expect("scorecard")
	}
	return r
}

// events returns the stored events of a deal.
func (e *env) events(id string) []sim.Event {
	e.t.Helper()
	evs, err := e.deals.Events(context.Background(), id)
	if err != nil {
		e.t.Fatalf("events %s: %v", id, err)
	}
	return evs
}

// waitNotLive waits until no connection drives the deal.
func (e *env) waitNotLive(id string) {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.isLive(id) {
		if time.Now().After(deadline) {
			e.t.Fatalf("deal %s still live", id)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func readFS(fsys fs.FS, name string) ([]byte, error) { return fs.ReadFile(fsys, name) }
