package httpapi

import (
	"slices"
	"strings"

	"github.com/callsim/callsim/sim"
)

// This file is callsim's access policy. Route-level role checks happen in
// authed (routes.go); everything that depends on whose data it is goes
// through the functions below.

// perm is what a user wants to do with something.
type perm int

const (
	// permView: read it (own data, the team's data for a coach, all for an admin).
	permView perm = iota
	// permCoach: coach it: comment, override, see stats, change team settings.
	permCoach
)

// teamsOf returns the teams a user belongs to. A coach may lead several,
// written comma-separated in the user's team ("north,south").
func teamsOf(u *sim.User) []string {
	var ts []string
	for _, t := range strings.Split(u.Team, ",") {
		if t = strings.TrimSpace(t); t != "" {
			ts = append(ts, t)
		}
	}
	return ts
}

// primaryTeam is the team whose settings apply to the user.
func primaryTeam(u *sim.User) string {
	if ts := teamsOf(u); len(ts) > 0 {
		return ts[0]
	}
	return ""
}

// canOwned reports whether u may do p with data owned by ownerID in team.
func canOwned(u *sim.User, p perm, ownerID int64, team string) bool {
	switch u.Role {
	case sim.RoleAdmin:
		return true
	case sim.RoleCoach:
		if team != "" && slices.Contains(teamsOf(u), team) {
			return true
		}
	}
	return p == permView && ownerID != 0 && ownerID == u.ID
}

// canDeal reports whether u may do p with a deal.
func canDeal(u *sim.User, p perm, d *sim.DealRecord) bool {
	return canOwned(u, p, d.UserID, d.Team)
}

// canTeam reports whether u may do p with a team: any member may view its
// settings; its coaches and admins may coach it.
func canTeam(u *sim.User, p perm, team string) bool {
	if u.Role == sim.RoleAdmin {
		return true
	}
	member := slices.Contains(teamsOf(u), team)
	if p == permView {
		return member
	}
	return member && u.Role == sim.RoleCoach
}

// canUser reports whether u may view the account target: their own, the
// users of a coach's teams, everyone for an admin.
func canUser(u, target *sim.User) bool {
	if u.Role == sim.RoleAdmin || u.ID == target.ID {
		return true
	}
	if u.Role != sim.RoleCoach {
		return false
	}
	for _, t := range teamsOf(target) {
		if slices.Contains(teamsOf(u), t) {
			return true
		}
	}
	return false
}

// seesHidden reports whether u may see the hidden persona state of a deal
// that is not over (and the per-turn trust and patience).
func seesHidden(u *sim.User) bool { return u.Role != sim.RoleTrainee }

// viewScorecard returns the scorecard as u may see it: for a trainee,
// until the deal is over, without the hidden state and per-turn trust and
// patience. The stored scorecard is never changed.
func viewScorecard(u *sim.User, sc *sim.Scorecard) *sim.Scorecard {
	if sc == nil || sc.Over || seesHidden(u) {
		return sc
	}
	cp := *sc
	cp.Hidden = nil
	cp.Transcript = stripTurns(sc.Transcript)
	return &cp
}

func stripTurns(ts []sim.TranscriptTurn) []sim.TranscriptTurn {
	out := make([]sim.TranscriptTurn, len(ts))
	for i, t := range ts {
		t.Trust, t.Patience = 0, 0
		out[i] = t
	}
	return out
}
