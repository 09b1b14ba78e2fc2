package httpapi

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

func validUsername(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func validTeam(s string) error {
	if utf8.RuneCountInString(s) > 64 {
		return sim.Errorf(sim.EINVALID, "team must be at most 64 characters")
	}
	return nil
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, sess *session) error {
	q := r.URL.Query()
	f := sim.UserFilter{Team: q.Get("team"), Role: sim.Role(q.Get("role"))}
	if f.Role != "" && !f.Role.Valid() {
		return sim.Errorf(sim.EINVALID, "bad role %q", f.Role)
	}
	if sess.User.Role == sim.RoleCoach && f.Team != "" && !slices.Contains(teamsOf(sess.User), f.Team) {
		return sim.Errorf(sim.EFORBIDDEN, "not your team")
	}
	users, err := s.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	out := []*sim.User{}
	for _, u := range users {
		if canUser(sess.User, u) {
			out = append(out, u)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

// findUser loads the user {id} if u may see it; others answer not found.
func (s *Server) findUser(r *http.Request, u *sim.User) (*sim.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, sim.Errorf(sim.ENOTFOUND, "user not found")
	}
	target, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			return nil, sim.Errorf(sim.ENOTFOUND, "user not found")
		}
		return nil, err
	}
	if !canUser(u, target) {
		return nil, sim.Errorf(sim.ENOTFOUND, "user not found")
	}
	return target, nil
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request, sess *session) error {
	target, err := s.findUser(r, sess.User)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": target})
	return nil
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request, sess *session) error {
	var req struct {
		Username string   `json:"username"`
		Name     string   `json:"name"`
		Role     sim.Role `json:"role"`
		Team     string   `json:"team"`
		Password string   `json:"password"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if !validUsername(req.Username) {
		return sim.Errorf(sim.EINVALID, "username must be 1 to 64 letters, digits, '.', '_' or '-'")
	}
	if !req.Role.Valid() {
		return sim.Errorf(sim.EINVALID, "role must be trainee, coach or admin")
	}
	req.Team = strings.TrimSpace(req.Team)
	if err := validTeam(req.Team); err != nil {
		return err
	}
	generated := ""
	if req.Password == "" {
		generated = rand.Text()
		req.Password = generated
	} else if err := checkPassword(req.Password); err != nil {
		return err
	}
	if req.Name == "" {
		req.Name = req.Username
	}
	u := &sim.User{Username: req.Username, Name: req.Name, Role: req.Role, Team: req.Team, CreatedAt: s.now()}
	if err := s.Users.CreateUser(r.Context(), u, req.Password); err != nil {
		return err
	}
	resp := map[string]any{"user": u}
	if generated != "" {
		resp["password"] = generated
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

func (s *Server) handleUpdateUser(w http.ResponseWriter, r *http.Request, sess *session) error {
	target, err := s.findUser(r, sess.User)
	if err != nil {
		return err
	}
	var req struct {
		Name     *string   `json:"name"`
		Role     *sim.Role `json:"role"`
		Team     *string   `json:"team"`
		Password *string   `json:"password"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Role != nil && !req.Role.Valid() {
		return sim.Errorf(sim.EINVALID, "role must be trainee, coach or admin")
	}
	if req.Role != nil && target.ID == sess.User.ID && *req.Role != sim.RoleAdmin {
		return sim.Errorf(sim.ECONFLICT, "you cannot take away your own admin role")
	}
	if req.Team != nil {
		*req.Team = strings.TrimSpace(*req.Team)
		if err := validTeam(*req.Team); err != nil {
			return err
		}
	}
	if req.Password != nil {
		if err := checkPassword(*req.Password); err != nil {
			return err
		}
	}
	upd := sim.UserUpdate{Name: req.Name, Role: req.Role, Team: req.Team, Password: req.Password}
	if target.ID == sess.User.ID {
		upd.KeepSession = sess.Token
	}
	u, err := s.Users.UpdateUser(r.Context(), target.ID, upd)
	if err != nil {
		return err
	}
	if req.Password != nil {
		// A new password ends the user's other sessions, and so their calls.
		s.dropConns(func(c *wsConn) bool { return c.user.ID == target.ID && c.token != upd.KeepSession }, "your password was changed")
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
	return nil
}

func (s *Server) handleDeleteUser(w http.ResponseWriter, r *http.Request, sess *session) error {
	target, err := s.findUser(r, sess.User)
	if err != nil {
		return err
	}
	if target.ID == sess.User.ID {
		return sim.Errorf(sim.ECONFLICT, "you cannot delete yourself")
	}
	if err := s.Users.DeleteUser(r.Context(), target.ID); err != nil {
		return err
	}
	s.dropConns(func(c *wsConn) bool { return c.user.ID == target.ID }, "your account was deleted")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
