package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/callsim/callsim/sim"
)

// tokenBytes is the size of a session token's secret.
const tokenBytes = 32

// tokenHash is what is stored of a session token: a leaked database does
// not give away live sessions.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateSession starts a login session for a user, valid for ttl, and
// returns its secret token (43 URL-safe characters). It also clears
// sessions that have expired.
func (s *UserService) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	defer s.db.observe("session.create", time.Now())
	if ttl <= 0 {
		return "", fmt.Errorf("create session: %w", sim.Errorf(sim.EINVALID, "session lifetime must be positive"))
	}
	token := base64.RawURLEncoding.EncodeToString(randomBytes(tokenBytes))
	now := s.db.now()
	tx, err := s.db.w.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", formatTime(now)); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		tokenHash(token), userID, formatTime(now), formatTime(now.Add(ttl)))
	if isForeignKey(err) {
		return "", fmt.Errorf("create session: %w", sim.Errorf(sim.ENOTFOUND, "user not found"))
	} else if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// FindSession returns the user of a live session, or EUNAUTHORIZED for a
// token that is unknown, expired, ended, or whose user was deleted.
func (s *UserService) FindSession(ctx context.Context, token string) (*sim.User, error) {
	defer s.db.observe("session.find", time.Now())
	u, err := findUser(ctx, s.db.db,
		"u.id = (SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?)",
		[]any{tokenHash(token), formatTime(s.db.now())}, nil)
	if sim.ErrorCode(err) == sim.ENOTFOUND {
		return nil, fmt.Errorf("find session: %w", sim.Errorf(sim.EUNAUTHORIZED, "not logged in or session expired"))
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return u, nil
}

// DeleteSession ends a session (logout). Ending an unknown session is not
// an error.
func (s *UserService) DeleteSession(ctx context.Context, token string) error {
	defer s.db.observe("session.delete", time.Now())
	if _, err := s.db.w.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}
