package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

const (
	sessionCookie = "callsim_session"
	csrfHeader    = "X-CSRF-Token"
	minPassword   = 8
)

// session is a logged-in user and the secret token of their session; or,
// for a request with an API token, the coach the token acts as and the
// token (Token is then empty).
type session struct {
	User     *sim.User
	Token    string
	APIToken *sim.APIToken
}

// session finds the user of the request's session cookie, or, on /api/v1
// routes, of its "Authorization: Bearer" API token (tokens.go), which
// then wins over a cookie. The websocket and /metrics take no API token.
func (s *Server) session(r *http.Request) (*session, error) {
	if tok, ok := bearerToken(r); ok && strings.HasPrefix(r.URL.Path, "/api/v1/") {
		return s.tokenSession(r, tok)
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, sim.Errorf(sim.EUNAUTHORIZED, "not logged in")
	}
	u, err := s.Users.FindSession(r.Context(), c.Value)
	if err != nil {
		if sim.ErrorCode(err) == sim.EUNAUTHORIZED || sim.ErrorCode(err) == sim.ENOTFOUND {
			return nil, sim.Errorf(sim.EUNAUTHORIZED, "session expired: log in again")
		}
		return nil, err
	}
	return &session{User: u, Token: c.Value}, nil
}

// csrfToken derives the CSRF token from the session token. Only someone who
// knows the HttpOnly session cookie can compute it, and it survives server
// restarts without being stored.
func csrfToken(sessionToken string) string {
	sum := sha256.Sum256([]byte("callsim csrf v1\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func validCSRF(sessionToken, got string) bool {
	want := csrfToken(sessionToken)
	return got != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// originAllowed reports whether the request's Origin is the server itself
// or one of AllowedOrigins. Requests without Origin come from non-browser
// clients, which cannot be tricked into sending a user's cookie.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	norm := strings.ToLower(strings.TrimSuffix(origin, "/"))
	for _, a := range s.AllowedOrigins {
		if norm == strings.ToLower(strings.TrimSuffix(a, "/")) {
			return true
		}
	}
	return false
}

// loginKeys are the limiter keys of a login attempt: the client address
// (through trusted proxies) and the username, case-folded. Usernames are
// hashed so that a huge one costs the limiter no more than a short one.
func (s *Server) loginKeys(r *http.Request, username string) []string {
	sum := sha256.Sum256([]byte(strings.ToLower(username)))
	return []string{"ip:" + addrString(s.clientAddr(r)), "user:" + base64.RawURLEncoding.EncodeToString(sum[:])}
}

// meResponse is the body of login and /me.
type meResponse struct {
	User         *sim.User         `json:"user"`
	TeamSettings *sim.TeamSettings `json:"team_settings"`
	CSRFToken    string            `json:"csrf_token"`
}

func (s *Server) me(r *http.Request, u *sim.User, token string) (*meResponse, error) {
	ts, err := s.Teams.TeamSettings(r.Context(), primaryTeam(u))
	if err != nil {
		return nil, err
	}
	return &meResponse{User: u, TeamSettings: ts, CSRFToken: csrfToken(token)}, nil
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := s.login(w, r); err != nil {
		s.writeError(w, r, err)
	}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if !s.originAllowed(r) {
		return &sim.Error{Code: codeCSRF, Message: "login from another origin"}
	}
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Username == "" || req.Password == "" {
		return sim.Errorf(sim.EINVALID, "username and password are required")
	}
	// The lockout rule of docs/api.md: failures are counted per client
	// address and per username; once either has login_attempts failures in
	// its window, every attempt with it is refused, the right password too,
	// until that window ends.
	keys := s.loginKeys(r, req.Username)
	if wait := s.limiter.blocked(keys...); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return sim.Errorf(sim.ETOOMANY, "too many failed logins: try again in %d seconds", int(math.Ceil(wait.Seconds())))
	}
	u, err := s.Users.Authenticate(r.Context(), req.Username, req.Password)
	if err != nil {
		if c := sim.ErrorCode(err); c == sim.EUNAUTHORIZED || c == sim.ENOTFOUND {
			s.limiter.fail(keys...)
			s.metrics.loginFailures.Inc()
			return sim.Errorf(sim.EUNAUTHORIZED, "wrong username or password")
		}
		return err
	}
	token, err := s.Users.CreateSession(r.Context(), u.ID, s.SessionTTL)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, token, int(s.SessionTTL.Seconds()))
	resp, err := s.me(r, u, token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.SecureCookies,
		SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, sess *session) error {
	if err := s.Users.DeleteSession(r.Context(), sess.Token); err != nil {
		return err
	}
	s.dropConns(func(c *wsConn) bool { return c.token == sess.Token }, "you logged out")
	s.setSessionCookie(w, "", -1)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, sess *session) error {
	resp, err := s.me(r, sess.User, sess.Token)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request, sess *session) error {
	var req struct {
		Old string `json:"old_password"`
		New string `json:"new_password"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := checkPassword(req.New); err != nil {
		return err
	}
	if _, err := s.Users.Authenticate(r.Context(), sess.User.Username, req.Old); err != nil {
		if c := sim.ErrorCode(err); c == sim.EUNAUTHORIZED || c == sim.ENOTFOUND {
			return sim.Errorf(sim.EUNAUTHORIZED, "wrong password")
		}
		return err
	}
	if _, err := s.Users.UpdateUser(r.Context(), sess.User.ID, sim.UserUpdate{Password: &req.New, KeepSession: sess.Token}); err != nil {
		return err
	}
	s.dropConns(func(c *wsConn) bool { return c.user.ID == sess.User.ID && c.token != sess.Token }, "your password was changed")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < minPassword {
		return sim.Errorf(sim.EINVALID, "the password must have at least %d characters", minPassword)
	}
	if len(p) > 72 {
		return sim.Errorf(sim.EINVALID, "the password must be at most 72 bytes (bcrypt's limit)")
	}
	return nil
}
