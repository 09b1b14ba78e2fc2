package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/sqlite"
)

const userUsage = `Usage:
  callsim user add --username U --role trainee|coach|admin [--team T] [--name N] [--password P|-]
  callsim user list [--team T] [--json]
  callsim user passwd --username U [--password P|-]
  callsim user delete --username U

Without --password, add and passwd make a strong random password and print
it once. --password - reads it from the first line of stdin (it then stays
out of the shell history). passwd ends every session of the user; delete
removes the user with their sessions and their deals.

Each takes --config FILE and --data DIR (the server's data directory,
default server.data_dir); the database is DIR/callsim.db. They can run while
the server runs. 'callsim user SUBCOMMAND --help' shows the flags of one.

The server creates the account "admin" and prints its password when it
starts and finds no administrator, also after accounts were added here
before its first start. A lost admin password: callsim user passwd
--username admin.
`

// dbFile is the database's name inside server.data_dir.
const dbFile = "callsim.db"

// runUser manages accounts: user add, list, passwd and delete.
func runUser(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return fmt.Errorf("user: want add, list, passwd or delete: %w", errUsage)
	}
	sub, args := args[0], args[1:]
	var err error
	switch sub {
	case "add":
		err = userAdd(ctx, args, env)
	case "list":
		err = userList(ctx, args, env)
	case "passwd":
		err = userPasswd(ctx, args, env)
	case "delete":
		err = userDelete(ctx, args, env)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, userUsage)
		return nil
	default:
		return fmt.Errorf("user: unknown subcommand %q (want add, list, passwd or delete): %w", sub, errUsage)
	}
	return withHelp(err, "callsim user "+sub+" --help")
}

// userFlags starts the flags of a user subcommand: --config and --data.
func userFlags(sub string) (*flag.FlagSet, *string) {
	fset := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	cfgPath := configFlags(fset)
	fset.String("data", "", "data directory holding callsim.db (default server.data_dir)")
	return fset, cfgPath
}

// parseUserFlags parses the flags of a user subcommand, which takes no
// argument, and loads the config.
func parseUserFlags(fset *flag.FlagSet, cfgPath *string, args []string, env Env) (Config, error) {
	if err := parseFlags(fset, args, env); err != nil {
		return Config{}, err
	}
	if fset.NArg() > 0 {
		return Config{}, fmt.Errorf("%s: unexpected argument %q: %w", fset.Name(), fset.Arg(0), errUsage)
	}
	return loadConfig(fset, *cfgPath, env)
}

// openUsers opens the database of cfg for account management.
func openUsers(ctx context.Context, cfg Config) (*sqlite.DB, *sqlite.UserService, error) {
	db, err := sqlite.Open(ctx, filepath.Join(cfg.Server.DataDir, dbFile))
	if err != nil {
		return nil, nil, err
	}
	return db, sqlite.NewUserService(db), nil
}

// storeError turns a store error into one line for the terminal: a domain
// error shows its message alone, anything else its whole chain.
func storeError(what string, err error) error {
	if sim.ErrorCode(err) == sim.EINTERNAL {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, messageError{err})
}

// messageError shows a domain error's message, without its code.
type messageError struct{ err error }

func (e messageError) Error() string { return sim.ErrorMessage(e.err) }
func (e messageError) Unwrap() error { return e.err }

// passwordFlag resolves --password: "" makes one (generated true), "-"
// reads the first line of stdin.
func passwordFlag(what, flagValue string, env Env) (password string, generated bool, err error) {
	switch flagValue {
	case "":
		return randomPassword(), true, nil
	case "-":
		if env.Stdin == nil {
			return "", false, fmt.Errorf("%s: --password -: no stdin: %w", what, errUsage)
		}
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" && err != nil {
			return "", false, fmt.Errorf("%s: --password -: no password on stdin: %w", what, errUsage)
		}
		return line, false, nil
	}
	return flagValue, false, nil
}

// passwordAlphabet leaves out look-alikes (0 O o, 1 l I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// randomPassword returns 16 characters from crypto/rand (about 92 bits).
func randomPassword() string {
	b := make([]byte, 16)
	rand.Read(b)
	// 256 is not a multiple of the alphabet's size: redraw the bytes that
	// would favour the first characters.
	limit := byte(256 - 256%len(passwordAlphabet))
	for i := range b {
		for b[i] >= limit {
			var one [1]byte
			rand.Read(one[:])
			b[i] = one[0]
		}
		b[i] = passwordAlphabet[int(b[i])%len(passwordAlphabet)]
	}
	return string(b)
}

func userAdd(ctx context.Context, args []string, env Env) error {
	fset, cfgPath := userFlags("add")
	username := fset.String("username", "", "login name (letters, digits, . _ - @; unique in any case)")
	role := fset.String("role", "", "trainee, coach or admin")
	team := fset.String("team", "", "team name")
	name := fset.String("name", "", "full name shown to coaches")
	passwordValue := fset.String("password", "", "password of at least 8 characters (default: generate one; - reads stdin)")
	cfg, err := parseUserFlags(fset, cfgPath, args, env)
	if err != nil {
		return err
	}
	if *username == "" {
		return fmt.Errorf("user add: --username is required: %w", errUsage)
	}
	if !sim.Role(*role).Valid() {
		return fmt.Errorf("user add: --role must be trainee, coach or admin, not %q: %w", *role, errUsage)
	}
	password, generated, err := passwordFlag("user add", *passwordValue, env)
	if err != nil {
		return err
	}
	db, users, err := openUsers(ctx, cfg)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	defer db.Close()
	u := &sim.User{Username: *username, Name: *name, Role: sim.Role(*role), Team: *team}
	if err := users.CreateUser(ctx, u, password); err != nil {
		return storeError("user add", err)
	}
	fmt.Fprintf(env.Stdout, "created %s %q", u.Role, u.Username)
	if u.Team != "" {
		fmt.Fprintf(env.Stdout, " in team %q", u.Team)
	}
	fmt.Fprintln(env.Stdout)
	if generated {
		printPassword(env, password)
	}
	if u.Role != sim.RoleAdmin {
		if admins, err := users.FindUsers(ctx, sim.UserFilter{Role: sim.RoleAdmin}); err == nil && len(admins) == 0 {
			fmt.Fprintf(env.Stdout, "There is no administrator yet: the server creates %q and prints its password when it starts next,\nor add one now with: callsim user add --username NAME --role admin\n", adminUsername)
		}
	}
	return nil
}

// printPassword shows a generated password, the only time it is shown.
func printPassword(env Env, password string) {
	fmt.Fprintf(env.Stdout, "password: %s\n(shown only now: pass it on safely; 'callsim user passwd' sets a new one)\n", password)
}

func userList(ctx context.Context, args []string, env Env) error {
	fset, cfgPath := userFlags("list")
	team := fset.String("team", "", "only this team")
	asJSON := fset.Bool("json", false, "print a JSON array")
	cfg, err := parseUserFlags(fset, cfgPath, args, env)
	if err != nil {
		return err
	}
	db, users, err := openUsers(ctx, cfg)
	if err != nil {
		return fmt.Errorf("user list: %w", err)
	}
	defer db.Close()
	list, err := users.FindUsers(ctx, sim.UserFilter{Team: *team})
	if err != nil {
		return storeError("user list", err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	rows := [][]string{{"USERNAME", "ROLE", "TEAM", "NAME", "CREATED"}}
	for _, u := range list {
		rows = append(rows, []string{u.Username, string(u.Role), dash(u.Team), dash(u.Name), u.CreatedAt.Local().Format("2006-01-02")})
	}
	return writeTable(env.Stdout, rows)
}

// writeTable writes rows in columns two spaces apart, measuring Chinese
// characters as two columns wide (text/tabwriter counts them as one).
func writeTable(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	bw := bufio.NewWriter(w)
	for _, row := range rows {
		for i, cell := range row {
			bw.WriteString(cell)
			if i < len(row)-1 {
				bw.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// displayWidth is how many terminal columns s takes: two for East Asian
// wide and full-width characters, one for the others.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 ||
			r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 ||
			r >= 0xffe0 && r <= 0xffe6 || r >= 0x20000 && r <= 0x3fffd) {
			n++
		}
	}
	return n
}

// dash shows an empty field as "-" so that columns stay apart.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// findByUsername finds the user named by --username.
func findByUsername(ctx context.Context, users *sqlite.UserService, what, username string) (*sim.User, error) {
	u, err := users.FindUserByUsername(ctx, username)
	if sim.ErrorCode(err) == sim.ENOTFOUND {
		return nil, fmt.Errorf("%s: no user %q", what, username)
	} else if err != nil {
		return nil, storeError(what, err)
	}
	return u, nil
}

func userPasswd(ctx context.Context, args []string, env Env) error {
	fset, cfgPath := userFlags("passwd")
	username := fset.String("username", "", "login name")
	passwordValue := fset.String("password", "", "new password of at least 8 characters (default: generate one; - reads stdin)")
	cfg, err := parseUserFlags(fset, cfgPath, args, env)
	if err != nil {
		return err
	}
	if *username == "" {
		return fmt.Errorf("user passwd: --username is required: %w", errUsage)
	}
	password, generated, err := passwordFlag("user passwd", *passwordValue, env)
	if err != nil {
		return err
	}
	db, users, err := openUsers(ctx, cfg)
	if err != nil {
		return fmt.Errorf("user passwd: %w", err)
	}
	defer db.Close()
	u, err := findByUsername(ctx, users, "user passwd", *username)
	if err != nil {
		return err
	}
	if _, err := users.UpdateUser(ctx, u.ID, sim.UserUpdate{Password: &password}); err != nil {
		return storeError("user passwd", err)
	}
	fmt.Fprintf(env.Stdout, "changed the password of %q and ended their sessions\n", u.Username)
	if generated {
		printPassword(env, password)
	}
	return nil
}

func userDelete(ctx context.Context, args []string, env Env) error {
	fset, cfgPath := userFlags("delete")
	username := fset.String("username", "", "login name")
	cfg, err := parseUserFlags(fset, cfgPath, args, env)
	if err != nil {
		return err
	}
	if *username == "" {
		return fmt.Errorf("user delete: --username is required: %w", errUsage)
	}
	db, users, err := openUsers(ctx, cfg)
	if err != nil {
		return fmt.Errorf("user delete: %w", err)
	}
	defer db.Close()
	u, err := findByUsername(ctx, users, "user delete", *username)
	if err != nil {
		return err
	}
	if err := users.DeleteUser(ctx, u.ID); err != nil {
		return storeError("user delete", err)
	}
	fmt.Fprintf(env.Stdout, "deleted %s %q with their sessions and deals\n", u.Role, u.Username)
	return nil
}
