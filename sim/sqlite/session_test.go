package sqlite

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

func TestSessions(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")

	token, err := e.users.CreateSession(ctx, alice.ID, time.Hour)
	if err != nil {
		t.Fatalf("CreateSession() = %v", err)
	}
	if b, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(b) != 32 {
		t.Errorf("token %q: %d bytes, %v; want 32 random bytes, URL-safe", token, len(b), err)
	}
	other, _ := e.users.CreateSession(ctx, alice.ID, time.Hour)
	if other == token {
		t.Errorf("two sessions got the same token %q", token)
	}
	var stored int
	e.db.db.QueryRow("SELECT COUNT(*) FROM sessions WHERE token_hash = ? OR token_hash = ?", token, []byte(token)).Scan(&stored)
	if stored != 0 {
		t.Errorf("the token itself is stored; want only its hash")
	}

	tests := []struct {
		name    string
		advance time.Duration
		token   string
		want    string
	}{
		{"live", 0, token, ""},
		{"still live", 59 * time.Minute, token, ""},
		{"unknown", 0, "nope", sim.EUNAUTHORIZED},
		{"empty", 0, "", sim.EUNAUTHORIZED},
		{"expired", 2 * time.Minute, token, sim.EUNAUTHORIZED},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.clock.Add(tc.advance)
			u, err := e.users.FindSession(ctx, tc.token)
			wantCode(t, "FindSession", err, tc.want)
			if tc.want == "" && u.ID != alice.ID {
				t.Errorf("FindSession() = user %d; want %d", u.ID, alice.ID)
			}
		})
	}

	// Creating a session clears the expired ones.
	if _, err := e.users.CreateSession(ctx, alice.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	var n int
	e.db.db.QueryRow("SELECT COUNT(*) FROM sessions").Scan(&n)
	if n != 1 {
		t.Errorf("sessions after expiry and a new login = %d; want 1", n)
	}
}

func TestDeleteSession(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "")
	a, _ := e.users.CreateSession(ctx, alice.ID, time.Hour)
	b, _ := e.users.CreateSession(ctx, alice.ID, time.Hour)
	if err := e.users.DeleteSession(ctx, a); err != nil {
		t.Fatalf("DeleteSession() = %v", err)
	}
	_, err := e.users.FindSession(ctx, a)
	wantCode(t, "FindSession(logged out)", err, sim.EUNAUTHORIZED)
	if _, err := e.users.FindSession(ctx, b); err != nil {
		t.Errorf("FindSession(other session) = %v; want it alive", err)
	}
	if err := e.users.DeleteSession(ctx, a); err != nil {
		t.Errorf("DeleteSession(again) = %v; want nil", err)
	}
}

func TestCreateSessionErrors(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "")
	tests := []struct {
		name   string
		userID int64
		ttl    time.Duration
		want   string
	}{
		{"zero ttl", alice.ID, 0, sim.EINVALID},
		{"negative ttl", alice.ID, -time.Hour, sim.EINVALID},
		{"unknown user", 999, time.Hour, sim.ENOTFOUND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.users.CreateSession(ctx, tc.userID, tc.ttl)
			wantCode(t, "CreateSession", err, tc.want)
		})
	}
}
