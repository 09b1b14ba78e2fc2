package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
)

const (
	lineOpen    = "Hi, this is Anna from Acme Training, do you have two minutes?"
	lineProblem = "What's the biggest challenge your team has with phone sales?"
	lineMotive  = "What happens if your team misses that target this quarter?"
)

func TestWebsocketDealOverTwoCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.login("anna").dial()

	w.send(map[string]any{"type": "start", "persona": testPersona, "goal": "need", "lang": "en"})
	d := w.expect("deal")
	info := d.obj("deal")
	id := info.str("id")
	if id == "" || d["resumed"] != false || info.obj("persona").str("id") != testPersona {
		t.Fatalf("deal message %v", d)
	}
	if _, hidden := info.obj("persona")["hidden"]; hidden {
		t.Errorf("deal message leaks the hidden state: %v", info)
	}
	call := w.expect("call")
	if call.num("seq") != 1 || call.num("call") != 1 || call.str("text") == "" || call["followup"] != false {
		t.Errorf("call message %v", call)
	}

	r := w.say(lineOpen)
	if r.num("seq") != 2 || r.num("turn") != 1 || r.str("text") == "" {
		t.Errorf("reply %v", r)
	}
	w.say(lineProblem)

	w.send(map[string]any{"type": "hangup"})
	end := w.expect("ended")
	if end.str("ended_by") != "trainee" || end["deal_over"] != false {
		t.Errorf("ended %v", end)
	}
	sc := w.expect("scorecard").obj("scorecard")
	if sc.str("engine_version") != sim.EngineVersion || sc["hidden"] != nil {
		t.Errorf("scorecard before the deal is over: engine %q hidden %v", sc.str("engine_version"), sc["hidden"])
	}
	for _, turn := range sc["transcript"].([]any) {
		tt := msg(turn.(map[string]any))
		if tt.num("trust") != 0 || tt.num("patience") != 0 {
			t.Fatalf("a trainee sees trust/patience before the deal is over: %v", tt)
		}
	}

	w.send(map[string]any{"type": "dial", "goal": "offer"})
	call2 := w.expect("call")
	if call2.num("call") != 2 || call2["followup"] != true {
		t.Errorf("follow-up call %v", call2)
	}
	w.say(lineMotive)
	w.send(map[string]any{"type": "finish"})
	w.expect("ended")
	final := w.expect("scorecard").obj("scorecard")
	if final["over"] != true || final["hidden"] == nil || final.num("calls") != 2 {
		t.Errorf("final scorecard over=%v hidden=%v calls=%v", final["over"], final["hidden"], final["calls"])
	}
	w.send(map[string]any{"type": "say", "text": "hello?"})
	w.expectError(wsDealOver)

	evs := e.events(id)
	kinds := []sim.EventKind{}
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind)
	}
	want := []sim.EventKind{"dial", "say", "say", "hangup", "dial", "say", "finish"}
	if strings.Join(toStrings(kinds), ",") != strings.Join(toStrings(want), ",") {
		t.Errorf("stored events %v; want %v", kinds, want)
	}
	rec, err := e.deals.FindDealByID(context.Background(), id)
	if err != nil || !rec.Over || rec.Scorecard == nil || rec.Scorecard.EngineVersion != sim.EngineVersion {
		t.Errorf("stored deal %+v, %v", rec, err)
	}
}

func toStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func TestWebsocketErrorsLoseNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.MaxMessageBytes = 512 })
	w := e.login("anna").dial()

	// Before a deal.
	w.send(map[string]any{"type": "say", "text": "hello"})
	w.expectError(wsNoDeal)
	w.send(map[string]any{"type": "dial", "goal": "need"})
	w.expectError(wsNoDeal)

	id := w.start("need")
	w.say(lineOpen)
	before := len(e.events(id))

	raw := func(data string) { w.c.WriteMessage(websocket.TextMessage, []byte(data)) }
	tests := []struct {
		name string
		send func()
		code string
		re   string
	}{
		{"malformed JSON", func() { raw(`{"type":"say","text":`) }, wsBadJSON, ""},
		{"not an object", func() { raw(`["say"]`) }, wsBadJSON, ""},
		{"wrong field type", func() { raw(`{"type":"say","id":"x1","text":42}`) }, wsBadJSON, "x1"},
		{"binary frame", func() { w.c.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"ping"}`)) }, wsBadJSON, ""},
		{"oversize", func() { raw(`{"type":"say","text":"` + strings.Repeat("a", 600) + `"}`) }, wsTooLarge, ""},
		{"unknown type", func() { w.send(map[string]any{"type": "dance", "id": "x2"}) }, wsUnknownType, "x2"},
		{"no type", func() { w.send(map[string]any{"id": "x3"}) }, wsUnknownType, "x3"},
		{"empty line", func() { w.send(map[string]any{"type": "say", "text": "  ", "id": "x4"}) }, sim.EINVALID, "x4"},
		{"bad goal", func() { w.send(map[string]any{"type": "dial", "goal": "wedding", "id": "x5"}) }, sim.EINVALID, "x5"},
		{"dial during a call", func() { w.send(map[string]any{"type": "dial", "goal": "offer", "id": "x6"}) }, wsCallLive, "x6"},
		{"wrong seq", func() { w.send(map[string]any{"type": "say", "text": "hi", "seq": 99, "id": "x7"}) }, sim.ECONFLICT, "x7"},
		{"unknown persona", func() {
			w.send(map[string]any{"type": "start", "persona": "nobody", "goal": "need", "id": "x8"})
		}, sim.ENOTFOUND, "x8"},
		{"language not spoken", func() {
			w.send(map[string]any{"type": "start", "persona": testPersona, "goal": "need", "lang": "fr", "id": "x9"})
		}, sim.EINVALID, "x9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.send()
			m := w.expectError(tt.code)
			if m.str("re") != tt.re {
				t.Errorf("error re = %q; want %q", m.str("re"), tt.re)
			}
			if m["fatal"] != false || m.str("message") == "" {
				t.Errorf("error %v; want a non-fatal error with a message", m)
			}
			w.ping()
		})
	}
	if got := len(e.events(id)); got != before {
		t.Fatalf("events after errors = %d; want %d", got, before)
	}
	// The deal is still usable.
	if r := w.say(lineProblem); r.num("seq") != before+1 {
		t.Errorf("say after errors: seq %d; want %d", r.num("seq"), before+1)
	}

	// A line before the call starts: hang up, then say.
	w.send(map[string]any{"type": "hangup"})
	w.expect("ended")
	w.expect("scorecard")
	w.send(map[string]any{"type": "say", "text": "still there?"})
	w.expectError(wsNoCall)
	w.ping()
}

func TestWebsocketFarTooLargeCloses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.MaxMessageBytes = 256 })
	w := e.login("anna").dial()
	w.c.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", 2000)))
	_, err := w.read()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Fatalf("read after a huge message: %v; want close 1009", err)
	}
}

func TestWebsocketUpgradeRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.AllowedOrigins = []string{"https://trusted.example"} })
	anna := e.login("anna")
	tests := []struct {
		name   string
		c      *client
		hdr    http.Header
		status int
	}{
		{"unauthenticated", e.anon(), nil, http.StatusUnauthorized},
		{"cross-origin", anna, http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"origin on another port", anna, http.Header{"Origin": {"http://127.0.0.1:1"}}, http.StatusForbidden},
		{"allowed origin", anna, http.Header{"Origin": {"https://trusted.example"}}, http.StatusSwitchingProtocols},
		{"same origin", anna, nil, http.StatusSwitchingProtocols},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, resp, err := tt.c.tryDial(tt.hdr)
			if resp == nil {
				t.Fatalf("dial: %v", err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("dial status %d; want %d", resp.StatusCode, tt.status)
			}
			if w != nil {
				w.expect("hello")
			}
		})
	}
	t.Run("wrong subprotocol", func(t *testing.T) {
		d := websocket.Dialer{Jar: anna.http.Jar, Subprotocols: []string{"callsim.v0"}}
		_, resp, err := d.Dial("ws"+strings.TrimPrefix(e.ts.URL, "http")+"/ws/v1", nil)
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("dial with another subprotocol: %v; want 400", err)
		}
	})
}

func TestWebsocketSecondConnectionBusyThenTakeover(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anna := e.login("anna")
	a := anna.dial()
	id := a.start("need")
	a.say(lineOpen)

	b := anna.dial()
	b.send(map[string]any{"type": "resume", "deal": id})
	b.expectError(wsDealBusy)
	// A lost nothing and carries on.
	if r := a.say(lineProblem); r.num("seq") != 3 {
		t.Fatalf("A's say after B's refused resume: seq %d; want 3", r.num("seq"))
	}
	// B takes over explicitly.
	b.send(map[string]any{"type": "resume", "deal": id, "takeover": true})
	b.expect("deal")
	tr := b.expect("transcript")
	if tr.num("next_seq") != 4 || tr["in_call"] != true {
		t.Fatalf("transcript after takeover %v", tr)
	}
	a.expectError(wsDealTaken)
	if _, err := a.read(); !websocket.IsCloseError(err, closeTaken) {
		t.Fatalf("A after takeover: %v; want close %d", err, closeTaken)
	}
	if r := b.say(lineMotive); r.num("seq") != 4 {
		t.Fatalf("B's say after takeover: seq %d; want 4", r.num("seq"))
	}
	if n := len(e.events(id)); n != 4 {
		t.Fatalf("events = %d; want 4", n)
	}
}

func TestWebsocketResumeAfterDrop(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anna := e.login("anna")
	a := anna.dial()
	id := a.start("need")
	first := a.say(lineOpen)
	a.say(lineProblem)
	a.c.UnderlyingConn().Close() // the network drops: no close frame
	e.waitNotLive(id)

	b := anna.dial()
	b.send(map[string]any{"type": "resume", "deal": id})
	d := b.expect("deal")
	if d["resumed"] != true || d.obj("deal").str("id") != id {
		t.Fatalf("resume deal message %v", d)
	}
	tr := b.expect("transcript")
	turns := tr["turns"].([]any)
	if tr.num("next_seq") != 4 || tr["in_call"] != true || tr.num("call") != 1 || len(turns) != 3 {
		t.Fatalf("transcript %v", tr)
	}
	if got := msg(turns[1].(map[string]any)).str("customer"); got != first.str("text") {
		t.Errorf("replayed reply %q; want %q (the engine is deterministic)", got, first.str("text"))
	}
	// Resending the last line with its seq does not say it twice.
	b.send(map[string]any{"type": "say", "text": lineProblem, "seq": 3})
	if r := b.expect("reply"); r["duplicate"] != true || r.num("seq") != 3 {
		t.Errorf("resent say %v; want the stored duplicate", r)
	}
	r := b.say(lineMotive)
	if r.num("seq") != 4 || r.num("turn") != 3 {
		t.Errorf("say after resume %v; want seq 4, turn 3", r)
	}
	if n := len(e.events(id)); n != 4 {
		t.Errorf("events = %d; want 4", n)
	}
}

func TestWebsocketRepeatedIDAnsweredOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.login("anna").dial()
	id := w.start("need")
	w.send(map[string]any{"type": "say", "text": lineOpen, "id": "same"})
	r1 := w.expect("reply")
	w.send(map[string]any{"type": "say", "text": lineOpen, "id": "same"})
	r2 := w.expect("reply")
	if r2["duplicate"] != true || r2.num("seq") != r1.num("seq") || r2.str("text") != r1.str("text") {
		t.Errorf("repeated id: %v then %v", r1, r2)
	}
	if n := len(e.events(id)); n != 2 {
		t.Errorf("events = %d; want 2", n)
	}
}

func TestWebsocketStoreFailureAppliesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.login("anna").dial()
	id := w.start("need")
	w.say(lineOpen)
	e.deals.fail(1)
	w.send(map[string]any{"type": "say", "text": lineProblem})
	w.expectError(wsStore)
	r := w.say(lineProblem)
	if r.num("seq") != 3 || r.num("turn") != 2 {
		t.Errorf("say after a failed store: %v; want seq 3, turn 2", r)
	}
	evs := e.events(id)
	if len(evs) != 3 || evs[2].Text != lineProblem {
		t.Fatalf("events %+v", evs)
	}
	rec, _ := e.deals.FindDealByID(context.Background(), id)
	if rec.Summary.Turns != 2 {
		t.Errorf("stored summary turns = %d; want 2 (the failed turn was not applied)", rec.Summary.Turns)
	}
}

func TestWebsocketResumeAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.login("anna").dial()
	id := a.start("need")
	a.say(lineOpen)
	a.c.Close()
	e.waitNotLive(id)

	tests := []struct {
		user string
		code string // "" means the resume works
	}{
		{"bob", sim.ENOTFOUND},      // another trainee of the team
		{"sam", sim.ENOTFOUND},      // a trainee of another team
		{"coach_s", sim.ENOTFOUND},  // coach of another team
		{"coach_n", sim.EFORBIDDEN}, // coach of the team: reads, does not drive
		{"admin", sim.EFORBIDDEN},
		{"anna", ""},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			w := e.login(tt.user).dial()
			w.send(map[string]any{"type": "resume", "deal": id})
			if tt.code != "" {
				w.expectError(tt.code)
				w.send(map[string]any{"type": "say", "text": "hijack"})
				w.expectError(wsNoDeal)
				return
			}
			w.expect("deal")
			w.expect("transcript")
		})
	}
	if n := len(e.events(id)); n != 2 {
		t.Errorf("events = %d; want 2", n)
	}
}

func TestWebsocketHints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	coach := e.login("coach_n")
	w := e.login("anna").dial()
	w.send(map[string]any{"type": "start", "persona": testPersona, "goal": "need", "lang": "en", "hints": true})
	if d := w.expect("deal"); d.obj("deal")["hints"] != true {
		t.Fatalf("deal %v; want hints on", d)
	}
	w.expect("call")
	h := w.expect("hint")
	if h.str("goal") != "need" || h.obj("milestones")["need"] != false {
		t.Errorf("hint %v", h)
	}
	w.send(map[string]any{"type": "say", "text": lineOpen})
	w.expect("reply")
	w.expect("hint")

	if st, body := coach.do("PUT", "/api/v1/teams/north/settings", map[string]bool{"hints_disabled": true}); st != http.StatusOK {
		t.Fatalf("disable hints: %d %s", st, body)
	}
	w.send(map[string]any{"type": "hints", "on": true})
	w.expectError(wsHintsOff)
	w.send(map[string]any{"type": "say", "text": lineProblem})
	w.expect("reply")
	w.ping() // no hint came between
}

func TestWebsocketShutdown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.login("anna").dial()
	id := w.start("need")
	w.say(lineOpen)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.srv.Close(ctx) }()
	w.expect("shutdown")
	_, err := w.read()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Fatalf("read after shutdown: %v; want close 1001", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if n := len(e.events(id)); n != 2 {
		t.Errorf("events after shutdown = %d; want 2", n)
	}
	if got := testGauge(t, e.srv.metrics.liveCalls); got != 0 {
		t.Errorf("live calls after shutdown = %v; want 0", got)
	}
}

// TestSlowClientIsDropped: a connection whose queue is full is dropped,
// never waited for; its write pump then closes it with 4008.
func TestSlowClientIsDropped(t *testing.T) {
	t.Parallel()
	ss := live.New(live.Config{}).Open(&sim.User{ID: 1}, "", 2)
	c := &wsConn{s: NewServer(), sess: ss}
	for range 2 {
		c.sendMsg(simpleMsg{Type: "pong"})
	}
	select {
	case <-ss.Gone():
		t.Fatal("dropped before the queue was full")
	default:
	}
	start := time.Now()
	c.sendMsg(simpleMsg{Type: "pong"}) // the queue is full: must not block
	if time.Since(start) > time.Second {
		t.Fatal("sendMsg blocked on a full queue")
	}
	select {
	case <-ss.Gone():
	default:
		t.Fatal("a client with a full queue was not dropped")
	}
	if !ss.Slow() {
		t.Error("the dropped session is not marked slow (close code 4008)")
	}
}

// A deal whose persona file was edited since is readable but not continued:
// results are never silently recalculated on other lines.
func TestWebsocketResumeRefusedAfterPersonaEdit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anna := e.login("anna")
	a := anna.dial()
	id := a.start("need")
	a.say(lineOpen)
	a.c.Close()
	e.waitNotLive(id)

	cat := MustCatalog(t)
	p := *cat.Personas[testPersona]
	p.Version = "edited"
	cat.Personas[testPersona] = &p
	e.srv.SetCatalog(cat)

	b := anna.dial()
	b.send(map[string]any{"type": "resume", "deal": id})
	b.expectError("persona_changed")
	if n := len(e.events(id)); n != 2 {
		t.Errorf("events = %d; want the 2 stored before", n)
	}
}

// A call ends when its login session does: logout, the user deleted, or
// the password changed from another session. What was said stays stored.
func TestWebsocketEndsWithTheSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		end  func(e *env, anna *client)
	}{
		{"logout", func(e *env, anna *client) {
			if st, body := anna.do("POST", "/api/v1/logout", nil); st != http.StatusNoContent {
				t.Fatalf("logout: %d %s", st, body)
			}
		}},
		{"user deleted", func(e *env, anna *client) {
			admin := e.login("admin")
			if st, body := admin.do("DELETE", "/api/v1/users/"+itoa(e.users["anna"].ID), nil); st != http.StatusNoContent {
				t.Fatalf("delete: %d %s", st, body)
			}
		}},
		{"password changed elsewhere", func(e *env, anna *client) {
			other := e.login("anna")
			st, body := other.do("POST", "/api/v1/me/password", map[string]string{"old_password": testPassword, "new_password": "another-secret-1"})
			if st != http.StatusNoContent {
				t.Fatalf("password: %d %s", st, body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			anna := e.login("anna")
			w := anna.dial()
			id := w.start("need")
			w.say(lineOpen)
			tt.end(e, anna)
			w.expectError("session_ended")
			if _, err := w.read(); err == nil {
				t.Error("the connection stayed open after the session ended")
			}
			if tt.name != "user deleted" {
				if n := len(e.events(id)); n != 2 {
					t.Errorf("events = %d; want the 2 stored", n)
				}
			}
		})
	}
}

// fakeVoice rewords every line, or fails when broken.
type fakeVoice struct{ broken bool }

func (v fakeVoice) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	if v.broken {
		return "", errors.New("model unavailable")
	}
	return "VOICED: " + req.Line, nil
}

// An LLM voice rewords what the browser is shown; the engine's words are
// what is stored and scored, and a failing voice falls back to them.
func TestWebsocketVoice(t *testing.T) {
	t.Parallel()
	for _, broken := range []bool{false, true} {
		e := newEnv(t, func(s *Server) { s.Voice = fakeVoice{broken: broken} })
		w := e.login("anna").dial()
		id := w.start("need")
		r := w.say(lineOpen)
		voiced := strings.HasPrefix(r.str("text"), "VOICED: ")
		if voiced == broken {
			t.Errorf("broken=%v: reply %q", broken, r.str("text"))
		}
		var detail struct {
			Scorecard *sim.Scorecard `json:"scorecard"`
		}
		e.login("coach_n").getJSON("/api/v1/deals/"+id, &detail)
		if detail.Scorecard == nil || len(detail.Scorecard.Transcript) < 2 {
			t.Fatalf("the coach reads no transcript of the live deal: %+v", detail.Scorecard)
		}
		for _, tt := range detail.Scorecard.Transcript {
			if strings.Contains(tt.Customer, "VOICED") {
				t.Errorf("the stored transcript holds the voiced line %q", tt.Customer)
			}
		}
	}
}
