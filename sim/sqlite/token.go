package sqlite

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/callsim/callsim/sim"
)

// TokenPrefix begins every API token: "cs_<id>_<secret>".
const TokenPrefix = "cs_"

// MaxTokenNameLen is the longest name of an API token, in characters.
const MaxTokenNameLen = 100

// tokenTouchEvery is how stale a token's last_used_at may get: recording
// every use would make every API read a write.
const tokenTouchEvery = time.Minute

var _ sim.TokenService = (*TokenService)(nil)

// TokenService stores API tokens.
type TokenService struct {
	db *DB
}

// NewTokenService returns a TokenService backed by db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

// secretHash is what is stored of a token's secret.
func secretHash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// tokenDisplay is the prefix shown for a token: "cs_12".
func tokenDisplay(id int64) string { return TokenPrefix + strconv.FormatInt(id, 10) }

// parseToken splits "cs_<id>_<secret>".
func parseToken(token string) (id int64, secret string, ok bool) {
	rest, ok := strings.CutPrefix(token, TokenPrefix)
	if !ok {
		return 0, "", false
	}
	num, secret, ok := strings.Cut(rest, "_")
	if !ok || secret == "" || len(num) > 19 {
		return 0, "", false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != num { // one spelling per token: no +, no leading 0
		return 0, "", false
	}
	return id, secret, true
}

func validateToken(t *sim.APIToken) error {
	switch {
	case t.Name == "":
		return sim.Errorf(sim.EINVALID, "a token needs a name")
	case !t.Access.Valid():
		return sim.Errorf(sim.EINVALID, "unknown access %q (want read or read_write)", t.Access)
	case t.Team == "":
		return sim.Errorf(sim.EINVALID, "a token needs a team (or %q for every team)", sim.AllTeams)
	case t.Team != sim.AllTeams && strings.Contains(t.Team, ","):
		return sim.Errorf(sim.EINVALID, "a token reaches one team or all (%q), not %q", sim.AllTeams, t.Team)
	}
	if err := validateText("name", t.Name, MaxTokenNameLen); err != nil {
		return err
	}
	return validateText("team", t.Team, MaxTeamLen)
}

// CreateToken stores t, sets t.ID, t.Prefix and t.CreatedAt, and returns
// the secret token "cs_<id>_<43 URL-safe characters>": 32 random bytes of
// which only the SHA-256 is stored. The name and team are trimmed.
func (s *TokenService) CreateToken(ctx context.Context, t *sim.APIToken) (string, error) {
	defer s.db.observe("token.create", time.Now())
	t.Name, t.Team = strings.TrimSpace(t.Name), strings.TrimSpace(t.Team)
	if err := validateToken(t); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(randomBytes(tokenBytes))
	now := s.db.now()
	res, err := s.db.w.ExecContext(ctx, `INSERT INTO api_tokens (name, secret_hash, team, access, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Name, secretHash(secret), t.Team, string(t.Access), t.CreatedBy, formatTime(now))
	if isForeignKey(err) {
		return "", fmt.Errorf("create token: %w", sim.Errorf(sim.ENOTFOUND, "user %d not found", t.CreatedBy))
	} else if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	t.Prefix, t.CreatedAt, t.LastUsedAt = tokenDisplay(t.ID), now, nil
	return t.Prefix + "_" + secret, nil
}

const tokenColumns = "id, name, team, access, created_by, created_at, last_used_at"

func scanToken(r scanner, hash *[]byte) (*sim.APIToken, error) {
	var t sim.APIToken
	var access string
	var used sql.NullString
	dest := []any{&t.ID, &t.Name, &t.Team, &access, &t.CreatedBy, scanTime(&t.CreatedAt), &used}
	if hash != nil {
		dest = append(dest, hash)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	t.Access, t.Prefix = sim.TokenAccess(access), tokenDisplay(t.ID)
	if used.Valid {
		u, err := parseTime(used.String)
		if err != nil {
			return nil, err
		}
		t.LastUsedAt = &u
	}
	return &t, nil
}

// FindToken returns the token whose secret this is, or EUNAUTHORIZED for
// one malformed, unknown, revoked or whose user was deleted; the secret is
// compared in constant time. It records the use in LastUsedAt, at most
// once a minute.
func (s *TokenService) FindToken(ctx context.Context, token string) (*sim.APIToken, error) {
	defer s.db.observe("token.find", time.Now())
	fail := sim.Errorf(sim.EUNAUTHORIZED, "unknown or revoked API token")
	id, secret, ok := parseToken(token)
	if !ok {
		return nil, fmt.Errorf("find token: %w", fail)
	}
	var hash []byte
	t, err := scanToken(s.db.db.QueryRowContext(ctx,
		"SELECT "+tokenColumns+", secret_hash FROM api_tokens WHERE id = ?", id), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find token: %w", fail)
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	if subtle.ConstantTimeCompare(secretHash(secret), hash) != 1 {
		return nil, fmt.Errorf("find token: %w", fail)
	}
	now := s.db.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouchEvery {
		if _, err := s.db.w.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", formatTime(now), id); err != nil {
			return nil, fmt.Errorf("find token: %w", err)
		}
		t.LastUsedAt = &now
	}
	return t, nil
}

// FindTokenByID returns a token (never its secret), or ENOTFOUND.
func (s *TokenService) FindTokenByID(ctx context.Context, id int64) (*sim.APIToken, error) {
	defer s.db.observe("token.find", time.Now())
	t, err := scanToken(s.db.db.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id), nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find token: %w", sim.Errorf(sim.ENOTFOUND, "token not found"))
	} else if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	return t, nil
}

// FindTokens returns every token, newest first.
func (s *TokenService) FindTokens(ctx context.Context) ([]*sim.APIToken, error) {
	defer s.db.observe("token.find_many", time.Now())
	rows, err := s.db.db.QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rows.Close()
	ts := []*sim.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("find tokens: %w", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	return ts, nil
}

// DeleteToken revokes a token: from the moment it returns, FindToken
// refuses it. ENOTFOUND when there is no such token.
func (s *TokenService) DeleteToken(ctx context.Context, id int64) error {
	defer s.db.observe("token.delete", time.Now())
	res, err := s.db.w.ExecContext(ctx, "DELETE FROM api_tokens WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete token: %w", err)
	} else if n == 0 {
		return fmt.Errorf("delete token: %w", sim.Errorf(sim.ENOTFOUND, "token not found"))
	}
	return nil
}
