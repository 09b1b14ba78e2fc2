package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// Limits on what a coach writes.
const (
	MaxCommentLen = 4000 // characters
	MaxReasonLen  = 1000 // characters
)

// authorName is the SQL for an author's display name: the current name or
// username, else the name stored when they wrote (the author was deleted).
const authorName = "COALESCE(NULLIF(u.name, ''), u.username, x.author_name)"

// AddComment stores a coach's remark on a turn of a deal and sets c.ID,
// c.Author and c.CreatedAt. The deal and the author must exist (ENOTFOUND).
func (s *DealService) AddComment(ctx context.Context, c *sim.Comment) error {
	defer s.db.observe("deal.add_comment", time.Now())
	c.Text = strings.TrimSpace(c.Text)
	switch {
	case c.Text == "":
		return fmt.Errorf("add comment: %w", sim.Errorf(sim.EINVALID, "comment is empty"))
	case utf8.RuneCountInString(c.Text) > MaxCommentLen:
		return fmt.Errorf("add comment: %w", sim.Errorf(sim.EINVALID, "comment must be at most %d characters long", MaxCommentLen))
	case c.Call < 1 || c.Turn < 0:
		return fmt.Errorf("add comment: %w", sim.Errorf(sim.EINVALID, "comment must point at a call (from 1) and a turn (from 0)"))
	}
	tx, err := s.db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	defer tx.Rollback()
	author, err := reviewAuthor(ctx, tx, c.DealID, c.AuthorID)
	if err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	now := s.db.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO comments (deal_id, call, turn, author_id, author_name, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.DealID, c.Call, c.Turn, c.AuthorID, author, c.Text, formatTime(now))
	if err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	c.ID, c.Author, c.CreatedAt = id, author, now
	return nil
}

// reviewAuthor checks that the deal and the author exist and returns the
// author's display name.
func reviewAuthor(ctx context.Context, tx *sql.Tx, dealID string, authorID int64) (string, error) {
	if err := dealExists(ctx, tx, dealID); err != nil {
		return "", err
	}
	u, err := findUser(ctx, tx, "u.id = ?", []any{authorID}, nil)
	if sim.ErrorCode(err) == sim.ENOTFOUND {
		return "", sim.Errorf(sim.ENOTFOUND, "author %d not found", authorID)
	} else if err != nil {
		return "", err
	}
	return displayName(u), nil
}

// Comments returns a deal's comments by call, turn, then age, or ENOTFOUND
// for an unknown deal.
func (s *DealService) Comments(ctx context.Context, dealID string) ([]*sim.Comment, error) {
	defer s.db.observe("deal.comments", time.Now())
	tx, err := s.db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	defer tx.Rollback()
	if err := dealExists(ctx, tx, dealID); err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT x.id, x.deal_id, x.call, x.turn, COALESCE(x.author_id, 0), `+authorName+`,
		x.text, x.created_at
		FROM comments x LEFT JOIN users u ON u.id = x.author_id
		WHERE x.deal_id = ? ORDER BY x.call, x.turn, x.id`, dealID)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	defer rows.Close()
	comments := []*sim.Comment{}
	for rows.Next() {
		var c sim.Comment
		if err := rows.Scan(&c.ID, &c.DealID, &c.Call, &c.Turn, &c.AuthorID, &c.Author, &c.Text,
			scanTime(&c.CreatedAt)); err != nil {
			return nil, fmt.Errorf("comments: %w", err)
		}
		comments = append(comments, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	return comments, nil
}

// AddOverride stores a coach's score (0–100) for a deal with a non-empty
// reason, and sets o.ID, o.Author and o.CreatedAt. From then on the deal's
// effective score is this one, until a later override; the stored
// scorecard is left as it is.
func (s *DealService) AddOverride(ctx context.Context, o *sim.Override) error {
	defer s.db.observe("deal.add_override", time.Now())
	o.Reason = strings.TrimSpace(o.Reason)
	switch {
	case o.Score < 0 || o.Score > 100:
		return fmt.Errorf("add override: %w", sim.Errorf(sim.EINVALID, "score must be 0 to 100, not %d", o.Score))
	case o.Reason == "":
		return fmt.Errorf("add override: %w", sim.Errorf(sim.EINVALID, "an override needs a reason"))
	case utf8.RuneCountInString(o.Reason) > MaxReasonLen:
		return fmt.Errorf("add override: %w", sim.Errorf(sim.EINVALID, "reason must be at most %d characters long", MaxReasonLen))
	}
	tx, err := s.db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add override: %w", err)
	}
	defer tx.Rollback()
	author, err := reviewAuthor(ctx, tx, o.DealID, o.AuthorID)
	if err != nil {
		return fmt.Errorf("add override: %w", err)
	}
	now := s.db.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO overrides (deal_id, author_id, author_name, score, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, o.DealID, o.AuthorID, author, o.Score, o.Reason, formatTime(now))
	if err != nil {
		return fmt.Errorf("add override: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("add override: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE deals SET override_score = ? WHERE id = ?", o.Score, o.DealID); err != nil {
		return fmt.Errorf("add override: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add override: %w", err)
	}
	o.ID, o.Author, o.CreatedAt = id, author, now
	return nil
}

// Overrides returns a deal's overrides, oldest first (the last one is in
// effect), or ENOTFOUND for an unknown deal.
func (s *DealService) Overrides(ctx context.Context, dealID string) ([]*sim.Override, error) {
	defer s.db.observe("deal.overrides", time.Now())
	tx, err := s.db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	defer tx.Rollback()
	if err := dealExists(ctx, tx, dealID); err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT x.id, x.deal_id, COALESCE(x.author_id, 0), `+authorName+`,
		x.score, x.reason, x.created_at
		FROM overrides x LEFT JOIN users u ON u.id = x.author_id
		WHERE x.deal_id = ? ORDER BY x.id`, dealID)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	defer rows.Close()
	overrides := []*sim.Override{}
	for rows.Next() {
		var o sim.Override
		if err := rows.Scan(&o.ID, &o.DealID, &o.AuthorID, &o.Author, &o.Score, &o.Reason,
			scanTime(&o.CreatedAt)); err != nil {
			return nil, fmt.Errorf("overrides: %w", err)
		}
		overrides = append(overrides, &o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	return overrides, nil
}
