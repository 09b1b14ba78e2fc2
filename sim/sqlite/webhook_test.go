package sqlite

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

func TestWebhooks(t *testing.T) {
	ctx := context.Background()
	e := MustOpen(t)
	hooks := NewWebhookService(e.db)
	admin := e.MustUser(t, "boss", sim.RoleAdmin, "")

	h := &sim.Webhook{URL: " https://example.com/hook ", Team: "east", CreatedBy: admin.ID,
		Events: []sim.WebhookEvent{sim.WebhookDealScored, sim.WebhookDealOverridden, sim.WebhookDealScored}}
	if err := hooks.CreateWebhook(ctx, h); err != nil {
		t.Fatalf("CreateWebhook() = %v", err)
	}
	if h.ID == 0 || len(h.Secret) != 43 || h.URL != "https://example.com/hook" || !h.CreatedAt.Equal(t0) {
		t.Errorf("CreateWebhook() set %+v; want an id, a 43-character secret, the URL trimmed, created now", h)
	}
	if want := []sim.WebhookEvent{sim.WebhookDealOverridden, sim.WebhookDealScored}; !slices.Equal(h.Events, want) {
		t.Errorf("events = %v; want %v, sorted and once each", h.Events, want)
	}
	other := &sim.Webhook{URL: "https://example.org/", Events: []sim.WebhookEvent{sim.WebhookDealScored}}
	if err := hooks.CreateWebhook(ctx, other); err != nil {
		t.Fatalf("CreateWebhook(no user, all teams) = %v", err)
	}
	if other.Secret == h.Secret {
		t.Error("two hooks got the same secret")
	}

	bad := []struct {
		name string
		h    sim.Webhook
	}{
		{"no url", sim.Webhook{Events: []sim.WebhookEvent{sim.WebhookDealScored}}},
		{"long url", sim.Webhook{URL: "https://x/" + strings.Repeat("a", MaxWebhookURLLen), Events: []sim.WebhookEvent{sim.WebhookDealScored}}},
		{"no events", sim.Webhook{URL: "https://x/"}},
		{"bad event", sim.Webhook{URL: "https://x/", Events: []sim.WebhookEvent{"deal.deleted"}}},
		{"two teams", sim.Webhook{URL: "https://x/", Team: "a,b", Events: []sim.WebhookEvent{sim.WebhookDealScored}}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, "CreateWebhook("+tc.name+")", hooks.CreateWebhook(ctx, &tc.h), sim.EINVALID)
		})
	}

	got, err := hooks.FindWebhookByID(ctx, h.ID)
	if err != nil || got.Secret != h.Secret || got.Team != "east" || !slices.Equal(got.Events, h.Events) || got.CreatedBy != admin.ID {
		t.Errorf("FindWebhookByID() = %+v, %v; want %+v", got, err, h)
	}
	all, err := hooks.FindWebhooks(ctx)
	if err != nil || len(all) != 2 || all[0].ID != h.ID || all[1].ID != other.ID || all[1].CreatedBy != 0 {
		t.Errorf("FindWebhooks() = %v, %v; want both, oldest first", all, err)
	}
	if !got.Wants(sim.WebhookDealScored, "east") || got.Wants(sim.WebhookDealScored, "west") || !other.Wants(sim.WebhookDealScored, "west") || other.Wants(sim.WebhookDealOverridden, "west") {
		t.Error("Wants() does not follow the hook's team and events")
	}

	// The delivery log: created, updated after each attempt, newest first.
	d := &sim.WebhookDelivery{WebhookID: h.ID, Event: sim.WebhookDealScored, DealID: "d_1", State: sim.DeliveryPending}
	if err := hooks.CreateDelivery(ctx, d); err != nil {
		t.Fatalf("CreateDelivery() = %v", err)
	}
	e.clock.Add(time.Second)
	d.Attempts, d.StatusCode, d.Error = 1, 500, strings.Repeat("é", 400)
	if err := hooks.UpdateDelivery(ctx, d); err != nil {
		t.Fatalf("UpdateDelivery() = %v", err)
	}
	e.clock.Add(time.Second)
	d.Attempts, d.StatusCode, d.Error, d.State = 2, 204, "", sim.DeliveryDelivered
	if err := hooks.UpdateDelivery(ctx, d); err != nil {
		t.Fatalf("UpdateDelivery() = %v", err)
	}
	ds, err := hooks.Deliveries(ctx, h.ID, 10)
	if err != nil || len(ds) != 1 {
		t.Fatalf("Deliveries() = %v, %v; want one", ds, err)
	}
	if g := ds[0]; g.Attempts != 2 || g.StatusCode != 204 || g.State != sim.DeliveryDelivered || g.Error != "" ||
		!g.CreatedAt.Equal(t0) || !g.UpdatedAt.Equal(t0.Add(2*time.Second)) {
		t.Errorf("delivery = %+v; want 2 attempts, 204, delivered, updated 2s after it was made", g)
	}
	wantCode(t, "CreateDelivery(no hook)", hooks.CreateDelivery(ctx, &sim.WebhookDelivery{WebhookID: 999, Event: sim.WebhookDealScored, State: sim.DeliveryPending}), sim.ENOTFOUND)
	wantCode(t, "UpdateDelivery(bad state)", hooks.UpdateDelivery(ctx, &sim.WebhookDelivery{ID: d.ID, Event: sim.WebhookDealScored, State: "lost"}), sim.EINVALID)

	// The log keeps the newest KeepDeliveries of a hook.
	hooks.KeepDeliveries = 3
	for i := range 5 {
		if err := hooks.CreateDelivery(ctx, &sim.WebhookDelivery{WebhookID: h.ID, Event: sim.WebhookDealOverridden,
			DealID: "d_" + string(rune('a'+i)), State: sim.DeliveryPending}); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ = hooks.Deliveries(ctx, h.ID, 0)
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.DealID)
	}
	if want := []string{"d_e", "d_d", "d_c"}; !slices.Equal(ids, want) {
		t.Errorf("kept deliveries = %v; want %v", ids, want)
	}

	// Deleting a hook deletes its log; updating a delivery of it then
	// says not found, so that retries stop.
	if err := hooks.DeleteWebhook(ctx, h.ID); err != nil {
		t.Fatalf("DeleteWebhook() = %v", err)
	}
	wantCode(t, "DeleteWebhook(again)", hooks.DeleteWebhook(ctx, h.ID), sim.ENOTFOUND)
	_, err = hooks.FindWebhookByID(ctx, h.ID)
	wantCode(t, "FindWebhookByID(deleted)", err, sim.ENOTFOUND)
	wantCode(t, "UpdateDelivery(hook deleted)", hooks.UpdateDelivery(ctx, ds[0]), sim.ENOTFOUND)
	if ds, err := hooks.Deliveries(ctx, h.ID, 0); err != nil || len(ds) != 0 {
		t.Errorf("Deliveries(deleted hook) = %v, %v; want none", ds, err)
	}
}

func TestClipError(t *testing.T) {
	tests := []struct {
		name, in string
		max      int // bytes the result may have, the ellipsis aside
	}{
		{"short", "timeout", 7},
		{"ascii", strings.Repeat("x", 600), maxDeliveryError},
		{"cut inside a character", "x" + strings.Repeat("é", 300), maxDeliveryError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := clipError(tc.in)
			body := strings.TrimSuffix(got, "…")
			if len(body) > tc.max || !strings.HasPrefix(tc.in, body) || !utf8.ValidString(got) {
				t.Errorf("clipError(%d bytes) = %d bytes %q; want a valid prefix of at most %d bytes", len(tc.in), len(got), got, tc.max)
			}
		})
	}
}
