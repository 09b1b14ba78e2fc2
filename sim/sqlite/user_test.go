package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/callsim/callsim/sim"
)

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	e.MustUser(t, "Alice", sim.RoleTrainee, "east")
	tests := []struct {
		name     string
		user     sim.User
		password string
		want     string // error code
	}{
		{"ok", sim.User{Username: "bob", Role: sim.RoleCoach, Team: "east"}, "long enough", ""},
		{"chinese name and username", sim.User{Username: "王小明", Name: "王小明", Role: sim.RoleTrainee}, "密码密码密码密码", ""},
		{"duplicate other case", sim.User{Username: "ALICE", Role: sim.RoleTrainee}, "long enough", sim.ECONFLICT},
		{"duplicate same case", sim.User{Username: "Alice", Role: sim.RoleTrainee}, "long enough", sim.ECONFLICT},
		{"bad role", sim.User{Username: "carol", Role: "boss"}, "long enough", sim.EINVALID},
		{"empty role", sim.User{Username: "carol"}, "long enough", sim.EINVALID},
		{"short password", sim.User{Username: "carol", Role: sim.RoleTrainee}, "1234567", sim.EINVALID},
		{"password over 72 bytes", sim.User{Username: "carol", Role: sim.RoleTrainee}, strings.Repeat("x", 73), sim.EINVALID},
		{"empty username", sim.User{Username: "", Role: sim.RoleTrainee}, "long enough", sim.EINVALID},
		{"username with space", sim.User{Username: "a b", Role: sim.RoleTrainee}, "long enough", sim.EINVALID},
		{"username too long", sim.User{Username: strings.Repeat("a", 65), Role: sim.RoleTrainee}, "long enough", sim.EINVALID},
		{"name with newline", sim.User{Username: "carol", Name: "a\nb", Role: sim.RoleTrainee}, "long enough", sim.EINVALID},
		{"team too long", sim.User{Username: "carol", Team: strings.Repeat("t", 65), Role: sim.RoleTrainee}, "long enough", sim.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.user
			err := e.users.CreateUser(ctx, &u, tc.password)
			wantCode(t, "CreateUser", err, tc.want)
			if tc.want != "" {
				return
			}
			if u.ID == 0 || !u.CreatedAt.Equal(t0) {
				t.Errorf("CreateUser set ID %d, CreatedAt %v; want an id and %v", u.ID, u.CreatedAt, t0)
			}
			got, err := e.users.FindUserByID(ctx, u.ID)
			if err != nil || *got != u {
				t.Errorf("FindUserByID(%d) = %+v, %v; want %+v", u.ID, got, err, u)
			}
		})
	}
}

func TestPasswordHashed(t *testing.T) {
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "")
	var hash string
	if err := e.db.db.QueryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hash, "password-alice") || bcrypt.CompareHashAndPassword([]byte(hash), []byte("password-alice")) != nil {
		t.Errorf("stored hash %q is not a bcrypt hash of the password", hash)
	}
	if cost, _ := bcrypt.Cost([]byte(hash)); cost != bcrypt.MinCost {
		t.Errorf("hash cost = %d; want BcryptCost %d", cost, bcrypt.MinCost)
	}
	if cost := NewUserService(e.db).cost(); cost != bcrypt.DefaultCost {
		t.Errorf("default cost = %d; want %d", cost, bcrypt.DefaultCost)
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	alice := e.MustUser(t, "Alice", sim.RoleTrainee, "east")
	tests := []struct {
		name               string
		username, password string
		want               string
	}{
		{"ok", "Alice", "password-Alice", ""},
		{"username in another case", "aLICE", "password-Alice", ""},
		{"wrong password", "Alice", "password-alice", sim.EUNAUTHORIZED},
		{"unknown user", "bob", "password-Alice", sim.EUNAUTHORIZED},
		{"empty", "", "", sim.EUNAUTHORIZED},
		{"huge password", "Alice", strings.Repeat("p", 1000), sim.EUNAUTHORIZED},
	}
	var messages []string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := e.users.Authenticate(ctx, tc.username, tc.password)
			wantCode(t, "Authenticate", err, tc.want)
			if tc.want == "" && u.ID != alice.ID {
				t.Errorf("Authenticate(%q) = user %d; want %d", tc.username, u.ID, alice.ID)
			}
			if err != nil {
				messages = append(messages, sim.ErrorMessage(err))
			}
		})
	}
	// Whether the username or the password was wrong is not told.
	for _, m := range messages[1:] {
		if m != messages[0] {
			t.Errorf("Authenticate messages differ: %q and %q", messages[0], m)
		}
	}
	// Unknown usernames are compared against a hash of the same cost.
	if cost, err := bcrypt.Cost(e.users.dummyHash()); err != nil || cost != e.users.cost() {
		t.Errorf("dummy hash cost = %d, %v; want %d", cost, err, e.users.cost())
	}
}

// TestAuthenticateTiming checks that an unknown user costs a bcrypt
// comparison like a wrong password does, at a cost where bcrypt dominates.
func TestAuthenticateTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	ctx := context.Background()
	e := MustOpen(t)
	e.users.BcryptCost = 6
	e.MustUser(t, "alice", sim.RoleTrainee, "")
	measure := func(username string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			e.users.Authenticate(ctx, username, "wrong password")
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := measure("alice"), measure("nobody")
	if unknown < known/3 {
		t.Errorf("Authenticate took %v for an unknown user and %v for a wrong password; want similar", unknown, known)
	}
}

func TestFindUsers(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	e.MustUser(t, "carol", sim.RoleTrainee, "west")
	e.MustUser(t, "Bob", sim.RoleCoach, "east")
	e.MustUser(t, "alice", sim.RoleTrainee, "east")
	e.MustUser(t, "root", sim.RoleAdmin, "")
	tests := []struct {
		name   string
		filter sim.UserFilter
		want   []string
	}{
		{"all by username", sim.UserFilter{}, []string{"alice", "Bob", "carol", "root"}},
		{"team", sim.UserFilter{Team: "east"}, []string{"alice", "Bob"}},
		{"role", sim.UserFilter{Role: sim.RoleTrainee}, []string{"alice", "carol"}},
		{"team and role", sim.UserFilter{Team: "east", Role: sim.RoleCoach}, []string{"Bob"}},
		{"nobody", sim.UserFilter{Team: "north"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			users, err := e.users.FindUsers(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, u := range users {
				got = append(got, u.Username)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("FindUsers(%+v) = %q; want %q", tc.filter, got, tc.want)
			}
		})
	}
	if u, err := e.users.FindUserByUsername(ctx, "BOB"); err != nil || u.Username != "Bob" {
		t.Errorf("FindUserByUsername(BOB) = %v, %v; want Bob", u, err)
	}
	_, err := e.users.FindUserByUsername(ctx, "dave")
	wantCode(t, "FindUserByUsername(dave)", err, sim.ENOTFOUND)
	_, err = e.users.FindUserByID(ctx, 999)
	wantCode(t, "FindUserByID(999)", err, sim.ENOTFOUND)
	if n, err := e.users.CountUsers(ctx); err != nil || n != 4 {
		t.Errorf("CountUsers() = %d, %v; want 4", n, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestUpdateUser(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	tests := []struct {
		name  string
		upd   sim.UserUpdate
		want  string
		check func(t *testing.T, got *sim.User)
	}{
		{"nothing", sim.UserUpdate{}, "", func(t *testing.T, got *sim.User) {
			if got.Name != "Name alice" {
				t.Errorf("Name = %q", got.Name)
			}
		}},
		{"name and team", sim.UserUpdate{Name: ptr(" Alice A. "), Team: ptr("west")}, "", func(t *testing.T, got *sim.User) {
			if got.Name != "Alice A." || got.Team != "west" || got.Role != sim.RoleTrainee {
				t.Errorf("user = %+v; want name Alice A., team west, still trainee", got)
			}
		}},
		{"role", sim.UserUpdate{Role: ptr(sim.RoleCoach)}, "", func(t *testing.T, got *sim.User) {
			if got.Role != sim.RoleCoach {
				t.Errorf("Role = %q; want coach", got.Role)
			}
		}},
		{"bad role", sim.UserUpdate{Role: ptr(sim.Role("king"))}, sim.EINVALID, nil},
		{"short password", sim.UserUpdate{Password: ptr("short")}, sim.EINVALID, nil},
		{"bad name", sim.UserUpdate{Name: ptr("a\tb")}, sim.EINVALID, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.users.UpdateUser(ctx, u.ID, tc.upd)
			wantCode(t, "UpdateUser", err, tc.want)
			if tc.check != nil {
				tc.check(t, got)
				again, _ := e.users.FindUserByID(ctx, u.ID)
				if *again != *got {
					t.Errorf("FindUserByID = %+v; want %+v", again, got)
				}
			}
		})
	}
	_, err := e.users.UpdateUser(ctx, 999, sim.UserUpdate{Name: ptr("x")})
	wantCode(t, "UpdateUser(unknown)", err, sim.ENOTFOUND)
}

func TestUpdatePasswordEndsOtherSessions(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	u := e.MustUser(t, "alice", sim.RoleTrainee, "")
	bob := e.MustUser(t, "bob", sim.RoleTrainee, "")
	mine, _ := e.users.CreateSession(ctx, u.ID, time.Hour)
	other, _ := e.users.CreateSession(ctx, u.ID, time.Hour)
	bobs, _ := e.users.CreateSession(ctx, bob.ID, time.Hour)

	if _, err := e.users.UpdateUser(ctx, u.ID, sim.UserUpdate{Password: ptr("a new password"), KeepSession: mine}); err != nil {
		t.Fatalf("UpdateUser(password) = %v", err)
	}
	if _, err := e.users.FindSession(ctx, mine); err != nil {
		t.Errorf("FindSession(kept session) = %v; want it alive", err)
	}
	_, err := e.users.FindSession(ctx, other)
	wantCode(t, "FindSession(other session)", err, sim.EUNAUTHORIZED)
	if _, err := e.users.FindSession(ctx, bobs); err != nil {
		t.Errorf("FindSession(another user's session) = %v; want it alive", err)
	}
	_, err = e.users.Authenticate(ctx, "alice", "password-alice")
	wantCode(t, "Authenticate(old password)", err, sim.EUNAUTHORIZED)
	if _, err := e.users.Authenticate(ctx, "alice", "a new password"); err != nil {
		t.Errorf("Authenticate(new password) = %v", err)
	}

	// Without KeepSession every session ends.
	if _, err := e.users.UpdateUser(ctx, u.ID, sim.UserUpdate{Password: ptr("yet another one")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.users.FindSession(ctx, mine)
	wantCode(t, "FindSession(after reset)", err, sim.EUNAUTHORIZED)

	// Other changes leave sessions alone.
	s, _ := e.users.CreateSession(ctx, u.ID, time.Hour)
	if _, err := e.users.UpdateUser(ctx, u.ID, sim.UserUpdate{Name: ptr("A")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.users.FindSession(ctx, s); err != nil {
		t.Errorf("FindSession after a name change = %v", err)
	}
}

func TestLastAdmin(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	root := e.MustUser(t, "root", sim.RoleAdmin, "")
	_, err := e.users.UpdateUser(ctx, root.ID, sim.UserUpdate{Role: ptr(sim.RoleCoach)})
	wantCode(t, "UpdateUser(demote last admin)", err, sim.ECONFLICT)
	wantCode(t, "DeleteUser(last admin)", e.users.DeleteUser(ctx, root.ID), sim.ECONFLICT)

	second := e.MustUser(t, "second", sim.RoleAdmin, "")
	if _, err := e.users.UpdateUser(ctx, root.ID, sim.UserUpdate{Role: ptr(sim.RoleCoach)}); err != nil {
		t.Errorf("UpdateUser(demote one of two admins) = %v", err)
	}
	wantCode(t, "DeleteUser(now the last admin)", e.users.DeleteUser(ctx, second.ID), sim.ECONFLICT)
	if _, err := e.users.UpdateUser(ctx, root.ID, sim.UserUpdate{Role: ptr(sim.RoleAdmin)}); err != nil {
		t.Fatal(err)
	}
	if err := e.users.DeleteUser(ctx, second.ID); err != nil {
		t.Errorf("DeleteUser(one of two admins) = %v", err)
	}
}

func TestDeleteUser(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	coach := e.MustUser(t, "coach", sim.RoleCoach, "east")
	alice := e.MustUser(t, "alice", sim.RoleTrainee, "east")
	bob := e.MustUser(t, "bob", sim.RoleTrainee, "east")
	token, _ := e.users.CreateSession(ctx, alice.ID, time.Hour)
	aliceDeal := e.MustDeal(t, alice.ID, "p1")
	e.MustPlay(t, aliceDeal.ID, card(50, 1, 3, nil, "weak_opening"))
	bobDeal := e.MustDeal(t, bob.ID, "p1")
	if err := e.deals.AddComment(ctx, &sim.Comment{DealID: bobDeal.ID, Call: 1, Turn: 1, AuthorID: coach.ID, Text: "nice"}); err != nil {
		t.Fatal(err)
	}

	if err := e.users.DeleteUser(ctx, alice.ID); err != nil {
		t.Fatalf("DeleteUser(alice) = %v", err)
	}
	_, err := e.users.FindUserByID(ctx, alice.ID)
	wantCode(t, "FindUserByID(deleted)", err, sim.ENOTFOUND)
	_, err = e.users.FindSession(ctx, token)
	wantCode(t, "FindSession(deleted user)", err, sim.EUNAUTHORIZED)
	var n int
	e.db.db.QueryRow("SELECT COUNT(*) FROM sessions WHERE user_id = ?", alice.ID).Scan(&n)
	if n != 0 {
		t.Errorf("sessions of a deleted user = %d; want 0", n)
	}
	_, err = e.deals.FindDealByID(ctx, aliceDeal.ID)
	wantCode(t, "FindDealByID(deal of deleted user)", err, sim.ENOTFOUND)
	e.db.db.QueryRow("SELECT COUNT(*) FROM events WHERE deal_id = ?", aliceDeal.ID).Scan(&n)
	if n != 0 {
		t.Errorf("events of a deleted user's deal = %d; want 0", n)
	}

	// A deleted coach's comments stay, under the name they had.
	if err := e.users.DeleteUser(ctx, coach.ID); err != nil {
		t.Fatal(err)
	}
	cs, err := e.deals.Comments(ctx, bobDeal.ID)
	if err != nil || len(cs) != 1 || cs[0].Author != "Name coach" || cs[0].AuthorID != 0 {
		t.Errorf("Comments after the author was deleted = %+v, %v; want one by %q with author id 0", cs, err, "Name coach")
	}

	wantCode(t, "DeleteUser(again)", e.users.DeleteUser(ctx, alice.ID), sim.ENOTFOUND)
	if n, _ := e.users.CountUsers(ctx); n != 1 {
		t.Errorf("CountUsers() = %d; want 1", n)
	}
}
