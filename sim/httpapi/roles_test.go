package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestRoles checks every API route for an anonymous client, a trainee
// (anna, team north), a coach of another team, the coach of the team and
// an admin, with the ids of anna's data: nobody reaches what is not theirs
// by changing an id.
func TestRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.PersonasDir = t.TempDir() })
	annaDeal := playDeal(t, e, "anna", lineOpen)
	tmp := &sim.User{Username: "tmp", Name: "Tmp", Role: sim.RoleTrainee, Team: "north"}
	if err := e.srv.Users.CreateUser(context.Background(), tmp, testPassword); err != nil {
		t.Fatal(err)
	}
	actors := []string{"", "anna", "coach_s", "coach_n", "admin"}
	clients := map[string]*client{"": e.anon()}
	for _, a := range actors[1:] {
		clients[a] = e.login(a)
	}
	anna, bob := itoa(e.users["anna"].ID), itoa(e.users["bob"].ID)
	const (
		ok   = http.StatusOK
		made = http.StatusCreated
		gone = http.StatusNoContent
		bad  = http.StatusBadRequest
		no   = http.StatusUnauthorized
		deny = http.StatusForbidden
		nf   = http.StatusNotFound
		conf = http.StatusConflict
	)
	routes := []struct {
		method, path string
		body         any
		// want per actor: anonymous, trainee, coach of another team, coach of the team, admin
		want [5]int
	}{
		{"GET", "/api/v1/me", nil, [5]int{no, ok, ok, ok, ok}},
		{"GET", "/api/v1/personas", nil, [5]int{no, ok, ok, ok, ok}},
		{"GET", "/api/v1/personas/" + testPersona, nil, [5]int{no, ok, ok, ok, ok}},
		{"PUT", "/api/v1/personas/" + testPersona, "id: [", [5]int{no, deny, deny, deny, bad}},
		{"DELETE", "/api/v1/personas/" + testPersona, nil, [5]int{no, deny, deny, deny, conf}},
		{"PUT", "/api/v1/scenarios/sales-training", "id: [", [5]int{no, deny, deny, deny, bad}},
		{"POST", "/api/v1/personas/reload", nil, [5]int{no, deny, deny, deny, ok}},
		{"GET", "/api/v1/deals", nil, [5]int{no, ok, ok, ok, ok}},
		{"GET", "/api/v1/deals?user=" + bob, nil, [5]int{no, nf, ok, ok, ok}},
		{"GET", "/api/v1/deals?team=north", nil, [5]int{no, ok, deny, ok, ok}},
		{"GET", "/api/v1/deals.csv", nil, [5]int{no, deny, ok, ok, ok}},
		{"GET", "/api/v1/deals.csv?team=north", nil, [5]int{no, deny, deny, ok, ok}},
		{"GET", "/api/v1/deals/" + annaDeal, nil, [5]int{no, ok, nf, ok, ok}},
		{"POST", "/api/v1/deals/" + annaDeal + "/comments", map[string]any{"call": 1, "turn": 1, "text": "Nice."}, [5]int{no, deny, nf, made, made}},
		{"POST", "/api/v1/deals/" + annaDeal + "/overrides", map[string]any{"score": 50, "reason": "Because."}, [5]int{no, deny, nf, made, made}},
		{"GET", "/api/v1/teams", nil, [5]int{no, deny, ok, ok, ok}},
		{"GET", "/api/v1/teams/north/stats", nil, [5]int{no, deny, deny, ok, ok}},
		{"GET", "/api/v1/teams/north/settings", nil, [5]int{no, ok, deny, ok, ok}},
		{"GET", "/api/v1/teams/south/settings", nil, [5]int{no, deny, ok, deny, ok}},
		{"PUT", "/api/v1/teams/north/settings", map[string]any{"hints_disabled": false}, [5]int{no, deny, deny, ok, ok}},
		{"GET", "/api/v1/users", nil, [5]int{no, deny, ok, ok, ok}},
		{"GET", "/api/v1/users?team=north", nil, [5]int{no, deny, deny, ok, ok}},
		{"POST", "/api/v1/users", map[string]any{"username": "newbie", "role": "trainee", "team": "north"}, [5]int{no, deny, deny, deny, made}},
		{"GET", "/api/v1/users/" + anna, nil, [5]int{no, ok, nf, ok, ok}},
		{"GET", "/api/v1/users/" + bob, nil, [5]int{no, nf, nf, ok, ok}},
		{"PATCH", "/api/v1/users/" + bob, map[string]any{"name": "Bobby"}, [5]int{no, deny, deny, deny, ok}},
		{"DELETE", "/api/v1/users/" + itoa(tmp.ID), nil, [5]int{no, deny, deny, deny, gone}},
		{"GET", "/api/v1/nowhere", nil, [5]int{nf, nf, nf, nf, nf}},
	}
	for _, r := range routes {
		for i, a := range actors {
			name := a
			if name == "" {
				name = "anonymous"
			}
			t.Run(r.method+" "+r.path+"/"+name, func(t *testing.T) {
				st, body := clients[a].do(r.method, r.path, r.body)
				if st != r.want[i] {
					t.Errorf("%s %s as %s = %d %s; want %d", r.method, r.path, name, st, body, r.want[i])
				}
			})
		}
	}

	// The websocket admits every logged-in user and nobody else.
	for _, a := range actors {
		_, resp, _ := clients[a].tryDial(nil)
		want := http.StatusSwitchingProtocols
		if a == "" {
			want = http.StatusUnauthorized
		}
		if resp == nil || resp.StatusCode != want {
			t.Errorf("websocket as %q: %v; want %d", a, resp, want)
		}
	}
}

func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie := func(name string) *http.Cookie {
		c := e.login(name)
		u, _ := http.NewRequest("GET", e.ts.URL, nil)
		for _, ck := range c.http.Jar.Cookies(u.URL) {
			if ck.Name == sessionCookie {
				return ck
			}
		}
		t.Fatalf("no session cookie for %s", name)
		return nil
	}
	tests := []struct {
		name, remote, user string
		want               int
	}{
		{"loopback", "127.0.0.1:5555", "", http.StatusOK},
		{"remote anonymous", "192.0.2.1:5555", "", http.StatusUnauthorized},
		{"remote trainee", "192.0.2.1:5555", "anna", http.StatusForbidden},
		{"remote coach", "192.0.2.1:5555", "coach_n", http.StatusForbidden},
		{"remote admin", "192.0.2.1:5555", "admin", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.RemoteAddr = tt.remote
			if tt.user != "" {
				req.AddCookie(cookie(tt.user))
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("/metrics from %s as %q = %d; want %d", tt.remote, tt.user, rec.Code, tt.want)
			}
		})
	}
}
