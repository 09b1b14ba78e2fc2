package httpapi

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// API tokens let other tools use /api/v1 with "Authorization: Bearer
// cs_…" instead of the session cookie (docs/api.md). A token acts as a
// coach of its team, or of every team, on behalf of the user who made it:
// read-only tokens only read, read-write ones may also do what a coach of
// the team does (comment, override, team settings), never what only an
// admin does. Bearer requests need no CSRF token: a browser never adds
// the header on its own. The websocket takes only the cookie.

// DefaultTokenRate is how many requests an API token may make per minute
// when Server.TokenRate is zero.
const DefaultTokenRate = 600

// tokenRefused are the routes a token may not use: they manage the
// session or the tokens themselves.
var tokenRefused = map[string]bool{
	"POST /api/v1/logout":        true,
	"GET /api/v1/me":             true,
	"POST /api/v1/me/password":   true,
	"POST /api/v1/tokens":        true,
	"GET /api/v1/tokens":         true,
	"DELETE /api/v1/tokens/{id}": true,
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN"
// header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// tokenSession finds the API token of a bearer request and the coach it
// acts as: its maker, as a coach of the token's teams. A token whose
// maker no longer coaches its team (or is no longer an admin, for an
// all-teams token) is refused.
func (s *Server) tokenSession(r *http.Request, token string) (*session, error) {
	if s.Tokens == nil {
		return nil, sim.Errorf(sim.EUNAUTHORIZED, "this server takes no API tokens")
	}
	ctx := r.Context()
	t, err := s.Tokens.FindToken(ctx, token)
	if err != nil {
		if c := sim.ErrorCode(err); c == sim.EUNAUTHORIZED || c == sim.ENOTFOUND {
			return nil, sim.Errorf(sim.EUNAUTHORIZED, "unknown or revoked API token")
		}
		return nil, err
	}
	maker, err := s.Users.FindUserByID(ctx, t.CreatedBy)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			return nil, sim.Errorf(sim.EUNAUTHORIZED, "unknown or revoked API token")
		}
		return nil, err
	}
	if !mayMakeToken(maker, t.Team) {
		return nil, sim.Errorf(sim.EUNAUTHORIZED, "API token %s is no longer valid: its maker may no longer reach team %s", t.Prefix, t.Team)
	}
	teams := []string{t.Team}
	if t.Team == sim.AllTeams {
		if teams, err = s.allTeams(r); err != nil {
			return nil, err
		}
	}
	u := &sim.User{ID: maker.ID, Username: maker.Username, Name: maker.Name, Role: sim.RoleCoach,
		Team: strings.Join(teams, ","), CreatedAt: maker.CreatedAt}
	return &session{User: u, APIToken: t}, nil
}

// allTeams returns every team a user belongs to, as GET /api/v1/teams
// lists them for an admin.
func (s *Server) allTeams(r *http.Request) ([]string, error) {
	users, err := s.Users.FindUsers(r.Context(), sim.UserFilter{})
	if err != nil {
		return nil, err
	}
	var teams []string
	for _, u := range users {
		teams = append(teams, teamsOf(u)...)
	}
	slices.Sort(teams)
	return slices.Compact(teams), nil
}

// mayMakeToken reports whether u may make (and keep using) a token for
// team: an admin for any team or all, a coach for one of their teams.
func mayMakeToken(u *sim.User, team string) bool {
	switch u.Role {
	case sim.RoleAdmin:
		return true
	case sim.RoleCoach:
		return team != sim.AllTeams && slices.Contains(teamsOf(u), team)
	}
	return false
}

// mayManageToken reports whether u may see and revoke t: an admin any, a
// coach those of their teams, whoever made them.
func mayManageToken(u *sim.User, t *sim.APIToken) bool {
	return u.Role == sim.RoleAdmin || u.Role == sim.RoleCoach && mayMakeToken(u, t.Team)
}

// checkToken applies the rules of a bearer request before its route
// runs: the token's rate limit, the routes no token may use, and
// read-only tokens on state-changing methods.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request, sess *session) error {
	t := sess.APIToken
	if wait := s.tokenLimiter.take(t.ID); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return sim.Errorf(sim.ETOOMANY, "API token %s made too many requests: try again in %d seconds", t.Prefix, secs)
	}
	if tokenRefused[r.Pattern] {
		return sim.Errorf(sim.EFORBIDDEN, "an API token may not use %s: log in", r.Pattern)
	}
	if unsafeVerbs[r.Method] && t.Access != sim.TokenReadWrite {
		return sim.Errorf(sim.EFORBIDDEN, "API token %s is read-only", t.Prefix)
	}
	return nil
}

func (s *Server) tokenService() (sim.TokenService, error) {
	if s.Tokens == nil {
		return nil, sim.Errorf(codeUnavailable, "this server keeps no API tokens")
	}
	return s.Tokens, nil
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request, sess *session) error {
	tokens, err := s.tokenService()
	if err != nil {
		return err
	}
	var req struct {
		Name   string          `json:"name"`
		Team   string          `json:"team"`
		Access sim.TokenAccess `json:"access"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	req.Name, req.Team = strings.TrimSpace(req.Name), strings.TrimSpace(req.Team)
	if n := utf8.RuneCountInString(req.Name); n == 0 || n > 100 {
		return sim.Errorf(sim.EINVALID, "a name of 1 to 100 characters is required")
	}
	if req.Access == "" {
		req.Access = sim.TokenRead
	}
	if !req.Access.Valid() {
		return sim.Errorf(sim.EINVALID, "bad access %q (want read or read_write)", req.Access)
	}
	if req.Team == "" {
		return sim.Errorf(sim.EINVALID, "a team is required (an admin may give %q for every team)", sim.AllTeams)
	}
	if err := validTeam(req.Team); err != nil {
		return err
	}
	if !mayMakeToken(sess.User, req.Team) {
		if req.Team == sim.AllTeams {
			return sim.Errorf(sim.EFORBIDDEN, "only an admin may make a token for every team")
		}
		return sim.Errorf(sim.EFORBIDDEN, "not your team")
	}
	t := &sim.APIToken{Name: req.Name, Team: req.Team, Access: req.Access, CreatedBy: sess.User.ID}
	secret, err := tokens.CreateToken(r.Context(), t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
	return nil
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request, sess *session) error {
	tokens, err := s.tokenService()
	if err != nil {
		return err
	}
	all, err := tokens.FindTokens(r.Context())
	if err != nil {
		return err
	}
	out := []*sim.APIToken{}
	for _, t := range all {
		if mayManageToken(sess.User, t) {
			out = append(out, t)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

func (s *Server) handleDeleteToken(w http.ResponseWriter, r *http.Request, sess *session) error {
	tokens, err := s.tokenService()
	if err != nil {
		return err
	}
	notFound := sim.Errorf(sim.ENOTFOUND, "token not found")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound
	}
	t, err := tokens.FindTokenByID(r.Context(), id)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			return notFound
		}
		return err
	}
	if !mayManageToken(sess.User, t) {
		return notFound
	}
	if err := tokens.DeleteToken(r.Context(), id); err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			return notFound
		}
		return err
	}
	s.tokenLimiter.forget(id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tokenBuckets rate-limits API tokens: a token bucket per token holding
// up to a minute's worth of requests, refilled continuously. Only tokens
// that exist get a bucket, so the map is as large as the tokens in use.
type tokenBuckets struct {
	perSec float64
	burst  float64
	now    func() time.Time

	mu      sync.Mutex
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the buckets kept; past it, full ones are forgotten
// (a full bucket is what a new one would be).
const maxBuckets = 10000

func newTokenBuckets(perMinute int, now func() time.Time) *tokenBuckets {
	if perMinute < 1 {
		perMinute = DefaultTokenRate
	}
	return &tokenBuckets{perSec: float64(perMinute) / 60, burst: float64(perMinute), now: now, buckets: map[int64]*bucket{}}
}

// take spends one request of token id's bucket and returns 0, or, when it
// is empty, how long until it holds one again.
func (l *tokenBuckets) take(id int64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[id]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[id] = b
	}
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = min(l.burst, b.tokens+dt*l.perSec)
	}
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
}

func (l *tokenBuckets) prune(now time.Time) {
	for id, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, id)
		}
	}
}

// forget drops a revoked token's bucket.
func (l *tokenBuckets) forget(id int64) {
	l.mu.Lock()
	delete(l.buckets, id)
	l.mu.Unlock()
}
