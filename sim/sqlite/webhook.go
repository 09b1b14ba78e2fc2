package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/callsim/callsim/sim"
)

// MaxWebhookURLLen is the longest webhook URL, in bytes.
const MaxWebhookURLLen = 2048

// DefaultKeepDeliveries is how many deliveries of each hook the log keeps.
const DefaultKeepDeliveries = 100

var _ sim.WebhookService = (*WebhookService)(nil)

// WebhookService stores webhooks and their delivery log.
type WebhookService struct {
	db *DB

	// KeepDeliveries is how many of each hook's latest deliveries are
	// kept; older ones are deleted as new ones are logged. Zero means
	// DefaultKeepDeliveries.
	KeepDeliveries int
}

// NewWebhookService returns a WebhookService backed by db.
func NewWebhookService(db *DB) *WebhookService { return &WebhookService{db: db} }

func (s *WebhookService) keep() int {
	if s.KeepDeliveries <= 0 {
		return DefaultKeepDeliveries
	}
	return s.KeepDeliveries
}

// validateWebhook checks what the store can: the transport checks the
// URL's scheme and where it points.
func validateWebhook(h *sim.Webhook) error {
	if h.URL == "" || len(h.URL) > MaxWebhookURLLen {
		return sim.Errorf(sim.EINVALID, "a webhook needs a URL of at most %d bytes", MaxWebhookURLLen)
	}
	if err := validateText("url", h.URL, MaxWebhookURLLen); err != nil {
		return err
	}
	if len(h.Events) == 0 {
		return sim.Errorf(sim.EINVALID, "a webhook needs at least one event (%s, %s)", sim.WebhookDealScored, sim.WebhookDealOverridden)
	}
	for _, e := range h.Events {
		if !e.Valid() {
			return sim.Errorf(sim.EINVALID, "unknown event %q (want %s or %s)", e, sim.WebhookDealScored, sim.WebhookDealOverridden)
		}
	}
	if strings.Contains(h.Team, ",") {
		return sim.Errorf(sim.EINVALID, "a webhook is for one team or all, not %q", h.Team)
	}
	return validateText("team", h.Team, MaxTeamLen)
}

// CreateWebhook stores h with a new random secret (32 bytes, 43 URL-safe
// characters) and sets h.ID, h.Secret and h.CreatedAt. Events are sorted
// and deduplicated; the team is trimmed.
func (s *WebhookService) CreateWebhook(ctx context.Context, h *sim.Webhook) error {
	defer s.db.observe("webhook.create", time.Now())
	h.URL, h.Team = strings.TrimSpace(h.URL), strings.TrimSpace(h.Team)
	h.Events = slices.Compact(slices.Sorted(slices.Values(h.Events)))
	if err := validateWebhook(h); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	now := s.db.now()
	var by any // NULL without a user
	if h.CreatedBy != 0 {
		by = h.CreatedBy
	}
	res, err := s.db.w.ExecContext(ctx, `INSERT INTO webhooks (url, events, team, secret, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, h.URL, joinEvents(h.Events), h.Team, secret, by, formatTime(now))
	if isForeignKey(err) {
		return fmt.Errorf("create webhook: %w", sim.Errorf(sim.ENOTFOUND, "user %d not found", h.CreatedBy))
	} else if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	if h.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	h.Secret, h.CreatedAt = secret, now
	return nil
}

func joinEvents(es []sim.WebhookEvent) string {
	ss := make([]string, len(es))
	for i, e := range es {
		ss[i] = string(e)
	}
	return strings.Join(ss, ",")
}

func splitEvents(s string) []sim.WebhookEvent {
	es := []sim.WebhookEvent{}
	for _, e := range strings.Split(s, ",") {
		if e != "" {
			es = append(es, sim.WebhookEvent(e))
		}
	}
	return es
}

const webhookColumns = "id, url, events, team, secret, COALESCE(created_by, 0), created_at"

func scanWebhook(r scanner) (*sim.Webhook, error) {
	var h sim.Webhook
	var events string
	if err := r.Scan(&h.ID, &h.URL, &events, &h.Team, &h.Secret, &h.CreatedBy, scanTime(&h.CreatedAt)); err != nil {
		return nil, err
	}
	h.Events = splitEvents(events)
	return &h, nil
}

// FindWebhookByID returns a hook with its secret, or ENOTFOUND.
func (s *WebhookService) FindWebhookByID(ctx context.Context, id int64) (*sim.Webhook, error) {
	defer s.db.observe("webhook.find", time.Now())
	h, err := scanWebhook(s.db.db.QueryRowContext(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find webhook: %w", sim.Errorf(sim.ENOTFOUND, "webhook not found"))
	} else if err != nil {
		return nil, fmt.Errorf("find webhook: %w", err)
	}
	return h, nil
}

// FindWebhooks returns every hook with its secret, oldest first.
func (s *WebhookService) FindWebhooks(ctx context.Context) ([]*sim.Webhook, error) {
	defer s.db.observe("webhook.find_many", time.Now())
	rows, err := s.db.db.QueryContext(ctx, "SELECT "+webhookColumns+" FROM webhooks ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	defer rows.Close()
	hs := []*sim.Webhook{}
	for rows.Next() {
		h, err := scanWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("find webhooks: %w", err)
		}
		hs = append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	return hs, nil
}

// DeleteWebhook deletes a hook and its delivery log, or fails with
// ENOTFOUND.
func (s *WebhookService) DeleteWebhook(ctx context.Context, id int64) error {
	defer s.db.observe("webhook.delete", time.Now())
	res, err := s.db.w.ExecContext(ctx, "DELETE FROM webhooks WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	} else if n == 0 {
		return fmt.Errorf("delete webhook: %w", sim.Errorf(sim.ENOTFOUND, "webhook not found"))
	}
	return nil
}

func validateDelivery(d *sim.WebhookDelivery) error {
	switch d.State {
	case sim.DeliveryPending, sim.DeliveryDelivered, sim.DeliveryFailed:
	default:
		return sim.Errorf(sim.EINVALID, "unknown delivery state %q", d.State)
	}
	if !d.Event.Valid() {
		return sim.Errorf(sim.EINVALID, "unknown event %q", d.Event)
	}
	return nil
}

// maxDeliveryError bounds the error text kept of an attempt, in bytes.
const maxDeliveryError = 500

// clipError cuts an error text to maxDeliveryError bytes, never inside a
// character.
func clipError(s string) string {
	if len(s) <= maxDeliveryError {
		return s
	}
	return strings.ToValidUTF8(s[:maxDeliveryError], "") + "…"
}

// CreateDelivery logs a new delivery of a hook, sets d.ID, d.CreatedAt
// and d.UpdatedAt, and forgets the hook's deliveries beyond the newest
// KeepDeliveries. ENOTFOUND when the hook is gone.
func (s *WebhookService) CreateDelivery(ctx context.Context, d *sim.WebhookDelivery) error {
	defer s.db.observe("webhook.create_delivery", time.Now())
	if err := validateDelivery(d); err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	d.Error = clipError(d.Error)
	now := s.db.now()
	tx, err := s.db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries
		(webhook_id, event, deal_id, state, attempts, status_code, error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.WebhookID, string(d.Event), d.DealID, string(d.State), d.Attempts, d.StatusCode, d.Error, formatTime(now), formatTime(now))
	if isForeignKey(err) {
		return fmt.Errorf("create delivery: %w", sim.Errorf(sim.ENOTFOUND, "webhook not found"))
	} else if err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id <=
		(SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
		d.WebhookID, d.WebhookID, s.keep()); err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	d.ID, d.CreatedAt, d.UpdatedAt = id, now, now
	return nil
}

// UpdateDelivery stores d's state, attempts, status code and error, and
// sets d.UpdatedAt. ENOTFOUND when the delivery is gone (its hook was
// deleted, or it fell out of the log).
func (s *WebhookService) UpdateDelivery(ctx context.Context, d *sim.WebhookDelivery) error {
	defer s.db.observe("webhook.update_delivery", time.Now())
	if err := validateDelivery(d); err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	d.Error = clipError(d.Error)
	now := s.db.now()
	res, err := s.db.w.ExecContext(ctx, `UPDATE webhook_deliveries
		SET state = ?, attempts = ?, status_code = ?, error = ?, updated_at = ? WHERE id = ?`,
		string(d.State), d.Attempts, d.StatusCode, d.Error, formatTime(now), d.ID)
	if err != nil {
		return fmt.Errorf("update delivery: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update delivery: %w", err)
	} else if n == 0 {
		return fmt.Errorf("update delivery: %w", sim.Errorf(sim.ENOTFOUND, "delivery %d not found", d.ID))
	}
	d.UpdatedAt = now
	return nil
}

// Deliveries returns a hook's latest deliveries, newest first, at most
// limit of them (0: all that are kept).
func (s *WebhookService) Deliveries(ctx context.Context, webhookID int64, limit int) ([]*sim.WebhookDelivery, error) {
	defer s.db.observe("webhook.deliveries", time.Now())
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT id, webhook_id, event, deal_id, state, attempts, status_code, error, created_at, updated_at
		FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`, webhookID, limit)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer rows.Close()
	ds := []*sim.WebhookDelivery{}
	for rows.Next() {
		var d sim.WebhookDelivery
		var event, state string
		if err := rows.Scan(&d.ID, &d.WebhookID, &event, &d.DealID, &state, &d.Attempts, &d.StatusCode, &d.Error,
			scanTime(&d.CreatedAt), scanTime(&d.UpdatedAt)); err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
		d.Event, d.State = sim.WebhookEvent(event), sim.DeliveryState(state)
		ds = append(ds, &d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return ds, nil
}
