package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/callsim/callsim/sim"
)

// Limits on what a user may be called.
const (
	MinPasswordLen = 8   // characters
	MaxPasswordLen = 72  // bytes: bcrypt ignores the rest
	MaxUsernameLen = 64  // characters
	MaxNameLen     = 100 // characters
	MaxTeamLen     = 64  // characters
)

var _ sim.UserService = (*UserService)(nil)

// UserService stores users and their login sessions.
type UserService struct {
	db *DB

	// BcryptCost is the cost of new password hashes; zero means
	// bcrypt.DefaultCost. Tests lower it to bcrypt.MinCost.
	BcryptCost int

	// dummy is a hash compared against when a username is unknown, so that
	// Authenticate takes about as long as for a wrong password.
	dummyOnce sync.Once
	dummy     []byte
}

// NewUserService returns a UserService backed by db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

func (s *UserService) cost() int {
	if s.BcryptCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.BcryptCost
}

// hash returns a bcrypt hash of a password already validated.
func (s *UserService) hash(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.cost())
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

func (s *UserService) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword(randomBytes(16), s.cost())
	})
	return s.dummy
}

// usernameKey is what makes two usernames the same.
func usernameKey(username string) string { return strings.ToLower(username) }

// validateUsername accepts 2 to 64 letters, digits and . _ - @.
func validateUsername(username string) error {
	n := utf8.RuneCountInString(username)
	if n < 2 || n > MaxUsernameLen {
		return sim.Errorf(sim.EINVALID, "username must be 2 to %d characters long", MaxUsernameLen)
	}
	for _, r := range username {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			return sim.Errorf(sim.EINVALID, "username %q may only hold letters, digits and . _ - @", username)
		}
	}
	return nil
}

func validatePassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return sim.Errorf(sim.EINVALID, "password must be at least %d characters long", MinPasswordLen)
	}
	if len(password) > MaxPasswordLen {
		return sim.Errorf(sim.EINVALID, "password must be at most %d bytes long", MaxPasswordLen)
	}
	return nil
}

func validateRole(r sim.Role) error {
	if !r.Valid() {
		return sim.Errorf(sim.EINVALID, "unknown role %q (want trainee, coach or admin)", r)
	}
	return nil
}

// validateText checks a short one-line field such as a name or a team.
func validateText(field, s string, max int) error {
	if utf8.RuneCountInString(s) > max {
		return sim.Errorf(sim.EINVALID, "%s must be at most %d characters long", field, max)
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return sim.Errorf(sim.EINVALID, "%s must be one line of text", field)
	}
	return nil
}

// CreateUser stores u with a bcrypt hash of password and sets u.ID and
// u.CreatedAt. Names and teams are trimmed of spaces.
func (s *UserService) CreateUser(ctx context.Context, u *sim.User, password string) error {
	defer s.db.observe("user.create", time.Now())
	u.Name, u.Team = strings.TrimSpace(u.Name), strings.TrimSpace(u.Team)
	if err := validateUsername(u.Username); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := validateRole(u.Role); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := validateText("name", u.Name, MaxNameLen); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := validateText("team", u.Team, MaxTeamLen); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if err := validatePassword(password); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	hash, err := s.hash(password)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	now := s.db.now()
	res, err := s.db.w.ExecContext(ctx, `INSERT INTO users
		(username, username_key, name, role, team, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, usernameKey(u.Username), u.Name, string(u.Role), u.Team, hash, formatTime(now), formatTime(now))
	if isUnique(err) {
		return fmt.Errorf("create user: %w", sim.Errorf(sim.ECONFLICT, "username %q already exists", u.Username))
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.CreatedAt = now
	return nil
}

// Authenticate returns the user whose username (in any case) and password
// match, or an EUNAUTHORIZED error that does not say which one was wrong.
// An unknown username costs a bcrypt comparison too.
func (s *UserService) Authenticate(ctx context.Context, username, password string) (*sim.User, error) {
	defer s.db.observe("user.authenticate", time.Now())
	fail := sim.Errorf(sim.EUNAUTHORIZED, "wrong username or password")
	var hash string
	u, err := s.findUser(ctx, "u.username_key = ?", []any{usernameKey(username)}, &hash)
	if err != nil && sim.ErrorCode(err) != sim.ENOTFOUND {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if err != nil || len(password) > MaxPasswordLen {
		bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
		return nil, fmt.Errorf("authenticate: %w", fail)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return nil, fmt.Errorf("authenticate: %w", fail)
	}
	return u, nil
}

// FindUserByID returns a user, or ENOTFOUND.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*sim.User, error) {
	defer s.db.observe("user.find", time.Now())
	u, err := s.findUser(ctx, "u.id = ?", []any{id}, nil)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUserByUsername returns a user by username in any case, or ENOTFOUND.
// (Not part of sim.UserService: the command line needs it.)
func (s *UserService) FindUserByUsername(ctx context.Context, username string) (*sim.User, error) {
	defer s.db.observe("user.find", time.Now())
	u, err := s.findUser(ctx, "u.username_key = ?", []any{usernameKey(username)}, nil)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUsers returns the users of a team and/or a role, by username.
func (s *UserService) FindUsers(ctx context.Context, f sim.UserFilter) ([]*sim.User, error) {
	defer s.db.observe("user.find_many", time.Now())
	where, args := []string{"1 = 1"}, []any{}
	if f.Team != "" {
		where, args = append(where, "u.team = ?"), append(args, f.Team)
	}
	if f.Role != "" {
		where, args = append(where, "u.role = ?"), append(args, string(f.Role))
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT u.id, u.username, u.name, u.role, u.team, u.created_at
		FROM users u WHERE `+strings.Join(where, " AND ")+` ORDER BY u.username_key`, args...)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	defer rows.Close()
	users := []*sim.User{}
	for rows.Next() {
		u, err := scanUser(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("find users: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// findUser returns the one user matching where; with hash non-nil it also
// reads the password hash.
func (s *UserService) findUser(ctx context.Context, where string, args []any, hash *string) (*sim.User, error) {
	return findUser(ctx, s.db.db, where, args, hash)
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findUser(ctx context.Context, q querier, where string, args []any, hash *string) (*sim.User, error) {
	cols := "u.id, u.username, u.name, u.role, u.team, u.created_at"
	if hash != nil {
		cols += ", u.password_hash"
	}
	row := q.QueryRowContext(ctx, "SELECT "+cols+" FROM users u WHERE "+where, args...)
	u, err := scanUser(row, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sim.Errorf(sim.ENOTFOUND, "user not found")
	}
	return u, err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanUser scans id, username, name, role, team, created_at and, with
// hash non-nil, password_hash.
func scanUser(r scanner, hash *string) (*sim.User, error) {
	var u sim.User
	var role string
	dest := []any{&u.ID, &u.Username, &u.Name, &role, &u.Team, scanTime(&u.CreatedAt)}
	if hash != nil {
		dest = append(dest, hash)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	u.Role = sim.Role(role)
	return &u, nil
}

// UpdateUser changes the fields of upd that are not nil. A new password
// ends every session of the user but upd.KeepSession. The last admin
// cannot lose the role (ECONFLICT).
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd sim.UserUpdate) (*sim.User, error) {
	defer s.db.observe("user.update", time.Now())
	var sets []string
	var args []any
	if upd.Name != nil {
		name := strings.TrimSpace(*upd.Name)
		if err := validateText("name", name, MaxNameLen); err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
		sets, args = append(sets, "name = ?"), append(args, name)
	}
	if upd.Team != nil {
		team := strings.TrimSpace(*upd.Team)
		if err := validateText("team", team, MaxTeamLen); err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
		sets, args = append(sets, "team = ?"), append(args, team)
	}
	if upd.Role != nil {
		if err := validateRole(*upd.Role); err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
		sets, args = append(sets, "role = ?"), append(args, string(*upd.Role))
	}
	if upd.Password != nil {
		if err := validatePassword(*upd.Password); err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
		hash, err := s.hash(*upd.Password)
		if err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
		sets, args = append(sets, "password_hash = ?"), append(args, hash)
	}

	tx, err := s.db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, "u.id = ?", []any{id}, nil)
	if err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if len(sets) == 0 {
		return u, nil
	}
	if upd.Role != nil && u.Role == sim.RoleAdmin && *upd.Role != sim.RoleAdmin {
		if err := lastAdminCheck(ctx, tx, "take the admin role from"); err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
	}
	sets, args = append(sets, "updated_at = ?"), append(args, formatTime(s.db.now()), id)
	if _, err := tx.ExecContext(ctx, "UPDATE users SET "+strings.Join(sets, ", ")+" WHERE id = ?", args...); err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if upd.Password != nil {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?",
			id, tokenHash(upd.KeepSession)); err != nil {
			return nil, fmt.Errorf("update user: %w", err)
		}
	}
	if u, err = findUser(ctx, tx, "u.id = ?", []any{id}, nil); err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("update user: %w", err)
	}
	return u, nil
}

// lastAdminCheck fails with ECONFLICT when only one admin is left, so that
// nobody locks every admin out.
func lastAdminCheck(ctx context.Context, tx *sql.Tx, what string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'admin'").Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return sim.Errorf(sim.ECONFLICT, "cannot %s the last admin", what)
	}
	return nil
}

// DeleteUser deletes a user with their sessions and their deals (events,
// scorecards, and the comments and overrides on them). Comments and
// overrides the user wrote stay, under the name they had. The last admin
// cannot be deleted (ECONFLICT).
func (s *UserService) DeleteUser(ctx context.Context, id int64) error {
	defer s.db.observe("user.delete", time.Now())
	tx, err := s.db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	defer tx.Rollback()
	u, err := findUser(ctx, tx, "u.id = ?", []any{id}, nil)
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	if u.Role == sim.RoleAdmin {
		if err := lastAdminCheck(ctx, tx, "delete"); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}

// CountUsers counts all users (zero on a fresh database).
func (s *UserService) CountUsers(ctx context.Context) (int, error) {
	defer s.db.observe("user.count", time.Now())
	var n int
	if err := s.db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// displayName is how an author is shown: the name, else the username.
func displayName(u *sim.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Username
}
