package sqlite

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	tokens := NewTokenService(e.db)
	coach := e.MustUser(t, "coach", sim.RoleCoach, "east")

	tok := &sim.APIToken{Name: " CRM sync ", Team: "east", Access: sim.TokenRead, CreatedBy: coach.ID}
	secret, err := tokens.CreateToken(ctx, tok)
	if err != nil {
		t.Fatalf("CreateToken() = %v", err)
	}
	if tok.Name != "CRM sync" || tok.ID == 0 || tok.Prefix != "cs_"+strconv.FormatInt(tok.ID, 10) || !tok.CreatedAt.Equal(t0) || tok.LastUsedAt != nil {
		t.Errorf("CreateToken() set %+v; want a trimmed name, an id, prefix cs_<id>, created now, never used", tok)
	}
	if !strings.HasPrefix(secret, tok.Prefix+"_") || len(secret) != len(tok.Prefix)+1+43 {
		t.Errorf("secret %q; want %s_ and 43 characters", secret, tok.Prefix)
	}
	var stored int
	e.db.db.QueryRow("SELECT COUNT(*) FROM api_tokens WHERE secret_hash = ? OR secret_hash = ?",
		[]byte(secret), []byte(secret[len(tok.Prefix)+1:])).Scan(&stored)
	if stored != 0 {
		t.Error("the secret itself is stored; want only its hash")
	}

	bad := []struct {
		name string
		tok  sim.APIToken
		want string
	}{
		{"no name", sim.APIToken{Team: "east", Access: sim.TokenRead, CreatedBy: coach.ID}, sim.EINVALID},
		{"no team", sim.APIToken{Name: "x", Access: sim.TokenRead, CreatedBy: coach.ID}, sim.EINVALID},
		{"two teams", sim.APIToken{Name: "x", Team: "east,west", Access: sim.TokenRead, CreatedBy: coach.ID}, sim.EINVALID},
		{"bad access", sim.APIToken{Name: "x", Team: "east", Access: "admin", CreatedBy: coach.ID}, sim.EINVALID},
		{"no user", sim.APIToken{Name: "x", Team: "east", Access: sim.TokenRead, CreatedBy: 999}, sim.ENOTFOUND},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tokens.CreateToken(ctx, &tc.tok)
			wantCode(t, "CreateToken("+tc.name+")", err, tc.want)
		})
	}

	find := []struct {
		name, token, want string
	}{
		{"good", secret, ""},
		{"empty", "", sim.EUNAUTHORIZED},
		{"no prefix", strings.TrimPrefix(secret, "cs_"), sim.EUNAUTHORIZED},
		{"wrong secret", tok.Prefix + "_" + strings.Repeat("A", 43), sim.EUNAUTHORIZED},
		{"other id", "cs_" + strconv.FormatInt(tok.ID+1, 10) + secret[len(tok.Prefix):], sim.EUNAUTHORIZED},
		{"bad id", "cs_x_" + secret[len(tok.Prefix)+1:], sim.EUNAUTHORIZED},
	}
	for _, tc := range find {
		t.Run("find "+tc.name, func(t *testing.T) {
			got, err := tokens.FindToken(ctx, tc.token)
			wantCode(t, "FindToken("+tc.name+")", err, tc.want)
			if tc.want == "" && (got.ID != tok.ID || got.Team != "east" || got.Access != sim.TokenRead || got.CreatedBy != coach.ID) {
				t.Errorf("FindToken() = %+v; want %+v", got, tok)
			}
		})
	}

	// The use is recorded at most once a minute.
	lastUsed := func() time.Time {
		t.Helper()
		got, err := tokens.FindTokenByID(ctx, tok.ID)
		if err != nil || got.LastUsedAt == nil {
			t.Fatalf("FindTokenByID() = %+v, %v; want a last use", got, err)
		}
		return *got.LastUsedAt
	}
	if got := lastUsed(); !got.Equal(t0) {
		t.Errorf("last used %v; want %v", got, t0)
	}
	e.clock.Add(30 * time.Second)
	tokens.FindToken(ctx, secret)
	if got := lastUsed(); !got.Equal(t0) {
		t.Errorf("last used after 30s %v; want still %v", got, t0)
	}
	e.clock.Add(time.Minute)
	tokens.FindToken(ctx, secret)
	if got, want := lastUsed(), t0.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("last used after 90s %v; want %v", got, want)
	}

	admin := e.MustUser(t, "boss", sim.RoleAdmin, "")
	all := &sim.APIToken{Name: "BI", Team: sim.AllTeams, Access: sim.TokenReadWrite, CreatedBy: admin.ID}
	if _, err := tokens.CreateToken(ctx, all); err != nil {
		t.Fatalf("CreateToken(all teams) = %v", err)
	}
	list, err := tokens.FindTokens(ctx)
	if err != nil || len(list) != 2 || list[0].ID != all.ID || list[1].ID != tok.ID {
		t.Fatalf("FindTokens() = %v, %v; want the two tokens, newest first", list, err)
	}

	// Revocation takes effect at once; ids are not reused.
	if err := tokens.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatalf("DeleteToken() = %v", err)
	}
	_, err = tokens.FindToken(ctx, secret)
	wantCode(t, "FindToken(revoked)", err, sim.EUNAUTHORIZED)
	wantCode(t, "DeleteToken(again)", tokens.DeleteToken(ctx, tok.ID), sim.ENOTFOUND)
	_, err = tokens.FindTokenByID(ctx, tok.ID)
	wantCode(t, "FindTokenByID(revoked)", err, sim.ENOTFOUND)
	if err := tokens.DeleteToken(ctx, all.ID); err != nil {
		t.Fatal(err)
	}
	next := &sim.APIToken{Name: "again", Team: "east", Access: sim.TokenRead, CreatedBy: coach.ID}
	if _, err := tokens.CreateToken(ctx, next); err != nil || next.ID <= all.ID {
		t.Errorf("CreateToken() after revoking = id %d, %v; want an id above %d", next.ID, err, all.ID)
	}

	// Deleting the user revokes their tokens.
	nextSecret, _ := tokens.CreateToken(ctx, &sim.APIToken{Name: "gone", Team: "east", Access: sim.TokenRead, CreatedBy: coach.ID})
	if err := e.users.DeleteUser(ctx, coach.ID); err != nil {
		t.Fatal(err)
	}
	_, err = tokens.FindToken(ctx, nextSecret)
	wantCode(t, "FindToken(user deleted)", err, sim.EUNAUTHORIZED)
}

// FuzzParseToken: whatever a client sends as a bearer token, parsing it
// does not panic, and what it accepts names a positive id and a secret.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{"cs_1_abc", "cs_12_q3J9-_x", "cs__x", "cs_0_x", "cs_-1_x", "cs_99999999999999999999_x", "cs_+1_x", "cs_01_x", "", "Bearer x", "cs_1_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, secret, ok := parseToken(token)
		if !ok {
			return
		}
		if id <= 0 || secret == "" || token != tokenDisplay(id)+"_"+secret {
			t.Errorf("parseToken(%q) = %d, %q; want a positive id and the rest as the secret", token, id, secret)
		}
	})
}
