package httpapi

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"strconv"

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

	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, sim.Errorf(sim.ENOTFOUND, "no such API route: %s %s", r.Method, r.URL.Path))
	})

	mux.HandleFunc("GET /ws/v1", s.handleWebsocket)

	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.HandleFunc("GET /metrics", s.handleMetrics)

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
	return s.countRequests(securityHeaders(mux))
}

// authed wraps an API handler: it finds the session, checks the route's
// roles and, on state-changing requests, the origin and the CSRF token.
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
	if !hasRole(rs, sess.User.Role) {
		return sim.Errorf(sim.EFORBIDDEN, "a %s may not do this", sess.User.Role)
	}
	if unsafeVerbs[r.Method] {
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

// countRequests counts responses by status class.
func (s *Server) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(strconv.Itoa(status/100) + "xx").Inc()
	})
}

// statusRecorder remembers the status; it passes Hijack through for the
// websocket upgrade.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijack not supported")
	}
	r.status = http.StatusSwitchingProtocols
	return h.Hijack()
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
