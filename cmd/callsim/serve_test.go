package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The end-to-end tests start the real program (Main in-process, or the
// built binary) on port 0 and drive it like a browser: HTTP with cookies
// and CSRF tokens, and a real websocket client.

const (
	e2ePersona  = "st-wang-director"
	e2ePassword = "trainee-pass-1"
)

// The lines of a deal over two calls that reaches every milestone with
// e2ePersona (seed 1): the need in the first call, which ends on an agreed
// next step; offer, price and time in the follow-up.
var (
	e2eCall1 = []string{
		"Hi, this is Anna from Acme Training. I'm calling about your sales team's results, do you have two minutes?",
		"What's the biggest challenge your team has with phone sales?",
		"Can I call you back on Thursday to go through a proposal?",
		"Thanks a lot for your time, goodbye!",
	}
	e2eCall2 = []string{
		"Our course is built to lift your team's results against that target within a month.",
		"I understand the worry. Here is a case: a team like yours grew 25%, and we guarantee the results, with a month of coaching on their real calls.",
		"The price is 26000 yuan for the whole team.",
		"Could we start next Monday?",
	}
)

// e2eServer is callsim started in-process with Main.
type e2eServer struct {
	t     *testing.T
	m     *Main
	dir   string
	url   string
	out   *bytes.Buffer
	admin string // the admin password printed on the first start
}

// startMain runs Main on 127.0.0.1:0 with its data in dir.
func startMain(t *testing.T, dir string) *e2eServer {
	t.Helper()
	return startMainAt(t, dir, "127.0.0.1:0")
}

// startMainAt runs Main on addr with its data in dir. A restart on the
// address of a server that was just closed may find the port still held
// for a moment; it tries again for up to two seconds.
func startMainAt(t *testing.T, dir, addr string) *e2eServer {
	t.Helper()
	fset := flagSetFor(t, "--addr", addr, "--data", dir)
	cfg, err := loadConfig(fset, "", Env{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	out := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var m *Main
	for deadline := time.Now().Add(2 * time.Second); ; {
		m = NewMain(cfg, Env{Stdout: out, Stderr: io.Discard}, logger)
		m.BcryptCost = 4 // bcrypt's minimum: fast under the race detector
		err := m.Run(context.Background())
		if err == nil {
			break
		}
		m.Close(context.Background())
		if !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			t.Fatalf("run: %v", err)
		}
		out.Reset()
		time.Sleep(50 * time.Millisecond)
	}
	s := &e2eServer{t: t, m: m, dir: dir, url: m.URL(), out: out, admin: m.AdminPassword}
	t.Cleanup(func() { s.close() })
	return s
}

func (s *e2eServer) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.m.Close(ctx)
}

func flagSetFor(t *testing.T, args ...string) *flag.FlagSet {
	t.Helper()
	fset, _ := serveFlags()
	if err := fset.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fset
}

// e2eClient is a browser: cookies and the CSRF token.
type e2eClient struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newClient(t *testing.T, base string) *e2eClient {
	jar, _ := cookiejar.New(nil)
	return &e2eClient{t: t, base: strings.TrimSuffix(base, "/"), http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// login logs in and keeps the CSRF token.
func login(t *testing.T, base, username, password string) *e2eClient {
	t.Helper()
	c := newClient(t, base)
	var v struct {
		CSRF string `json:"csrf_token"`
	}
	if st := c.call("POST", "/api/v1/login", map[string]string{"username": username, "password": password}, &v); st != http.StatusOK {
		t.Fatalf("login %s = %d", username, st)
	}
	c.csrf = v.CSRF
	return c
}

// call makes a JSON request and decodes the answer into out (if not nil).
func (c *e2eClient) call(method, path string, body, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

// addUser creates a user through the admin API.
func (c *e2eClient) addUser(username, role, team string) {
	c.t.Helper()
	st := c.call("POST", "/api/v1/users", map[string]string{"username": username, "role": role, "team": team, "password": e2ePassword}, nil)
	if st != http.StatusCreated {
		c.t.Fatalf("add user %s = %d", username, st)
	}
}

// transcriptLen is how many turns the stored scorecard of a deal has.
func (c *e2eClient) deal(id string) (turns []map[string]any, outcome string) {
	c.t.Helper()
	var v struct {
		Deal      struct{ Outcome string } `json:"deal"`
		Scorecard *struct {
			Transcript []map[string]any `json:"transcript"`
		} `json:"scorecard"`
	}
	if st := c.call("GET", "/api/v1/deals/"+id, nil, &v); st != http.StatusOK {
		c.t.Fatalf("GET deal %s = %d", id, st)
	}
	if v.Scorecard != nil {
		turns = v.Scorecard.Transcript
	}
	return turns, v.Deal.Outcome
}

// wsMsg is a decoded server message.
type wsMsg map[string]any

func (m wsMsg) str(k string) string { s, _ := m[k].(string); return s }
func (m wsMsg) num(k string) int    { f, _ := m[k].(float64); return int(f) }
func (m wsMsg) obj(k string) wsMsg  { o, _ := m[k].(map[string]any); return o }

// e2eWS is a websocket client.
type e2eWS struct {
	t *testing.T
	c *websocket.Conn
}

func (c *e2eClient) dialWS(origin string) (*e2eWS, *http.Response, error) {
	u := "ws" + strings.TrimPrefix(c.base, "http") + "/ws/v1"
	if origin == "" {
		origin = c.base
	}
	d := websocket.Dialer{Jar: c.http.Jar, Subprotocols: []string{"callsim.v1"}, HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial(u, http.Header{"Origin": {origin}})
	if err != nil {
		return nil, resp, err
	}
	c.t.Cleanup(func() { conn.Close() })
	return &e2eWS{t: c.t, c: conn}, resp, nil
}

// ws opens the websocket and reads the hello.
func (c *e2eClient) ws() *e2eWS {
	c.t.Helper()
	w, _, err := c.dialWS("")
	if err != nil {
		c.t.Fatalf("dial websocket: %v", err)
	}
	w.expect("hello")
	return w
}

func (w *e2eWS) send(m map[string]any) {
	w.t.Helper()
	w.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := w.c.WriteJSON(m); err != nil {
		w.t.Fatalf("send: %v", err)
	}
}

func (w *e2eWS) read() (wsMsg, error) {
	w.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m wsMsg
	err := w.c.ReadJSON(&m)
	return m, err
}

func (w *e2eWS) expect(typ string) wsMsg {
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

func (w *e2eWS) expectError(code string) {
	w.t.Helper()
	if m := w.expect("error"); m.str("code") != code {
		w.t.Fatalf("error %v; want %s", m, code)
	}
}

// say says a line; when the customer ends the call it reads the ended and
// scorecard messages too.
func (w *e2eWS) say(text string) wsMsg {
	w.t.Helper()
	w.send(map[string]any{"type": "say", "text": text})
	r := w.expect("reply")
	if r["ended"] == true {
		w.expect("ended")
		w.expect("scorecard")
	}
	return r
}

// hangup ends the call unless the customer already did.
func (w *e2eWS) hangup(r wsMsg) {
	w.t.Helper()
	if r["ended"] == true {
		return
	}
	w.send(map[string]any{"type": "hangup"})
	w.expect("ended")
	w.expect("scorecard")
}

func (w *e2eWS) ping() {
	w.t.Helper()
	w.send(map[string]any{"type": "ping", "id": "p"})
	w.expect("pong")
}

// start starts a deal with e2ePersona and returns its id.
func (w *e2eWS) start(goal string) string {
	w.t.Helper()
	w.send(map[string]any{"type": "start", "persona": e2ePersona, "goal": goal, "lang": "en", "seed": 1})
	d := w.expect("deal")
	w.expect("call")
	return d.obj("deal").str("id")
}

// resume resumes a deal, retrying while the server has not yet noticed
// that the old connection is gone, and returns the transcript message.
func (w *e2eWS) resume(id string) wsMsg {
	w.t.Helper()
	for i := 0; ; i++ {
		w.send(map[string]any{"type": "resume", "deal": id})
		m, err := w.read()
		if err != nil {
			w.t.Fatalf("resume: %v", err)
		}
		if m.str("type") == "error" && m.str("code") == "deal_busy" && i < 50 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if m.str("type") != "deal" || m["resumed"] != true {
			w.t.Fatalf("resume answered %v", m)
		}
		return w.expect("transcript")
	}
}

func TestServeFirstStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startMain(t, dir)
	out := s.out.String()
	if !strings.Contains(out, "callsim is listening on "+s.url) || !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Errorf("output %q; want the address %s", out, s.url)
	}
	if s.admin == "" || !strings.Contains(out, "password: "+s.admin) || !strings.Contains(out, "callsim user add --username NAME --role trainee|coach|admin --team TEAM") {
		t.Errorf("first start output %q; want the admin password and how to add users", out)
	}
	admin := login(t, s.url, "admin", s.admin)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 200, "/api/v1/me": 200} {
		if st := admin.call("GET", path, nil, nil); st != want {
			t.Errorf("GET %s = %d; want %d", path, st, want)
		}
	}
	if err := s.close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	again := startMain(t, dir)
	if again.admin != "" || strings.Contains(again.out.String(), "password") {
		t.Errorf("second start printed a password: %q", again.out.String())
	}
	login(t, again.url, "admin", s.admin)
}

func TestServeFullDealOverTwoCallsWithResume(t *testing.T) {
	t.Parallel()
	s := startMain(t, t.TempDir())
	admin := login(t, s.url, "admin", s.admin)
	admin.addUser("anna", "trainee", "north")
	admin.addUser("carla", "coach", "north")
	anna := login(t, s.url, "anna", e2ePassword)

	w := anna.ws()
	id := w.start("need")
	reached := map[string]bool{}
	var last wsMsg
	for _, l := range e2eCall1 {
		last = w.say(l)
		for _, m := range last["milestones"].([]any) {
			reached[m.(string)] = true
		}
	}
	w.hangup(last)
	if !reached["need"] {
		t.Errorf("need not reached in the first call")
	}

	// The connection drops between the calls; a new one resumes.
	w.c.UnderlyingConn().Close()
	w = anna.ws()
	tr := w.resume(id)
	if tr["in_call"] != false || len(tr["turns"].([]any)) != len(e2eCall1)+1 {
		t.Fatalf("transcript after the drop: %v", tr)
	}

	w.send(map[string]any{"type": "dial", "goal": "deal", "seq": tr.num("next_seq")})
	if c := w.expect("call"); c.num("call") != 2 || c.str("situation") != "followup_warm" {
		t.Errorf("follow-up call %v; want call 2, warm", c)
	}
	for _, l := range e2eCall2 {
		last = w.say(l)
		for _, m := range last["milestones"].([]any) {
			reached[m.(string)] = true
		}
	}
	w.hangup(last)
	w.send(map[string]any{"type": "finish"})
	sc := w.expect("scorecard").obj("scorecard")
	for _, m := range []string{"need", "offer", "deal"} {
		if !reached[m] || sc.obj("milestones").obj(m)["reached"] != true {
			t.Errorf("milestone %s not reached (replies %v, scorecard %v)", m, reached[m], sc.obj("milestones").obj(m))
		}
	}
	if sc.obj("commitment")["price"] != true || sc.obj("commitment")["time"] != true || sc.num("calls") != 2 || sc["over"] != true {
		t.Errorf("scorecard commitment %v calls %v over %v", sc.obj("commitment"), sc["calls"], sc["over"])
	}
	if sc.obj("hidden").str("urgency") == "" {
		t.Error("hidden state not revealed at the end of the deal")
	}

	coach := login(t, s.url, "carla", e2ePassword)
	turns, outcome := coach.deal(id)
	if outcome != "deal" || len(turns) != len(e2eCall1)+len(e2eCall2)+2 {
		t.Errorf("coach sees outcome %q and %d turns", outcome, len(turns))
	}
}

func TestServeProtocolErrorsLoseNothing(t *testing.T) {
	t.Parallel()
	s := startMain(t, t.TempDir())
	admin := login(t, s.url, "admin", s.admin)
	admin.addUser("anna", "trainee", "north")
	anna := login(t, s.url, "anna", e2ePassword)

	w := anna.ws()
	w.send(map[string]any{"type": "say", "text": "hello?"})
	w.expectError("no_deal") // a line before any call
	id := w.start("need")
	w.say(e2eCall1[0])
	before, _ := anna.deal(id)

	w.c.WriteMessage(websocket.TextMessage, []byte(`{"type":"say","text":`))
	w.expectError("bad_json")
	w.c.WriteMessage(websocket.TextMessage, []byte(`{"type":"say","text":"`+strings.Repeat("a", 9000)+`"}`))
	w.expectError("too_large")
	w.send(map[string]any{"type": "teleport"})
	w.expectError("unknown_type")

	other := anna.ws()
	other.send(map[string]any{"type": "resume", "deal": id})
	other.expectError("deal_busy") // a second connection to the same call
	other.send(map[string]any{"type": "say", "text": "me too"})
	other.expectError("no_deal")

	for _, tt := range []struct {
		name   string
		c      *e2eClient
		origin string
		want   int
	}{
		{"unauthenticated", newClient(t, s.url), "", http.StatusUnauthorized},
		{"cross-origin", anna, "https://evil.example", http.StatusForbidden},
	} {
		_, resp, err := tt.c.dialWS(tt.origin)
		if err == nil || resp == nil || resp.StatusCode != tt.want {
			t.Errorf("%s upgrade: %v %v; want %d", tt.name, err, resp, tt.want)
		}
	}

	w.ping()
	after, _ := anna.deal(id)
	if len(after) != len(before) {
		t.Fatalf("turns after the errors = %d; want %d", len(after), len(before))
	}
	w.send(map[string]any{"type": "hangup"})
	w.expect("ended")
	w.expect("scorecard")
	w.send(map[string]any{"type": "say", "text": "are you there?"})
	w.expectError("no_call") // a line while no call is live
	w.send(map[string]any{"type": "dial", "goal": "need"})
	w.expect("call")
	if r := w.say(e2eCall1[1]); r.num("call") != 2 {
		t.Errorf("say in the follow-up call: %v", r)
	}
}

func TestServeGracefulShutdownResumes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startMain(t, dir)
	admin := login(t, s.url, "admin", s.admin)
	admin.addUser("anna", "trainee", "north")
	anna := login(t, s.url, "anna", e2ePassword)
	w := anna.ws()
	id := w.start("need")
	w.say(e2eCall1[0])
	w.say(e2eCall1[1])

	done := make(chan error, 1)
	go func() { done <- s.close() }()
	w.expect("shutdown")
	if _, err := w.read(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("after shutdown: %v; want close 1001", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("close: %v", err)
	}

	again := startMain(t, dir)
	anna = login(t, again.url, "anna", e2ePassword)
	w = anna.ws()
	tr := w.resume(id)
	if tr["in_call"] != true || tr.num("next_seq") != 4 {
		t.Fatalf("transcript after restart %v", tr)
	}
	if r := w.say(e2eCall1[2]); r.num("seq") != 4 {
		t.Errorf("say after restart: %v", r)
	}
}

// TestServeKilledMidCall kills the server process with SIGKILL in the
// middle of a call, restarts it on the same data, and checks that every
// acknowledged turn is there and the call goes on.
func TestServeKilledMidCall(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "callsim")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()

	p := startProcess(t, bin, dir, true)
	admin := login(t, p.url, "admin", p.admin)
	admin.addUser("anna", "trainee", "north")
	anna := login(t, p.url, "anna", e2ePassword)
	w := anna.ws()
	id := w.start("need")
	var acked []string
	for _, l := range e2eCall1[:3] {
		w.say(l)
		acked = append(acked, l)
	}
	// One more line, not waited for: it may or may not be stored.
	w.send(map[string]any{"type": "say", "text": e2eCall1[3]})
	p.kill()

	p = startProcess(t, bin, dir, false)
	anna = login(t, p.url, "anna", e2ePassword)
	w = anna.ws()
	tr := w.resume(id)
	var said []string
	for _, turn := range tr["turns"].([]any) {
		if s := wsMsg(turn.(map[string]any)).str("trainee"); s != "" {
			said = append(said, s)
		}
	}
	if len(said) < len(acked) || !slices.Equal(said[:len(acked)], acked) {
		t.Fatalf("turns after the kill %q; want the acknowledged %q first", said, acked)
	}
	next := tr.num("next_seq")
	if len(said) == len(acked) {
		if tr["in_call"] != true {
			t.Fatalf("the call is not live after the restart: %v", tr)
		}
		w.send(map[string]any{"type": "say", "text": e2eCall1[3], "seq": next})
		if r := w.expect("reply"); r.num("seq") != next {
			t.Errorf("say after the restart: %v; want seq %d", r, next)
		}
	}
	turns, _ := anna.deal(id)
	if len(turns) < len(acked)+1 {
		t.Errorf("stored turns %d; want at least %d", len(turns), len(acked)+1)
	}
}

// process is the callsim binary running "serve".
type process struct {
	t     *testing.T
	cmd   *exec.Cmd
	url   string
	admin string
	done  chan struct{}
}

var listenLine = regexp.MustCompile(`callsim is listening on (http://\S+)`)
var adminLine = regexp.MustCompile(`^\s+password: (\S+)$`)

// startProcess starts the binary on port 0 and reads the address it
// prints and, on a first start, the admin password.
func startProcess(t *testing.T, bin, dir string, first bool) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--log", "warn")
	cmd.Dir = t.TempDir() // no config.yaml there
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CALLSIM_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, done: make(chan struct{})}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill)

	timeout := time.After(30 * time.Second)
	for p.url == "" || first && p.admin == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("callsim exited before it listened: %s", stderr.String())
			}
			if m := listenLine.FindStringSubmatch(l); m != nil {
				p.url = m[1]
			} else if m := adminLine.FindStringSubmatch(l); m != nil {
				p.admin = m[1]
			}
		case <-timeout:
			t.Fatalf("callsim did not print its address: %s", stderr.String())
		}
	}
	go func() {
		for range lines { // keep the pipe flowing
		}
	}()
	return p
}

// kill ends the process with SIGKILL and waits for it.
func (p *process) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Logf("kill: %v", err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.t.Error("callsim did not exit after SIGKILL")
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
