package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/sqlite"
)

// runUserCmd runs callsim in-process and returns stdout and the error.
func runUserCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	err := Run(context.Background(), args, env)
	return out.String(), err
}

// mustUserCmd runs a command that must succeed.
func mustUserCmd(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, err := runUserCmd(t, stdin, args...)
	if err != nil {
		t.Fatalf("callsim %s = %v", strings.Join(args, " "), err)
	}
	return out
}

var passwordLine = regexp.MustCompile(`(?m)^password: (\S+)$`)

// printedPassword returns the password a command printed.
func printedPassword(t *testing.T, out string) string {
	t.Helper()
	m := passwordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no password printed in %q", out)
	}
	return m[1]
}

// mustLogin checks a username and password against the database in dir.
func mustLogin(t *testing.T, dir, username, password string) error {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "callsim.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = sqlite.NewUserService(db).Authenticate(ctx, username, password)
	return err
}

func TestUserCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")

	// add with a generated password, printed once.
	out := mustUserCmd(t, "", "user", "add", "--data", dir, "--username", "alice", "--role", "trainee", "--team", "east", "--name", "Alice Wang")
	if !strings.Contains(out, `created trainee "alice" in team "east"`) {
		t.Errorf("user add printed %q", out)
	}
	alicePW := printedPassword(t, out)
	if len(alicePW) < 16 {
		t.Errorf("generated password %q is shorter than 16", alicePW)
	}
	if err := mustLogin(t, dir, "alice", alicePW); err != nil {
		t.Errorf("login with the printed password = %v", err)
	}

	// add with a given password: not printed.
	out = mustUserCmd(t, "", "user", "add", "--data", dir, "--username", "coach", "--role", "coach", "--team", "east", "--password", "coach-secret")
	if strings.Contains(out, "coach-secret") || strings.Contains(out, "password:") {
		t.Errorf("user add printed a password it was given: %q", out)
	}
	if err := mustLogin(t, dir, "coach", "coach-secret"); err != nil {
		t.Errorf("login with --password = %v", err)
	}

	// add with the password on stdin.
	mustUserCmd(t, "from-stdin-pw\nignored\n", "user", "add", "--data", dir, "--username", "bob", "--role", "trainee", "--team", "west", "--password", "-")
	if err := mustLogin(t, dir, "bob", "from-stdin-pw"); err != nil {
		t.Errorf("login with --password - = %v", err)
	}

	// list, as a table and as JSON, with a team filter.
	out = mustUserCmd(t, "", "user", "list", "--data", dir)
	for _, want := range []string{"USERNAME", "alice", "Alice Wang", "coach", "bob", "west"} {
		if !strings.Contains(out, want) {
			t.Errorf("user list lacks %q:\n%s", want, out)
		}
	}
	out = mustUserCmd(t, "", "user", "list", "--data", dir, "--team", "east", "--json")
	var users []sim.User
	if err := json.Unmarshal([]byte(out), &users); err != nil {
		t.Fatalf("user list --json is not a JSON array of users: %v\n%s", err, out)
	}
	if len(users) != 2 || users[0].Username != "alice" || users[1].Username != "coach" || users[0].Role != sim.RoleTrainee {
		t.Errorf("user list --team east --json = %+v; want alice and coach", users)
	}

	// passwd, generated then given.
	out = mustUserCmd(t, "", "user", "passwd", "--data", dir, "--username", "ALICE")
	newPW := printedPassword(t, out)
	if newPW == alicePW {
		t.Errorf("passwd generated the same password")
	}
	if err := mustLogin(t, dir, "alice", alicePW); sim.ErrorCode(err) != sim.EUNAUTHORIZED {
		t.Errorf("login with the old password = %v; want unauthorized", err)
	}
	if err := mustLogin(t, dir, "alice", newPW); err != nil {
		t.Errorf("login with the new password = %v", err)
	}
	mustUserCmd(t, "", "user", "passwd", "--data", dir, "--username", "alice", "--password", "chosen-by-admin")
	if err := mustLogin(t, dir, "alice", "chosen-by-admin"); err != nil {
		t.Errorf("login after passwd --password = %v", err)
	}

	// delete.
	out = mustUserCmd(t, "", "user", "delete", "--data", dir, "--username", "bob")
	if !strings.Contains(out, `deleted trainee "bob"`) {
		t.Errorf("user delete printed %q", out)
	}
	out = mustUserCmd(t, "", "user", "list", "--data", dir)
	if strings.Contains(out, "bob") {
		t.Errorf("user list after delete still shows bob:\n%s", out)
	}
}

func TestUserErrors(t *testing.T) {
	dir := t.TempDir()
	mustUserCmd(t, "", "user", "add", "--data", dir, "--username", "x1", "--role", "trainee", "--password", "long-enough")
	tests := []struct {
		name  string
		args  []string
		want  string // the error as main prints it, after "callsim: "
		usage bool   // exit code 2
	}{
		{"no subcommand", []string{"user"}, "user: want add, list, passwd or delete (see 'callsim user --help')", true},
		{"unknown subcommand", []string{"user", "rename"}, `user: unknown subcommand "rename"`, true},
		{"duplicate", []string{"user", "add", "--data", dir, "--username", "X1", "--role", "coach"}, `user add: username "X1" already exists`, false},
		{"no username", []string{"user", "add", "--data", dir, "--role", "coach"}, "user add: --username is required", true},
		{"bad role", []string{"user", "add", "--data", dir, "--username", "y", "--role", "boss"}, `user add: --role must be trainee, coach or admin, not "boss"`, true},
		{"no role", []string{"user", "add", "--data", dir, "--username", "y"}, `user add: --role must be trainee, coach or admin, not ""`, true},
		{"short password", []string{"user", "add", "--data", dir, "--username", "yy", "--role", "coach", "--password", "short"}, "user add: password must be at least 8 characters long", false},
		{"bad username", []string{"user", "add", "--data", dir, "--username", "a b", "--role", "coach"}, `user add: username "a b" may only hold letters, digits and . _ - @`, false},
		{"unknown flag", []string{"user", "add", "--data", dir, "--nope"}, "user add: flag provided but not defined: -nope (see 'callsim user add --help')", true},
		{"extra argument", []string{"user", "list", "--data", dir, "extra"}, `user list: unexpected argument "extra"`, true},
		{"empty stdin password", []string{"user", "add", "--data", dir, "--username", "zz", "--role", "coach", "--password", "-"}, "user add: --password -: no password on stdin", true},
		{"passwd unknown user", []string{"user", "passwd", "--data", dir, "--username", "zed"}, `user passwd: no user "zed"`, false},
		{"passwd no username", []string{"user", "passwd", "--data", dir}, "user passwd: --username is required", true},
		{"delete unknown user", []string{"user", "delete", "--data", dir, "--username", "zed"}, `user delete: no user "zed"`, false},
		{"delete no username", []string{"user", "delete", "--data", dir}, "user delete: --username is required", true},
		{"missing config", []string{"user", "list", "--config", filepath.Join(dir, "nope.yaml")}, "config: " + filepath.Join(dir, "nope.yaml") + ": no such file or directory", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runUserCmd(t, "", tc.args...)
			if err == nil {
				t.Fatalf("callsim %s = nil; want an error", strings.Join(tc.args, " "))
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("callsim %s = %q; want it to start with %q", strings.Join(tc.args, " "), err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines; want one line", err)
			}
			if got := errors.Is(err, errUsage); got != tc.usage {
				t.Errorf("callsim %s: usage error %v; want %v", strings.Join(tc.args, " "), got, tc.usage)
			}
		})
	}
}

func TestUserLastAdmin(t *testing.T) {
	dir := t.TempDir()
	mustUserCmd(t, "", "user", "add", "--data", dir, "--username", "root", "--role", "admin", "--password", "long-enough")
	_, err := runUserCmd(t, "", "user", "delete", "--data", dir, "--username", "root")
	if err == nil || err.Error() != "user delete: cannot delete the last admin" {
		t.Errorf("deleting the last admin = %v; want %q", err, "user delete: cannot delete the last admin")
	}
}

// TestUserConfigDataDir takes the data directory from the config file.
func TestUserConfigDataDir(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "from-config")
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("server:\n  data_dir: "+data+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustUserCmd(t, "", "user", "add", "--config", cfg, "--username", "alice", "--role", "trainee", "--password", "long-enough")
	if _, err := os.Stat(filepath.Join(data, "callsim.db")); err != nil {
		t.Errorf("database not in server.data_dir: %v", err)
	}
	// --data wins over the file.
	other := filepath.Join(dir, "flag")
	out := mustUserCmd(t, "", "user", "list", "--config", cfg, "--data", other)
	if strings.Contains(out, "alice") {
		t.Errorf("user list --data %s read the config's data dir:\n%s", other, out)
	}
}

func TestUserBootstrapAdmin(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		before      []sim.User // accounts there before the start
		wantCreated bool
		wantOthers  int
		wantTaken   string // the account that holds the name "admin"
	}{
		{"empty database", nil, true, 0, ""},
		{"users added before the first start", []sim.User{{Username: "coach", Role: sim.RoleCoach}, {Username: "anna", Role: sim.RoleTrainee}}, true, 2, ""},
		{"an admin exists", []sim.User{{Username: "root", Role: sim.RoleAdmin}, {Username: "anna", Role: sim.RoleTrainee}}, false, 0, ""},
		{"the name admin is a trainee's", []sim.User{{Username: "Admin", Role: sim.RoleTrainee}}, false, 0, "Admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "callsim.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			users := sqlite.NewUserService(db)
			users.BcryptCost = 4
			for _, u := range tt.before {
				if err := users.CreateUser(ctx, &u, "long-enough"); err != nil {
					t.Fatal(err)
				}
			}
			got, err := bootstrapAdmin(ctx, users)
			if err != nil {
				t.Fatalf("bootstrapAdmin() = %v", err)
			}
			if created := got.Password != ""; created != tt.wantCreated || got.Others != tt.wantOthers {
				t.Errorf("bootstrapAdmin() = created %v, others %d; want %v, %d", created, got.Others, tt.wantCreated, tt.wantOthers)
			}
			taken := ""
			if got.Taken != nil {
				taken = got.Taken.Username
			}
			if taken != tt.wantTaken {
				t.Errorf("bootstrapAdmin().Taken = %q; want %q", taken, tt.wantTaken)
			}
			if tt.wantCreated {
				if len(got.Password) < 16 {
					t.Errorf("password %q; want 16+ characters", got.Password)
				}
				u, err := users.Authenticate(ctx, "admin", got.Password)
				if err != nil || u.Role != sim.RoleAdmin || u.Team != "" {
					t.Errorf("Authenticate(admin) = %+v, %v; want an admin without a team", u, err)
				}
			}
			// A second start finds the admin, or still the same situation.
			again, err := bootstrapAdmin(ctx, users)
			if err != nil || again.Password != "" {
				t.Errorf("bootstrapAdmin(again) = %+v, %v; want nothing created", again, err)
			}
		})
	}
}

func TestUserRandomPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p := randomPassword()
		if len(p) != 16 || strings.Trim(p, passwordAlphabet) != "" || seen[p] {
			t.Fatalf("randomPassword() = %q; want 16 new characters from the alphabet", p)
		}
		seen[p] = true
	}
}

func TestUserListTable(t *testing.T) {
	var out bytes.Buffer
	rows := [][]string{{"USERNAME", "TEAM", "NAME"}, {"王小明", "东区", "-"}, {"bob", "east", "Bob"}}
	if err := writeTable(&out, rows); err != nil {
		t.Fatal(err)
	}
	want := "USERNAME  TEAM  NAME\n王小明    东区  -\nbob       east  Bob\n"
	if out.String() != want {
		t.Errorf("writeTable() =\n%s\nwant\n%s", out.String(), want)
	}
}
