package httpapi

import (
	"net/http"
	"slices"

	"github.com/callsim/callsim/sim"
)

func (s *Server) handleTeams(w http.ResponseWriter, r *http.Request, sess *session) error {
	teams := teamsOf(sess.User)
	if sess.User.Role == sim.RoleAdmin {
		users, err := s.Users.FindUsers(r.Context(), sim.UserFilter{})
		if err != nil {
			return err
		}
		for _, u := range users {
			teams = append(teams, teamsOf(u)...)
		}
	}
	slices.Sort(teams)
	teams = slices.Compact(teams)
	if teams == nil {
		teams = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"teams": teams})
	return nil
}

// teamParam reads {team} and checks that u may do p with it.
func teamParam(r *http.Request, u *sim.User, p perm) (string, error) {
	team := r.PathValue("team")
	if team == "" || len(team) > 64 {
		return "", sim.Errorf(sim.EINVALID, "bad team %q", team)
	}
	if !canTeam(u, p, team) {
		return "", sim.Errorf(sim.EFORBIDDEN, "not your team")
	}
	return team, nil
}

func (s *Server) handleTeamStats(w http.ResponseWriter, r *http.Request, sess *session) error {
	team, err := teamParam(r, sess.User, permCoach)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, err := parseDate(q.Get("from"), false)
	if err != nil {
		return err
	}
	to, err := parseDate(q.Get("to"), true)
	if err != nil {
		return err
	}
	st, err := s.Deals.TeamStats(r.Context(), []string{team}, from, to)
	if err != nil {
		return err
	}
	if st.Trainees == nil {
		st.Trainees = []sim.TraineeStats{}
	}
	if st.Trend == nil {
		st.Trend = []sim.TrendPoint{}
	}
	resp := struct {
		Team string `json:"team"`
		From string `json:"from,omitempty"`
		To   string `json:"to,omitempty"`
		*sim.TeamStats
	}{Team: team, TeamStats: st}
	if !from.IsZero() {
		resp.From = from.Format("2006-01-02T15:04:05Z07:00")
	}
	if !to.IsZero() {
		resp.To = to.Format("2006-01-02T15:04:05Z07:00")
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) handleTeamSettings(w http.ResponseWriter, r *http.Request, sess *session) error {
	team, err := teamParam(r, sess.User, permView)
	if err != nil {
		return err
	}
	ts, err := s.Teams.TeamSettings(r.Context(), team)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ts)
	return nil
}

func (s *Server) handlePutTeamSettings(w http.ResponseWriter, r *http.Request, sess *session) error {
	team, err := teamParam(r, sess.User, permCoach)
	if err != nil {
		return err
	}
	var req struct {
		HintsDisabled *bool `json:"hints_disabled"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ts, err := s.Teams.TeamSettings(r.Context(), team)
	if err != nil {
		return err
	}
	if req.HintsDisabled != nil {
		ts.HintsDisabled = *req.HintsDisabled
	}
	ts.Team = team
	ts.UpdatedAt = s.now()
	if err := s.Teams.SetTeamSettings(r.Context(), ts); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ts)
	return nil
}
