package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/sqlite"
)

// newIntegrationEnv is newEnv with the API token and webhook services of
// its store.
func newIntegrationEnv(tb testing.TB, opts ...func(*Server)) *env {
	tb.Helper()
	e := newEnv(tb, opts...)
	// Before any request: the handlers read the fields per request.
	e.srv.Tokens = sqlite.NewTokenService(e.db)
	e.srv.Webhooks = sqlite.NewWebhookService(e.db)
	return e
}

// MustToken makes an API token as the logged-in client and returns it
// with its secret.
func (c *client) MustToken(name, team string, access sim.TokenAccess) (sim.APIToken, string) {
	c.t.Helper()
	st, body := c.do("POST", "/api/v1/tokens", map[string]any{"name": name, "team": team, "access": access})
	if st != http.StatusCreated {
		c.t.Fatalf("POST /api/v1/tokens %s %s = %d %s; want 201", team, access, st, body)
	}
	var v struct {
		Token  sim.APIToken `json:"token"`
		Secret string       `json:"secret"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		c.t.Fatal(err)
	}
	return v.Token, v.Secret
}

// bearer is a client without a cookie or CSRF token, with an API token.
type bearer struct {
	c      *client
	secret string
}

func (e *env) bearer(secret string) *bearer { return &bearer{c: e.anon(), secret: secret} }

func (b *bearer) do(method, path string, body any) (int, []byte) {
	b.c.t.Helper()
	return b.c.do(method, path, body, "Authorization", "Bearer "+b.secret)
}

func TestTokenScope(t *testing.T) {
	t.Parallel()
	e := newIntegrationEnv(t)
	annaDeal := playDeal(t, e, "anna", lineOpen)
	samDeal := playDeal(t, e, "sam", lineOpen)
	coach, admin := e.login("coach_n"), e.login("admin")

	// Who may make which token.
	makes := []struct {
		who, team string
		want      int
	}{
		{"anna", "north", http.StatusForbidden},
		{"coach_n", "south", http.StatusForbidden},
		{"coach_n", sim.AllTeams, http.StatusForbidden},
		{"coach_n", "", http.StatusBadRequest},
		{"admin", "south", http.StatusCreated},
	}
	for _, tc := range makes {
		st, body := e.login(tc.who).do("POST", "/api/v1/tokens", map[string]any{"name": "x", "team": tc.team})
		if st != tc.want {
			t.Errorf("POST /api/v1/tokens as %s for %q = %d %s; want %d", tc.who, tc.team, st, body, tc.want)
		}
	}

	readTok, read := coach.MustToken("reader", "north", sim.TokenRead)
	_, write := coach.MustToken("writer", "north", sim.TokenReadWrite)
	_, all := admin.MustToken("bi", sim.AllTeams, sim.TokenRead)
	if readTok.Access != sim.TokenRead || readTok.Team != "north" || !strings.HasPrefix(read, readTok.Prefix+"_") {
		t.Errorf("token %+v, secret %q; want read, north, the secret starting with the prefix", readTok, read)
	}

	comment := map[string]any{"call": 1, "turn": 1, "text": "Good opening."}
	override := map[string]any{"score": 70, "reason": "Fair."}
	const (
		ok   = http.StatusOK
		made = http.StatusCreated
		no   = http.StatusUnauthorized
		deny = http.StatusForbidden
		nf   = http.StatusNotFound
	)
	tests := []struct {
		method, path string
		body         any
		want         [3]int // read (north), read-write (north), read (all teams)
	}{
		{"GET", "/api/v1/deals/" + annaDeal, nil, [3]int{ok, ok, ok}},
		{"GET", "/api/v1/deals/" + samDeal, nil, [3]int{nf, nf, ok}},
		{"GET", "/api/v1/deals?team=south", nil, [3]int{deny, deny, ok}},
		{"GET", "/api/v1/deals.csv", nil, [3]int{ok, ok, ok}},
		{"GET", "/api/v1/teams/north/stats", nil, [3]int{ok, ok, ok}},
		{"GET", "/api/v1/teams/south/stats", nil, [3]int{deny, deny, ok}},
		{"GET", "/api/v1/users?team=south", nil, [3]int{deny, deny, ok}},
		{"GET", "/api/v1/users/" + itoa(e.users["sam"].ID), nil, [3]int{nf, nf, ok}},
		{"POST", "/api/v1/deals/" + annaDeal + "/comments", comment, [3]int{deny, made, deny}},
		{"POST", "/api/v1/deals/" + annaDeal + "/overrides", override, [3]int{deny, made, deny}},
		{"POST", "/api/v1/deals/" + samDeal + "/comments", comment, [3]int{deny, nf, deny}},
		{"PUT", "/api/v1/teams/north/settings", map[string]any{"hints_disabled": true}, [3]int{deny, ok, deny}},
		// Nothing admin-only, and nothing of the session or the tokens.
		{"POST", "/api/v1/users", map[string]any{"username": "newbie", "role": "trainee"}, [3]int{deny, deny, deny}},
		{"POST", "/api/v1/personas/reload", nil, [3]int{deny, deny, deny}},
		{"GET", "/api/v1/webhooks", nil, [3]int{deny, deny, deny}},
		{"GET", "/api/v1/me", nil, [3]int{deny, deny, deny}},
		{"POST", "/api/v1/me/password", map[string]any{"old_password": testPassword, "new_password": "another-password"}, [3]int{deny, deny, deny}},
		{"POST", "/api/v1/logout", nil, [3]int{deny, deny, deny}},
		{"GET", "/api/v1/tokens", nil, [3]int{deny, deny, deny}},
		{"POST", "/api/v1/tokens", map[string]any{"name": "child", "team": "north"}, [3]int{deny, deny, deny}},
	}
	for i, secret := range []string{read, write, all} {
		b := e.bearer(secret)
		for _, tc := range tests {
			if st, body := b.do(tc.method, tc.path, tc.body); st != tc.want[i] {
				t.Errorf("%s %s with token %d = %d %s; want %d", tc.method, tc.path, i, st, body, tc.want[i])
			}
		}
	}

	// A token's list holds only its teams' deals.
	var list struct {
		Deals []dealSummary `json:"deals"`
	}
	st, body := e.bearer(read).do("GET", "/api/v1/deals", nil)
	if err := json.Unmarshal(body, &list); st != ok || err != nil || len(list.Deals) != 1 || list.Deals[0].ID != annaDeal {
		t.Errorf("GET /api/v1/deals with the north token = %d %s; want only %s", st, body, annaDeal)
	}

	// Comments made with a token are its maker's.
	var detail struct {
		Comments []sim.Comment `json:"comments"`
	}
	coach.getJSON("/api/v1/deals/"+annaDeal, &detail)
	if len(detail.Comments) != 1 || detail.Comments[0].AuthorID != e.users["coach_n"].ID {
		t.Errorf("comments = %+v; want one by coach_n", detail.Comments)
	}

	// A bad token is refused even beside a good cookie; the websocket
	// takes no token.
	if st, _ := coach.do("GET", "/api/v1/deals", nil, "Authorization", "Bearer cs_1_nope"); st != no {
		t.Errorf("GET /api/v1/deals with a cookie and a bad token = %d; want 401", st)
	}
	if _, resp, err := e.anon().tryDial(http.Header{"Origin": {e.ts.URL}, "Authorization": {"Bearer " + write}}); err == nil || resp == nil || resp.StatusCode != no {
		t.Errorf("websocket with a token: %v, %v; want 401", resp, err)
	}

	// A token stops working when its maker no longer coaches its team.
	if st, body := admin.do("PATCH", "/api/v1/users/"+itoa(e.users["coach_n"].ID), map[string]any{"team": "south"}); st != ok {
		t.Fatalf("move coach_n = %d %s", st, body)
	}
	if st, _ := e.bearer(read).do("GET", "/api/v1/deals", nil); st != no {
		t.Errorf("GET /api/v1/deals with the token of a coach moved away = %d; want 401", st)
	}
}

func TestTokenListAndRevoke(t *testing.T) {
	t.Parallel()
	e := newIntegrationEnv(t)
	coachN, coachS, admin := e.login("coach_n"), e.login("coach_s"), e.login("admin")
	north, secret := coachN.MustToken("reader", "north", sim.TokenRead)
	adminNorth, _ := admin.MustToken("admin's", "north", sim.TokenRead)
	allTeams, _ := admin.MustToken("bi", sim.AllTeams, sim.TokenRead)

	if st, _ := e.bearer(secret).do("GET", "/api/v1/deals", nil); st != http.StatusOK {
		t.Fatalf("GET /api/v1/deals with the token = %d; want 200", st)
	}
	ids := func(c *client) []int64 {
		t.Helper()
		st, body := c.do("GET", "/api/v1/tokens", nil)
		if st != http.StatusOK {
			t.Fatalf("GET /api/v1/tokens = %d %s", st, body)
		}
		if strings.Contains(string(body), "secret") || strings.Contains(string(body), secret[len(north.Prefix)+1:]) {
			t.Errorf("GET /api/v1/tokens = %s; want no secret", body)
		}
		var v struct {
			Tokens []sim.APIToken `json:"tokens"`
		}
		json.Unmarshal(body, &v)
		var out []int64
		for _, tk := range v.Tokens {
			out = append(out, tk.ID)
			if tk.ID == north.ID && tk.LastUsedAt == nil {
				t.Errorf("token %d: last_used_at null after a use", tk.ID)
			}
		}
		return out
	}
	if got := ids(coachN); len(got) != 2 || got[0] != adminNorth.ID || got[1] != north.ID {
		t.Errorf("coach_n's tokens = %v; want north's: %d, %d", got, adminNorth.ID, north.ID)
	}
	if got := ids(coachS); len(got) != 0 {
		t.Errorf("coach_s's tokens = %v; want none", got)
	}
	if got := ids(admin); len(got) != 3 || got[0] != allTeams.ID {
		t.Errorf("admin's tokens = %v; want all three, newest first", got)
	}

	path := "/api/v1/tokens/" + strconv.FormatInt(north.ID, 10)
	if st, _ := coachS.do("DELETE", path, nil); st != http.StatusNotFound {
		t.Errorf("DELETE %s as coach_s = %d; want 404", path, st)
	}
	if st, _ := coachN.do("DELETE", "/api/v1/tokens/"+strconv.FormatInt(allTeams.ID, 10), nil); st != http.StatusNotFound {
		t.Errorf("DELETE the all-teams token as coach_n = %d; want 404", st)
	}
	if st, _ := coachN.do("DELETE", path, nil, csrfHeader, ""); st != http.StatusForbidden {
		t.Errorf("DELETE %s without CSRF = %d; want 403", path, st)
	}
	if st, _ := coachN.do("DELETE", path, nil); st != http.StatusNoContent {
		t.Fatalf("DELETE %s = %d; want 204", path, st)
	}
	// At once: the next request is refused.
	if st, _ := e.bearer(secret).do("GET", "/api/v1/deals", nil); st != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/deals with a revoked token = %d; want 401", st)
	}
	if st, _ := coachN.do("DELETE", path, nil); st != http.StatusNotFound {
		t.Errorf("DELETE %s again = %d; want 404", path, st)
	}
}

func TestTokenNoCSRF(t *testing.T) {
	t.Parallel()
	e := newIntegrationEnv(t)
	annaDeal := playDeal(t, e, "anna", lineOpen)
	_, secret := e.login("coach_n").MustToken("writer", "north", sim.TokenReadWrite)
	b := e.bearer(secret)
	// No X-CSRF-Token, and an Origin of another site: a browser cannot
	// send the Authorization header there on its own.
	st, body := b.c.do("POST", "/api/v1/deals/"+annaDeal+"/overrides", map[string]any{"score": 55, "reason": "From the CRM."},
		"Authorization", "Bearer "+secret, "Origin", "https://elsewhere.example")
	if st != http.StatusCreated {
		t.Errorf("override with a read-write token, no CSRF header = %d %s; want 201", st, body)
	}
	// Without the token, the same request is refused for CSRF.
	coach := e.login("coach_n")
	if st, _ := coach.do("POST", "/api/v1/deals/"+annaDeal+"/overrides", map[string]any{"score": 55, "reason": "x"}, csrfHeader, ""); st != http.StatusForbidden {
		t.Errorf("override with a session, no CSRF header = %d; want 403", st)
	}
}

func TestTokenRateLimit(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	e := newIntegrationEnv(t, func(s *Server) { s.TokenRate = 3; s.Now = clock.Now })
	coach := e.login("coach_n")
	_, secret := coach.MustToken("reader", "north", sim.TokenRead)
	_, other := coach.MustToken("other", "north", sim.TokenRead)

	get := func(secret string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/teams/north/settings", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	steps := []struct {
		name   string
		after  time.Duration
		secret string
		want   int
		retry  string
	}{
		{"1st", 0, secret, 200, ""},
		{"2nd", 0, secret, 200, ""},
		{"3rd", 0, secret, 200, ""},
		{"4th: bucket empty", 0, secret, 429, "20"},
		{"another token has its own bucket", 0, other, 200, ""},
		{"10s later: half a request", 10 * time.Second, secret, 429, "10"},
		{"20s later: one request", 10 * time.Second, secret, 200, ""},
		{"and empty again", 0, secret, 429, "20"},
		{"a minute later: full", time.Minute, secret, 200, ""},
		{"full", 0, secret, 200, ""},
		{"full", 0, secret, 200, ""},
		{"empty", 0, secret, 429, "20"},
	}
	for _, s := range steps {
		clock.Add(s.after)
		st, retry := get(s.secret)
		if st != s.want || retry != s.retry {
			t.Errorf("%s: GET = %d, Retry-After %q; want %d, %q", s.name, st, retry, s.want, s.retry)
		}
	}
	// Sessions are not limited by it.
	for range 5 {
		if st, _ := coach.do("GET", "/api/v1/teams/north/settings", nil); st != http.StatusOK {
			t.Fatalf("GET with a session = %d; want 200", st)
		}
	}
}

func TestTokenBuckets(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	l := newTokenBuckets(60, clock.Now) // one a second, bursts of 60
	for i := range 60 {
		if w := l.take(1); w != 0 {
			t.Fatalf("take %d = %v; want 0 within the burst", i, w)
		}
	}
	if w := l.take(1); w != time.Second {
		t.Errorf("take past the burst = %v; want 1s", w)
	}
	clock.Add(500 * time.Millisecond)
	if w := l.take(1); w != 500*time.Millisecond {
		t.Errorf("take half a second later = %v; want 500ms", w)
	}
	l.forget(1)
	if w := l.take(1); w != 0 {
		t.Errorf("take after forget = %v; want 0 (a new bucket)", w)
	}
	if w := newTokenBuckets(0, clock.Now).burst; w != DefaultTokenRate {
		t.Errorf("burst of rate 0 = %v; want DefaultTokenRate", w)
	}
}
