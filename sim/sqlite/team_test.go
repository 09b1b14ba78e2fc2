package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

func TestTeamSettings(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	tests := []struct {
		name string
		set  *sim.TeamSettings // nil: only read
		team string
		want sim.TeamSettings
		code string
	}{
		{"unknown team has defaults", nil, "east", sim.TeamSettings{Team: "east"}, ""},
		{"disable hints", &sim.TeamSettings{Team: "east", HintsDisabled: true}, "east", sim.TeamSettings{Team: "east", HintsDisabled: true, UpdatedAt: t0.Add(time.Minute)}, ""},
		{"other team untouched", nil, "west", sim.TeamSettings{Team: "west"}, ""},
		{"enable again", &sim.TeamSettings{Team: "east"}, "east", sim.TeamSettings{Team: "east", UpdatedAt: t0.Add(2 * time.Minute)}, ""},
		{"team too long", &sim.TeamSettings{Team: strings.Repeat("t", MaxTeamLen+1)}, "", sim.TeamSettings{}, sim.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.set != nil {
				e.clock.Add(time.Minute)
				err := e.teams.SetTeamSettings(ctx, tc.set)
				wantCode(t, "SetTeamSettings", err, tc.code)
				if err != nil {
					return
				}
				if !tc.set.UpdatedAt.Equal(e.clock.Now()) {
					t.Errorf("SetTeamSettings set UpdatedAt %v; want %v", tc.set.UpdatedAt, e.clock.Now())
				}
			}
			got, err := e.teams.TeamSettings(ctx, tc.team)
			if err != nil || *got != tc.want {
				t.Errorf("TeamSettings(%q) = %+v, %v; want %+v", tc.team, got, err, tc.want)
			}
		})
	}
}
