package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/callsim/callsim/sim"
)

var _ sim.TeamService = (*TeamService)(nil)

// TeamService stores a coach's settings for each team.
type TeamService struct {
	db *DB
}

// NewTeamService returns a TeamService backed by db.
func NewTeamService(db *DB) *TeamService { return &TeamService{db: db} }

// TeamSettings returns a team's settings, or the defaults (hints allowed,
// zero UpdatedAt) for a team never set.
func (s *TeamService) TeamSettings(ctx context.Context, team string) (*sim.TeamSettings, error) {
	defer s.db.observe("team.settings", time.Now())
	ts := &sim.TeamSettings{Team: team}
	err := s.db.db.QueryRowContext(ctx, "SELECT hints_disabled, updated_at FROM team_settings WHERE team = ?", team).
		Scan(&ts.HintsDisabled, scanTime(&ts.UpdatedAt))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("team settings: %w", err)
	}
	return ts, nil
}

// SetTeamSettings stores a team's settings and sets ts.UpdatedAt.
func (s *TeamService) SetTeamSettings(ctx context.Context, ts *sim.TeamSettings) error {
	defer s.db.observe("team.set_settings", time.Now())
	ts.Team = strings.TrimSpace(ts.Team)
	if err := validateText("team", ts.Team, MaxTeamLen); err != nil {
		return fmt.Errorf("set team settings: %w", err)
	}
	now := s.db.now()
	if _, err := s.db.w.ExecContext(ctx, `INSERT INTO team_settings (team, hints_disabled, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (team) DO UPDATE SET hints_disabled = excluded.hints_disabled, updated_at = excluded.updated_at`,
		ts.Team, ts.HintsDisabled, formatTime(now)); err != nil {
		return fmt.Errorf("set team settings: %w", err)
	}
	ts.UpdatedAt = now
	return nil
}
