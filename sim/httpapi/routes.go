package httpapi

import (
	"net/http"
	"strings"

	"github.com/callsim/callsim/sim"
)

// roles is the set of roles a route admits.
type roles []sim.Role

var (
	anyRole     = roles{sim.RoleTrainee, sim.RoleCoach, sim.RoleAdmin}
	coachOrUp   = roles{sim.RoleCoach, sim.RoleAdmin}
	adminOnly   = roles{sim.RoleAdmin}
	unsafeVerbs = map[string]bool{http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true}
)

// authedFunc is an API handler for a logged-in user; it returns errors
// instead of writing them, so that they are rendered in one place.
type authedFunc func(w http.ResponseWriter, r *http.Request, u *session) error

// routes builds the handler: every API route, the websocket, operations
// endpoints and the frontend, wrapped in the security headers.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, rs roles, h authedFunc) { mux.Handle(pattern, s.authed(rs, h)) }

	mux.HandleFunc("POST /api/v1/login", s.handleLogin)
	api("POST /api/v1/logout", anyRole, s.handleLogout)
	api("GET /api/v1/me", anyRole, s.handleMe)
	api("POST /api/v1/me/password", anyRole, s.handlePassword)

	api("GET /api/v1/personas", anyRole, s.handlePersonas)
	api("GET /api/v1/personas/{id}", anyRole, s.handlePersona)
	api("PUT /api/v1/personas/{id}", adminOnly, s.handlePutPersona)
	api("DELETE /api/v1/personas/{id}", adminOnly, s.handleDeletePersona)
	api("PUT /api/v1/scenarios/{id}", adminOnly, s.handlePutScenario)
	api("POST /api/v1/personas/reload", adminOnly, s.handleReload)

	api("GET /api/v1/deals", anyRole, s.handleDeals)
	api("GET /api/v1/deals.csv", coachOrUp, s.handleDealsCSV)
	api("GET /api/v1/deals/{id}", anyRole, s.handleDeal)
	api("POST /api/v1/deals/{id}/comments", coachOrUp, s.handleComment)
	api("POST /api/v1/deals/{id}/overrides", coachOrUp, s.handleOverride)

	api("GET /api/v1/teams", coachOrUp, s.handleTeams)
	api("GET /api/v1/teams/{team}/stats", coachOrUp, s.handleTeamStats)
	api("GET /api/v1/teams/{team}/settings", anyRole, s.handleTeamSettings)
	api("PUT /api/v1/teams/{team}/settings", coachOrUp, s.handlePutTeamSettings)

	api("GET /api/v1/users", coachOrUp, s.handleUsers)
	api("POST /api/v1/users", adminOnly, s.handleCreateUser)
	api("GET /api/v1/users/{id}", anyRole, s.handleUser)
	api("PATCH /api/v1/users/{id}", adminOnly, s.handleUpdateUser)
	api("DELETE /api/v1/users/{id}", adminOnly, s.handleDeleteUser)

	api("POST /api/v1/tokens", coachOrUp, s.handleCreateToken)
	api("GET /api/v1/tokens", coachOrUp, s.handleTokens)
	api("DELETE /api/v1/tokens/{id}", coachOrUp, s.handleDeleteToken)

	api("POST /api/v1/webhooks", adminOnly, s.handleCreateWebhook)
	api("GET /api/v1/webhooks", adminOnly, s.handleWebhooks)
	api("DELETE /api/v1/webhooks/{id}", adminOnly, s.handleDeleteWebhook)
	api("GET /api/v1/webhooks/{id}/deliveries", adminOnly, s.handleWebhookDeliveries)

	// Every API path the routes above do not match lands here, whatever
	// the method, so the mux's own 405 never happens under /api/: a known
	// path asked with another method is answered 405 here.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(mux, r, "/api/"); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, sim.Errorf(codeMethod, "%s is not allowed on %s: use %s", r.Method, r.URL.Path, strings.Join(allow, " or ")))
			return
		}
		s.writeError(w, r, sim.Errorf(sim.ENOTFOUND, "no such API route: %s %s", r.Method, r.URL.Path))
	})

	mux.HandleFunc("GET /ws/v1", s.handleWebsocket)

	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	if s.MetricsAddr == "" {
		mux.HandleFunc("GET /metrics", s.handleMetrics)
	} // else only on the metrics listener (MetricsHandler)

	if s.Frontend != nil {
		files := http.FileServer(http.FS(s.Frontend))
		// "/" without a method, so that it does not conflict with "/api/";
		// the frontend is only read.
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
				return
			}
			files.ServeHTTP(w, r)
		})
	}
	return s.observe(securityHeaders(mux))
}

// probeMethods are the methods allowedMethods tries, in the order of the
// Allow header.
var probeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowedMethods returns the methods for which mux has a route of its own
// for r's path, other than the catch-all pattern.
func allowedMethods(mux *http.ServeMux, r *http.Request, catchAll string) []string {
	var allow []string
	for _, m := range probeMethods {
		if m == r.Method {
			continue
		}
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != catchAll {
			allow = append(allow, m)
		}
	}
	return allow
}

// authed wraps an API handler: it finds the session, checks the route's
// roles and, on state-changing requests, the origin and the CSRF token;
// a request with an API token instead passes the token's checks
// (checkToken: rate limit, read-only) and needs no CSRF token.
// This is the only place role and CSRF checks happen for whole routes;
// checks on individual deals, teams and users are in authz.go.
func (s *Server) authed(rs roles, h authedFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkAuthed(w, r, rs, h); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func (s *Server) checkAuthed(w http.ResponseWriter, r *http.Request, rs roles, h authedFunc) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	if sess.APIToken != nil {
		if err := s.checkToken(w, r, sess); err != nil {
			return err
		}
	}
	if !hasRole(rs, sess.User.Role) {
		return sim.Errorf(sim.EFORBIDDEN, "a %s may not do this", sess.User.Role)
	}
	if unsafeVerbs[r.Method] && sess.APIToken == nil {
		if !s.originAllowed(r) {
			return &sim.Error{Code: codeCSRF, Message: "request from another origin"}
		}
		if !validCSRF(sess.Token, r.Header.Get(csrfHeader)) {
			return &sim.Error{Code: codeCSRF, Message: "missing or invalid " + csrfHeader + " header"}
		}
	}
	return h(w, r, sess)
}

func hasRole(rs roles, r sim.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}
