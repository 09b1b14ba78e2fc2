package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/callsim/callsim/sim"
)

// The first start on a fresh machine: the server must be able to listen
// before it touches the disk, and an administrator's password is made only
// when the server can show it, that is once it listens.

// holdPorts binds the addresses the server is about to listen on, so that
// a busy port fails the start before a database exists. Each pair is a
// config key and its address; empty addresses and port 0 (any free port)
// cannot be busy and are skipped. release hands the ports back, to be
// bound for good by httpapi.Server.Open right after; it may be called more
// than once.
func holdPorts(keyAddrs ...string) (release func(), err error) {
	var held []net.Listener
	release = func() {
		for _, ln := range held {
			ln.Close()
		}
		held = nil
	}
	for i := 0; i+1 < len(keyAddrs); i += 2 {
		key, addr := keyAddrs[i], keyAddrs[i+1]
		if _, port, err := net.SplitHostPort(addr); addr == "" || err == nil && port == "0" {
			continue
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			release()
			return func() {}, listenError(key, addr, err)
		}
		held = append(held, ln)
	}
	return release, nil
}

// listenError says on one line why addr cannot be listened on and, for a
// busy port, what to do; it wraps the system error (EADDRINUSE).
func listenError(key, addr string, err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err // "bind: address already in use", without repeating the address
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		how := envName(key)
		for f, k := range flagKeys {
			if k == key {
				how = "--" + f + " or " + how
			}
		}
		return fmt.Errorf("cannot listen on %s: %w: is callsim already running? Stop it, or choose another %s (%s)", addr, err, key, how)
	}
	return fmt.Errorf("cannot listen on %s (%s): %w", addr, key, err)
}

// adminUsername is the account the server creates when there is no
// administrator.
const adminUsername = "admin"

// firstAdmin is what the server did at start about an administrator.
type firstAdmin struct {
	// Password is the password of the administrator account just created,
	// to be shown once; empty when none was created.
	Password string
	// Others counts the accounts, none of them an administrator, that
	// were there before (added with `callsim user add` before the first
	// start).
	Others int
	// Taken is the account that holds the username "admin" without being
	// an administrator, when there is no administrator: nothing was made.
	Taken *sim.User
}

// bootstrapAdmin makes sure the database has an administrator: when no
// account has the role admin — a fresh database, or one where trainees and
// coaches were added before the first start — it creates "admin" with a
// random password. Call it only once the server listens, so that the
// password can be shown.
func bootstrapAdmin(ctx context.Context, users sim.UserService) (firstAdmin, error) {
	admins, err := users.FindUsers(ctx, sim.UserFilter{Role: sim.RoleAdmin})
	if err != nil {
		return firstAdmin{}, fmt.Errorf("bootstrap admin: %w", err)
	}
	if len(admins) > 0 {
		return firstAdmin{}, nil
	}
	all, err := users.FindUsers(ctx, sim.UserFilter{})
	if err != nil {
		return firstAdmin{}, fmt.Errorf("bootstrap admin: %w", err)
	}
	password := randomPassword()
	u := &sim.User{Username: adminUsername, Name: "Administrator", Role: sim.RoleAdmin}
	err = users.CreateUser(ctx, u, password)
	if err == nil {
		return firstAdmin{Password: password, Others: len(all)}, nil
	}
	if sim.ErrorCode(err) != sim.ECONFLICT {
		return firstAdmin{}, fmt.Errorf("bootstrap admin: %w", err)
	}
	// The name is taken: by another server that started at the same
	// moment (then there is an admin now), or by someone else.
	if admins, err := users.FindUsers(ctx, sim.UserFilter{Role: sim.RoleAdmin}); err != nil || len(admins) > 0 {
		return firstAdmin{}, err
	}
	all, err = users.FindUsers(ctx, sim.UserFilter{})
	if err != nil {
		return firstAdmin{}, fmt.Errorf("bootstrap admin: %w", err)
	}
	for _, o := range all {
		if strings.EqualFold(o.Username, adminUsername) {
			return firstAdmin{Taken: o}, nil
		}
	}
	return firstAdmin{}, nil
}

// text is what the server prints about the administrator on start ("" when
// there is nothing to say); dataDir and personasDir are the server's.
func (a firstAdmin) text(dataDir, personasDir string) string {
	howToAdd := `Add coaches and trainees from the admin page, or with:
  callsim user add --username NAME --role trainee|coach|admin --team TEAM
`
	if personasDir == "" {
		howToAdd += `Uploading personas on the admin page needs a directory to keep them in:
start with --personas DIR, or set personas.dir in config.yaml
(CALLSIM_PERSONAS_DIR); without one, uploads answer 409.
`
	}
	switch {
	case a.Password != "" && a.Others == 0:
		return fmt.Sprintf(`
First start: created the administrator account.
  username: %s
  password: %s
This password is shown only once: log in and change it.

%s`, adminUsername, a.Password, howToAdd)
	case a.Password != "":
		return fmt.Sprintf(`
No administrator yet (the database holds %d other account(s), none of them
an admin): created the administrator account.
  username: %s
  password: %s
This password is shown only once: log in and change it.

%s`, a.Others, adminUsername, a.Password, howToAdd)
	case a.Taken != nil:
		return fmt.Sprintf(`
No administrator account: none of the accounts is an admin, and the
username %q belongs to a %s, so none was created. Make one with
  callsim user add --data %s --username NAME --role admin
and log in with it; the server need not restart.
`, a.Taken.Username, a.Taken.Role, dataDir)
	}
	return ""
}
