package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
)

func TestLoginSessionAndCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.anon()
	if st, _ := c.do("GET", "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("me before login = %d; want 401", st)
	}
	if st, body := c.do("POST", "/api/v1/login", map[string]string{"username": "anna", "password": "wrong-password"}); st != http.StatusUnauthorized || !strings.Contains(string(body), `"unauthorized"`) {
		t.Errorf("wrong password = %d %s; want 401", st, body)
	}
	if st, _ := c.do("POST", "/api/v1/login", map[string]string{"username": "anna", "password": testPassword}, "Origin", "https://evil.example"); st != http.StatusForbidden {
		t.Errorf("cross-origin login = %d; want 403", st)
	}

	anna := e.login("anna")
	var me meResponse
	anna.getJSON("/api/v1/me", &me)
	if me.User.Username != "anna" || me.TeamSettings == nil || me.TeamSettings.Team != "north" || me.CSRFToken != anna.csrf {
		t.Errorf("me = %+v", me)
	}
	u, _ := neturl.Parse(e.ts.URL)
	for _, ck := range anna.http.Jar.Cookies(u) {
		if ck.Name == sessionCookie && ck.Value == "" {
			t.Error("empty session cookie")
		}
	}

	noToken := &client{t: t, e: e, http: anna.http}
	if st, body := noToken.do("POST", "/api/v1/logout", nil); st != http.StatusForbidden || !strings.Contains(string(body), `"csrf"`) {
		t.Errorf("logout without CSRF token = %d %s; want 403 csrf", st, body)
	}
	bad := &client{t: t, e: e, http: anna.http, csrf: "nope"}
	if st, _ := bad.do("POST", "/api/v1/logout", nil); st != http.StatusForbidden {
		t.Errorf("logout with a wrong CSRF token = %d; want 403", st)
	}
	if st, _ := anna.do("POST", "/api/v1/logout", nil, "Origin", "https://evil.example"); st != http.StatusForbidden {
		t.Errorf("cross-origin logout = %d; want 403", st)
	}
	if st, body := anna.do("POST", "/api/v1/logout", nil); st != http.StatusNoContent {
		t.Fatalf("logout = %d %s", st, body)
	}
	if st, _ := anna.do("GET", "/api/v1/me", nil); st != http.StatusUnauthorized {
		t.Errorf("me after logout = %d; want 401", st)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp, err := http.Get(e.ts.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Cache-Control":           "no-store",
		"Content-Type":            "application/json",
	} {
		if got := resp.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s = %q; want it to contain %q", k, got, want)
		}
	}
}

func TestFrontendServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	st, body := e.anon().do("GET", "/", nil)
	if st != http.StatusOK || !strings.Contains(string(body), "<title>callsim</title>") {
		t.Errorf("GET / = %d %s; want the index page", st, body)
	}
	if st, _ := e.anon().do("POST", "/", nil); st != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d; want 405", st)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)
	clock := &now
	e := newEnv(t, func(s *Server) {
		s.LoginAttempts = 3
		s.LoginWindow = time.Minute
		s.Now = func() time.Time { return *clock }
	})
	c := e.anon()
	for i := range 3 {
		if st, _ := c.do("POST", "/api/v1/login", map[string]string{"username": "bob", "password": "wrong-password"}); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d; want 401", i+1, st)
		}
	}
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/login", strings.NewReader(`{"username":"bob","password":"`+testPassword+`"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("login after 3 failures = %d (Retry-After %q); want 429 even with the right password", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	now = now.Add(61 * time.Second)
	e.login("bob")
}

func TestLimiterIsBounded(t *testing.T) {
	t.Parallel()
	now := time.Now()
	l := newLimiter(1, time.Minute, func() time.Time { return now }, 100)
	for i := range 1000 {
		l.fail("ip:" + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if len(l.hits) > 100 {
		t.Errorf("limiter holds %d keys; want at most 100", len(l.hits))
	}
}

func TestPersonasByRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var list struct {
		Personas  []map[string]any `json:"personas"`
		Scenarios []map[string]any `json:"scenarios"`
	}
	e.login("anna").getJSON("/api/v1/personas", &list)
	if len(list.Personas) == 0 || len(list.Scenarios) == 0 {
		t.Fatalf("personas %v", list)
	}
	for _, p := range list.Personas {
		if _, ok := p["hidden"]; ok {
			t.Errorf("a trainee sees hidden state of %v", p["id"])
		}
		if _, ok := p["objections"]; ok {
			t.Errorf("a trainee sees objections of %v", p["id"])
		}
	}
	var one struct {
		Persona map[string]any `json:"persona"`
	}
	e.login("coach_n").getJSON("/api/v1/personas/"+testPersona, &one)
	if h, ok := one.Persona["hidden"].(map[string]any); !ok || h["urgency"] == "" {
		t.Errorf("a coach does not see the hidden state: %v", one.Persona)
	}
	if st, _ := e.login("anna").do("GET", "/api/v1/personas/nobody", nil); st != http.StatusNotFound {
		t.Errorf("unknown persona = %d; want 404", st)
	}
}

func TestPersonaUpload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnv(t, func(s *Server) { s.PersonasDir = dir })
	admin := e.login("admin")
	orig, err := fsRead(testPersona + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	newID := "custom-director"
	custom := strings.Replace(orig, "id: "+testPersona, "id: "+newID, 1)

	st, body := admin.do("PUT", "/api/v1/personas/"+newID, custom, "Content-Type", "application/yaml")
	if st != http.StatusOK || !strings.Contains(string(body), `"created":true`) {
		t.Fatalf("upload = %d %s", st, body)
	}
	if _, err := os.Stat(filepath.Join(dir, newID+".yaml")); err != nil {
		t.Errorf("uploaded file not written: %v", err)
	}
	if _, ok := e.srv.Catalog().Personas[newID]; !ok {
		t.Error("catalog not swapped after upload")
	}

	bad := strings.Replace(custom, "urgency: ", "urgency: urgent #", 1)
	st, body = admin.do("PUT", "/api/v1/personas/"+newID, bad, "Content-Type", "application/yaml")
	var apiErr struct {
		Error apiError `json:"error"`
	}
	json.Unmarshal(body, &apiErr)
	if st != http.StatusBadRequest || apiErr.Error.Field != "hidden.urgency" || !strings.HasPrefix(apiErr.Error.File, dir) {
		t.Errorf("bad upload = %d %s; want 400 naming %s and hidden.urgency", st, body, dir)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, newID+".yaml")); string(data) != custom {
		t.Error("a rejected upload changed the file on disk")
	}

	if st, _ := admin.do("PUT", "/api/v1/personas/other-id", custom, "Content-Type", "application/yaml"); st != http.StatusBadRequest {
		t.Errorf("upload with a mismatched id = %d; want 400", st)
	}
	if st, _ := admin.do("DELETE", "/api/v1/personas/"+testPersona, nil); st != http.StatusConflict {
		t.Errorf("delete a shipped persona = %d; want 409", st)
	}
	if st, body := admin.do("DELETE", "/api/v1/personas/"+newID, nil); st != http.StatusNoContent {
		t.Errorf("delete an uploaded persona = %d %s; want 204", st, body)
	}
	if _, ok := e.srv.Catalog().Personas[newID]; ok {
		t.Error("deleted persona still in the catalog")
	}
	if st, _ := admin.do("POST", "/api/v1/personas/reload", nil); st != http.StatusOK {
		t.Errorf("reload = %d; want 200", st)
	}
}

func fsRead(name string) (string, error) {
	data, err := readFS(personas.FS(), name)
	return string(data), err
}

// playDeal makes a stored deal for a user through the websocket.
func playDeal(t *testing.T, e *env, user string, lines ...string) string {
	t.Helper()
	w := e.login(user).dial()
	id := w.start("need")
	for _, l := range lines {
		w.say(l)
	}
	w.c.Close()
	e.waitNotLive(id)
	return id
}

func TestDealsListDetailCommentsOverrides(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	annaDeal := playDeal(t, e, "anna", lineOpen, lineProblem)
	bobDeal := playDeal(t, e, "bob", lineOpen)
	samDeal := playDeal(t, e, "sam", lineOpen)

	ids := func(c *client, q string) []string {
		var v struct {
			Deals []dealSummary `json:"deals"`
			Total int           `json:"total"`
		}
		c.getJSON("/api/v1/deals"+q, &v)
		var out []string
		for _, d := range v.Deals {
			out = append(out, d.ID)
		}
		return out
	}
	anna, coach, admin := e.login("anna"), e.login("coach_n"), e.login("admin")
	if got := ids(anna, ""); len(got) != 1 || got[0] != annaDeal {
		t.Errorf("anna's list = %v; want only %s", got, annaDeal)
	}
	if got := ids(coach, ""); len(got) != 2 {
		t.Errorf("coach_n's list = %v; want anna's and bob's", got)
	}
	if got := ids(admin, ""); len(got) != 3 {
		t.Errorf("admin's list = %v; want 3", got)
	}
	if got := ids(coach, "?persona="+testPersona+"&sort=score&limit=1"); len(got) != 1 {
		t.Errorf("paged list = %v; want 1", got)
	}
	if st, _ := anna.do("GET", "/api/v1/deals?user="+itoa(e.users["bob"].ID), nil); st != http.StatusNotFound {
		t.Errorf("anna filtering on bob = %d; want 404", st)
	}
	if st, _ := coach.do("GET", "/api/v1/deals?team=south", nil); st != http.StatusForbidden {
		t.Errorf("coach_n filtering on south = %d; want 403", st)
	}
	if st, _ := anna.do("GET", "/api/v1/deals?outcome=bogus", nil); st != http.StatusBadRequest {
		t.Errorf("bad outcome = %d; want 400", st)
	}

	var detail struct {
		Deal      dealSummary     `json:"deal"`
		Scorecard *sim.Scorecard  `json:"scorecard"`
		Comments  []*sim.Comment  `json:"comments"`
		Overrides []*sim.Override `json:"overrides"`
		Persona   map[string]any  `json:"persona"`
	}
	anna.getJSON("/api/v1/deals/"+annaDeal, &detail)
	if detail.Scorecard == nil || detail.Scorecard.Hidden != nil || len(detail.Scorecard.Transcript) != 3 {
		t.Fatalf("anna's detail: %+v", detail.Scorecard)
	}
	for _, tt := range detail.Scorecard.Transcript {
		if tt.Trust != 0 || tt.Patience != 0 {
			t.Errorf("a trainee sees trust/patience on turn %d", tt.Turn)
		}
	}
	if _, ok := detail.Persona["hidden"]; ok {
		t.Error("a trainee sees the persona's hidden state in the deal detail")
	}
	var cdetail struct {
		Scorecard *sim.Scorecard `json:"scorecard"`
		Persona   map[string]any `json:"persona"`
	}
	coach.getJSON("/api/v1/deals/"+annaDeal, &cdetail)
	if _, ok := cdetail.Persona["hidden"]; !ok {
		t.Error("the coach does not see the persona's hidden state")
	}
	if cdetail.Scorecard.Transcript[1].Trust == 0 && cdetail.Scorecard.Transcript[1].Patience == 0 {
		t.Error("the coach does not see trust/patience")
	}

	if st, body := coach.do("POST", "/api/v1/deals/"+annaDeal+"/comments", map[string]any{"call": 1, "turn": 1, "text": "Good opening."}); st != http.StatusCreated {
		t.Errorf("comment = %d %s", st, body)
	}
	if st, _ := coach.do("POST", "/api/v1/deals/"+annaDeal+"/comments", map[string]any{"call": 1, "turn": 9, "text": "x"}); st != http.StatusBadRequest {
		t.Errorf("comment on a missing turn = %d; want 400", st)
	}
	if st, _ := coach.do("POST", "/api/v1/deals/"+annaDeal+"/overrides", map[string]any{"score": 77}); st != http.StatusBadRequest {
		t.Errorf("override without a reason = %d; want 400", st)
	}
	if st, body := coach.do("POST", "/api/v1/deals/"+annaDeal+"/overrides", map[string]any{"score": 77, "reason": "Fair call"}); st != http.StatusCreated {
		t.Errorf("override = %d %s", st, body)
	}
	anna.getJSON("/api/v1/deals/"+annaDeal, &detail)
	if len(detail.Comments) != 1 || len(detail.Overrides) != 1 || detail.Deal.Score != 77 || !detail.Deal.Overridden {
		t.Errorf("after review: comments %d overrides %d score %d overridden %v", len(detail.Comments), len(detail.Overrides), detail.Deal.Score, detail.Deal.Overridden)
	}
	if detail.Scorecard.Score == 77 && detail.Deal.OriginalScore == 77 {
		t.Error("the override replaced the original score")
	}

	// Changing ids: nobody outside the deal's reach sees it.
	for _, tt := range []struct {
		user, deal string
		want       int
	}{
		{"bob", annaDeal, http.StatusNotFound},
		{"anna", samDeal, http.StatusNotFound},
		{"coach_s", annaDeal, http.StatusNotFound},
		{"coach_n", samDeal, http.StatusNotFound},
		{"coach_n", bobDeal, http.StatusOK},
		{"anna", "d_doesnotexist", http.StatusNotFound},
	} {
		if st, _ := e.login(tt.user).do("GET", "/api/v1/deals/"+tt.deal, nil); st != tt.want {
			t.Errorf("%s GET deal %s = %d; want %d", tt.user, tt.deal, st, tt.want)
		}
	}
}

func TestDealsCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	name := "=HYPERLINK(\"http://evil\")"
	if _, err := e.srv.Users.UpdateUser(t.Context(), e.users["anna"].ID, sim.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	playDeal(t, e, "anna", lineOpen)
	st, body := e.login("coach_n").do("GET", "/api/v1/deals.csv", nil)
	if st != http.StatusOK {
		t.Fatalf("csv = %d %s", st, body)
	}
	text, bom := strings.CutPrefix(string(body), "\ufeff")
	if !bom {
		t.Error("the CSV does not begin with a UTF-8 byte-order mark (Excel would misread Chinese names)")
	}
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("csv rows %v", rows)
	}
	if got := rows[1][5]; got != "'"+name {
		t.Errorf("name cell %q; want it defused with a leading quote", got)
	}
	if st, _ := e.login("anna").do("GET", "/api/v1/deals.csv", nil); st != http.StatusForbidden {
		t.Errorf("trainee csv = %d; want 403", st)
	}
}

func TestCSVCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"anna": "anna", "": "", "1-2": "1-2",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestTeamStatsAndSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	playDeal(t, e, "anna", lineOpen)
	var st struct {
		Team     string             `json:"team"`
		Funnel   sim.Funnel         `json:"funnel"`
		Trend    []sim.TrendPoint   `json:"trend"`
		Trainees []sim.TraineeStats `json:"trainees"`
	}
	e.login("coach_n").getJSON("/api/v1/teams/north/stats", &st)
	if st.Team != "north" || st.Funnel.Deals != 1 || len(st.Trainees) == 0 {
		t.Errorf("stats %+v", st)
	}
	var ts sim.TeamSettings
	e.login("anna").getJSON("/api/v1/teams/north/settings", &ts)
	if ts.HintsDisabled {
		t.Error("hints disabled by default")
	}
	var teams struct {
		Teams []string `json:"teams"`
	}
	e.login("admin").getJSON("/api/v1/teams", &teams)
	if strings.Join(teams.Teams, ",") != "north,south" {
		t.Errorf("admin teams %v; want north,south", teams.Teams)
	}
}

func TestUsersAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.login("admin")
	st, body := admin.do("POST", "/api/v1/users", map[string]any{"username": "carol", "role": "trainee", "team": "north"})
	if st != http.StatusCreated {
		t.Fatalf("create = %d %s", st, body)
	}
	var created struct {
		User     sim.User `json:"user"`
		Password string   `json:"password"`
	}
	json.Unmarshal(body, &created)
	if created.Password == "" || created.User.ID == 0 {
		t.Fatalf("create answer %s", body)
	}
	if st, _ := admin.do("POST", "/api/v1/users", map[string]any{"username": "carol", "role": "trainee"}); st != http.StatusConflict {
		t.Errorf("duplicate username = %d; want 409", st)
	}
	if st, _ := admin.do("POST", "/api/v1/users", map[string]any{"username": "bad name", "role": "trainee"}); st != http.StatusBadRequest {
		t.Errorf("bad username = %d; want 400", st)
	}
	c := e.anon()
	if st, _ := c.do("POST", "/api/v1/login", map[string]string{"username": "carol", "password": created.Password}); st != http.StatusOK {
		t.Errorf("login with the generated password = %d", st)
	}
	path := "/api/v1/users/" + itoa(created.User.ID)
	if st, body := admin.do("PATCH", path, map[string]any{"role": "coach", "team": "south"}); st != http.StatusOK || !strings.Contains(string(body), `"coach"`) {
		t.Errorf("update = %d %s", st, body)
	}
	if st, _ := admin.do("DELETE", "/api/v1/users/"+itoa(e.users["admin"].ID), nil); st != http.StatusConflict {
		t.Errorf("delete self = %d; want 409", st)
	}
	if st, _ := admin.do("DELETE", path, nil); st != http.StatusNoContent {
		t.Errorf("delete = %d; want 204", st)
	}
	var list struct {
		Users []sim.User `json:"users"`
	}
	e.login("coach_n").getJSON("/api/v1/users", &list)
	for _, u := range list.Users {
		if u.Team != "north" {
			t.Errorf("coach_n lists %s of team %q", u.Username, u.Team)
		}
	}

	anna := e.login("anna")
	if st, _ := anna.do("POST", "/api/v1/me/password", map[string]string{"old_password": "wrong-one", "new_password": "another-pass"}); st != http.StatusUnauthorized {
		t.Errorf("password change with a wrong old one = %d; want 401", st)
	}
	if st, body := anna.do("POST", "/api/v1/me/password", map[string]string{"old_password": testPassword, "new_password": "another-pass"}); st != http.StatusNoContent {
		t.Errorf("password change = %d %s", st, body)
	}
	if st, _ := anna.do("GET", "/api/v1/me", nil); st != http.StatusOK {
		t.Errorf("the session that changed the password ended: %d", st)
	}
}

// The deal summary says whether a call is in progress, to return to.
func TestDealSummaryInCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anna := e.login("anna")
	w := anna.dial()
	id := w.start("need")
	w.say(lineOpen)
	var got struct {
		Deal struct {
			InCall bool `json:"in_call"`
		} `json:"deal"`
	}
	anna.getJSON("/api/v1/deals/"+id, &got)
	if !got.Deal.InCall {
		t.Errorf("in_call = false during a call")
	}
	w.send(map[string]any{"type": "hangup"})
	w.expect("ended")
	w.expect("scorecard")
	anna.getJSON("/api/v1/deals/"+id, &got)
	if got.Deal.InCall {
		t.Errorf("in_call = true after the hang-up")
	}
}

// TestDealPace: a deal's summary carries its calls and turns to each
// milestone, and its detail the team's median on the same persona; the
// team stats carry the pace per persona and the stalled count per trainee.
func TestDealPace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lines := []string{lineOpen, lineProblem, lineMotive, lineMotive}
	annaDeal := playDeal(t, e, "anna", lines...)
	bobDeal := playDeal(t, e, "bob", lines[:1]...)
	playDeal(t, e, "sam", lines...) // team south: not in north's median

	coach := e.login("coach_n")
	type pacing struct {
		Deal     dealSummary      `json:"deal"`
		TeamPace *sim.PersonaPace `json:"team_pace"`
	}
	var a, b pacing
	coach.getJSON("/api/v1/deals/"+annaDeal, &a)
	coach.getJSON("/api/v1/deals/"+bobDeal, &b)
	need, ok := a.Deal.Pace[sim.MilestoneNeed]
	if !ok || need.Call != 1 || need.Turns < 2 || need.Turns > len(lines) {
		t.Fatalf("anna's pace = %+v; want the need in call 1 within %d turns", a.Deal.Pace, len(lines))
	}
	if _, ok := b.Deal.Pace[sim.MilestoneNeed]; ok {
		t.Fatalf("bob's pace = %+v; want no need after the opening alone", b.Deal.Pace)
	}
	want := &sim.PersonaPace{PersonaID: testPersona, Deals: 2, Milestones: []sim.MilestonePace{
		{Milestone: sim.MilestoneNeed, Reached: 1, MedianCalls: 1, MedianTurns: float64(need.Turns)},
		{Milestone: sim.MilestoneOffer}, {Milestone: sim.MilestoneDeal},
	}}
	for _, got := range []*sim.PersonaPace{a.TeamPace, b.TeamPace} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("team_pace = %+v; want %+v", got, want)
		}
	}

	var st struct {
		Pace     []sim.PersonaPace  `json:"pace"`
		Trainees []sim.TraineeStats `json:"trainees"`
	}
	coach.getJSON("/api/v1/teams/north/stats", &st)
	if len(st.Pace) != 1 || !reflect.DeepEqual(&st.Pace[0], want) {
		t.Errorf("team stats pace = %+v; want [%+v]", st.Pace, want)
	}
	for _, r := range st.Trainees {
		if r.Stalled != 0 {
			t.Errorf("%s stalled %d; want 0 (no price was agreed)", r.Username, r.Stalled)
		}
	}
}
