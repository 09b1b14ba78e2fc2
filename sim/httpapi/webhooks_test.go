package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

// receiver is a webhook receiver on httptest: it records every request
// and answers 500 to the first fail of them.
type receiver struct {
	ts *httptest.Server

	mu   sync.Mutex
	fail int
	got  []received
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(tb testing.TB, fail int) *receiver {
	tb.Helper()
	rv := &receiver{fail: fail}
	rv.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rv.mu.Lock()
		rv.got = append(rv.got, received{header: r.Header.Clone(), body: body})
		failing := rv.fail > 0
		rv.fail--
		rv.mu.Unlock()
		if failing {
			http.Error(w, "not today", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	tb.Cleanup(rv.ts.Close)
	return rv
}

func (rv *receiver) requests() []received {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]received(nil), rv.got...)
}

// MustWebhook makes a hook as the admin and returns it with its secret.
func (c *client) MustWebhook(url, team string, events ...sim.WebhookEvent) (sim.Webhook, string) {
	c.t.Helper()
	st, body := c.do("POST", "/api/v1/webhooks", map[string]any{"url": url, "team": team, "events": events})
	if st != http.StatusCreated {
		c.t.Fatalf("POST /api/v1/webhooks %s = %d %s; want 201", url, st, body)
	}
	var v struct {
		Webhook sim.Webhook `json:"webhook"`
		Secret  string      `json:"secret"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		c.t.Fatal(err)
	}
	return v.Webhook, v.Secret
}

// waitDelivery waits until the hook's newest delivery of the deal is no
// longer pending, and returns it.
func (e *env) waitDelivery(hookID int64, dealID string, event sim.WebhookEvent) *sim.WebhookDelivery {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds, err := e.srv.Webhooks.Deliveries(context.Background(), hookID, 0)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, d := range ds {
			if d.DealID == dealID && d.Event == event && d.State != sim.DeliveryPending {
				return d
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("no finished %s delivery of deal %s to hook %d: %v", event, dealID, hookID, ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func allowPrivate(s *Server) {
	s.WebhooksAllowPrivate = true // the receivers are on 127.0.0.1
	s.WebhookBackoff = 10 * time.Millisecond
}

func TestWebhookDelivery(t *testing.T) {
	t.Parallel()
	e := newIntegrationEnv(t, allowPrivate)
	annaDeal := playDeal(t, e, "anna", lineOpen)
	admin := e.login("admin")
	flaky := newReceiver(t, 2)
	south := newReceiver(t, 0)
	hook, secret := admin.MustWebhook(flaky.ts.URL+"/hook", "north", sim.WebhookDealScored, sim.WebhookDealOverridden)
	southHook, _ := admin.MustWebhook(south.ts.URL, "south", sim.WebhookDealScored)
	if len(secret) < 32 {
		t.Fatalf("secret %q; want a long random one", secret)
	}

	// Failing twice, then answering: three attempts, logged.
	e.srv.NotifyDealScored(context.Background(), annaDeal)
	d := e.waitDelivery(hook.ID, annaDeal, sim.WebhookDealScored)
	if d.State != sim.DeliveryDelivered || d.Attempts != 3 || d.StatusCode != http.StatusNoContent || d.Error != "" {
		t.Errorf("delivery = %+v; want delivered after 3 attempts, 204", d)
	}
	reqs := flaky.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests; want 3", len(reqs))
	}
	stored, err := e.srv.Deals.FindDealByID(context.Background(), annaDeal)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range reqs {
		ts, sig := r.header.Get(WebhookTimestampHeader), r.header.Get(WebhookSignatureHeader)
		if err := VerifyWebhook(secret, ts, sig, r.body, time.Now()); err != nil {
			t.Errorf("attempt %d: VerifyWebhook(%q, %q) = %v; want nil", i+1, ts, sig, err)
		}
		if err := VerifyWebhook("another secret", ts, sig, r.body, time.Now()); !errors.Is(err, ErrWebhookSignature) {
			t.Errorf("attempt %d: VerifyWebhook(wrong secret) = %v; want ErrWebhookSignature", i+1, err)
		}
		if got := r.header.Get(WebhookDeliveryHeader); got != strconv.FormatInt(d.ID, 10) {
			t.Errorf("attempt %d: %s = %q; want %d on every attempt", i+1, WebhookDeliveryHeader, got, d.ID)
		}
		if got := r.header.Get("Content-Type"); got != "application/json" {
			t.Errorf("attempt %d: Content-Type %q", i+1, got)
		}
		var p WebhookPayload
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatalf("attempt %d: body %s: %v", i+1, r.body, err)
		}
		if p.Event != sim.WebhookDealScored || p.DealID != annaDeal || p.Team != "north" || p.Score != stored.Score || p.Outcome == "" || p.At.IsZero() {
			t.Errorf("attempt %d: payload %+v; want deal.scored of %s in north, score %d", i+1, p, annaDeal, stored.Score)
		}
	}
	if n := len(south.requests()); n != 0 {
		t.Errorf("the south hook got %d requests of a north deal; want 0", n)
	}

	// An override, through the API.
	coach := e.login("coach_n")
	if st, body := coach.do("POST", "/api/v1/deals/"+annaDeal+"/overrides", map[string]any{"score": 42, "reason": "Coached."}); st != http.StatusCreated {
		t.Fatalf("override = %d %s", st, body)
	}
	d = e.waitDelivery(hook.ID, annaDeal, sim.WebhookDealOverridden)
	if d.State != sim.DeliveryDelivered || d.Attempts != 1 {
		t.Errorf("override delivery = %+v; want delivered at once", d)
	}
	reqs = flaky.requests()
	last := reqs[len(reqs)-1]
	var p WebhookPayload
	json.Unmarshal(last.body, &p)
	if p.Event != sim.WebhookDealOverridden || p.Score != 42 || last.header.Get(WebhookEventHeader) != string(sim.WebhookDealOverridden) {
		t.Errorf("override payload %+v (%s %q); want deal.overridden, score 42", p, WebhookEventHeader, last.header.Get(WebhookEventHeader))
	}

	// The admin reads the log, never the secrets; others may not.
	var log struct {
		Deliveries []sim.WebhookDelivery `json:"deliveries"`
	}
	admin.getJSON("/api/v1/webhooks/"+itoa(hook.ID)+"/deliveries", &log)
	if len(log.Deliveries) != 2 || log.Deliveries[0].Event != sim.WebhookDealOverridden || log.Deliveries[1].Attempts != 3 {
		t.Errorf("deliveries = %+v; want the override, then the 3-attempt score", log.Deliveries)
	}
	st, body := admin.do("GET", "/api/v1/webhooks", nil)
	if st != http.StatusOK || strings.Contains(string(body), secret) || !strings.Contains(string(body), flaky.ts.URL) {
		t.Errorf("GET /api/v1/webhooks = %d %s; want the hooks without their secrets", st, body)
	}
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/v1/webhooks"},
		{"POST", "/api/v1/webhooks"},
		{"GET", "/api/v1/webhooks/" + itoa(hook.ID) + "/deliveries"},
		{"DELETE", "/api/v1/webhooks/" + itoa(hook.ID)},
	} {
		if st, _ := coach.do(r.method, r.path, map[string]any{}); st != http.StatusForbidden {
			t.Errorf("%s %s as a coach = %d; want 403", r.method, r.path, st)
		}
	}
	if st, _ := admin.do("DELETE", "/api/v1/webhooks/"+itoa(southHook.ID), nil); st != http.StatusNoContent {
		t.Errorf("DELETE the south hook = %d; want 204", st)
	}
	if st, _ := admin.do("GET", "/api/v1/webhooks/"+itoa(southHook.ID)+"/deliveries", nil); st != http.StatusNotFound {
		t.Errorf("deliveries of a deleted hook = %d; want 404", st)
	}
}

func TestWebhookGivesUp(t *testing.T) {
	t.Parallel()
	e := newIntegrationEnv(t, allowPrivate, func(s *Server) { s.WebhookAttempts = 3 })
	annaDeal := playDeal(t, e, "anna", lineOpen)
	down := newReceiver(t, 100)
	hook, _ := e.login("admin").MustWebhook(down.ts.URL, "", sim.WebhookDealScored)
	e.srv.NotifyDealScored(context.Background(), annaDeal)
	d := e.waitDelivery(hook.ID, annaDeal, sim.WebhookDealScored)
	if d.State != sim.DeliveryFailed || d.Attempts != 3 || d.StatusCode != 500 || !strings.Contains(d.Error, "500") {
		t.Errorf("delivery = %+v; want failed after 3 attempts with 500", d)
	}
	if n := len(down.requests()); n != 3 {
		t.Errorf("receiver got %d requests; want 3", n)
	}
}

func TestVerifyWebhook(t *testing.T) {
	const secret = "s3cret"
	now := time.Unix(1_750_000_000, 0)
	body := []byte(`{"event":"deal.scored","deal_id":"d_1","team":"north","score":80,"outcome":"deal","at":"2025-06-15T15:06:40Z"}`)
	at := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	sign := func(ts string) string { return WebhookSignature(secret, ts, body) }
	tests := []struct {
		name       string
		secret, ts string
		sig        string
		body       []byte
		want       error
	}{
		{"fresh", secret, at(0), sign(at(0)), body, nil},
		{"4 minutes old", secret, at(-4 * time.Minute), sign(at(-4 * time.Minute)), body, nil},
		{"replayed 6 minutes later", secret, at(-6 * time.Minute), sign(at(-6 * time.Minute)), body, ErrWebhookTimestamp},
		{"from the future", secret, at(6 * time.Minute), sign(at(6 * time.Minute)), body, ErrWebhookTimestamp},
		{"timestamp changed", secret, at(0), sign(at(-6 * time.Minute)), body, ErrWebhookSignature},
		{"body changed", secret, at(0), sign(at(0)), []byte(strings.Replace(string(body), "80", "99", 1)), ErrWebhookSignature},
		{"wrong secret", "other", at(0), sign(at(0)), body, ErrWebhookSignature},
		{"no scheme", secret, at(0), strings.TrimPrefix(sign(at(0)), "sha256="), body, ErrWebhookSignature},
		{"not hex", secret, at(0), "sha256=zz", body, ErrWebhookSignature},
		{"no timestamp", secret, "", WebhookSignature(secret, "", body), body, ErrWebhookTimestamp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := VerifyWebhook(tc.secret, tc.ts, tc.sig, tc.body, now); !errors.Is(got, tc.want) {
				t.Errorf("VerifyWebhook(%q, %q, %q) = %v; want %v", tc.secret, tc.ts, tc.sig, got, tc.want)
			}
		})
	}
}

func TestWebhookPrivateRefused(t *testing.T) {
	t.Parallel()
	e := newIntegrationEnv(t, func(s *Server) { s.WebhookBackoff = 10 * time.Millisecond })
	admin := e.login("admin")
	rv := newReceiver(t, 0)
	tests := []struct {
		url  string
		want int
	}{
		{rv.ts.URL, http.StatusBadRequest},
		{"http://10.1.2.3/hook", http.StatusBadRequest},
		{"http://192.168.0.10:8080/hook", http.StatusBadRequest},
		{"http://100.64.0.1/", http.StatusBadRequest},
		{"http://169.254.169.254/latest/meta-data", http.StatusBadRequest},
		{"http://[::1]:9000/", http.StatusBadRequest},
		{"http://[fe80::1]/", http.StatusBadRequest},
		{"http://[fd00::1]/", http.StatusBadRequest},
		{"http://[::ffff:127.0.0.1]/", http.StatusBadRequest},
		{"http://0.0.0.0/", http.StatusBadRequest},
		{"http://240.0.0.1/", http.StatusBadRequest},
		{"http://255.255.255.255/", http.StatusBadRequest},
		{"http://localhost:8080/", http.StatusBadRequest},
		{"http://api.localhost/", http.StatusBadRequest},
		{"ftp://192.0.2.14/", http.StatusBadRequest},
		{"//192.0.2.14/", http.StatusBadRequest},
		{"https://user:pass@192.0.2.14/", http.StatusBadRequest},
		{"https://192.0.2.14/hook", http.StatusCreated}, // not private (TEST-NET-1): no lookup needed
	}
	for _, tc := range tests {
		st, body := admin.do("POST", "/api/v1/webhooks", map[string]any{"url": tc.url, "events": []string{"deal.scored"}})
		if st != tc.want {
			t.Errorf("POST /api/v1/webhooks %q = %d %s; want %d", tc.url, st, body, tc.want)
		}
		if st == http.StatusCreated { // never to be dialled
			var v struct {
				Webhook sim.Webhook `json:"webhook"`
			}
			json.Unmarshal(body, &v)
			if st, _ := admin.do("DELETE", "/api/v1/webhooks/"+itoa(v.Webhook.ID), nil); st != http.StatusNoContent {
				t.Fatalf("DELETE hook %d = %d", v.Webhook.ID, st)
			}
		}
	}
	for _, bad := range []map[string]any{
		{"url": "https://192.0.2.14/", "events": []string{}},
		{"url": "https://192.0.2.14/", "events": []string{"deal.deleted"}},
		{"url": "https://192.0.2.14/", "events": []string{"deal.scored"}, "team": "north,south"},
	} {
		if st, body := admin.do("POST", "/api/v1/webhooks", bad); st != http.StatusBadRequest {
			t.Errorf("POST /api/v1/webhooks %v = %d %s; want 400", bad, st, body)
		}
	}

	// A hook stored pointing at loopback (made while allowed, or a name
	// that now resolves there) is refused when dialled, and not retried.
	annaDeal := playDeal(t, e, "anna", lineOpen)
	h := &sim.Webhook{URL: rv.ts.URL, Events: []sim.WebhookEvent{sim.WebhookDealScored}}
	if err := e.srv.Webhooks.CreateWebhook(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	e.srv.NotifyDealScored(context.Background(), annaDeal)
	d := e.waitDelivery(h.ID, annaDeal, sim.WebhookDealScored)
	if d.State != sim.DeliveryFailed || d.Attempts != 1 || !strings.Contains(d.Error, "loopback") {
		t.Errorf("delivery to loopback = %+v; want failed at the first attempt, saying loopback", d)
	}
	if n := len(rv.requests()); n != 0 {
		t.Errorf("the loopback receiver got %d requests; want 0", n)
	}
}

// Close delivers what is queued while its context lasts, then gives up,
// and logs what it gave up on; notifying never blocks meanwhile.
func TestWebhookShutdown(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	e := newIntegrationEnv(t, allowPrivate, func(s *Server) { s.WebhookQueue = 2; s.WebhookTimeout = time.Minute })
	annaDeal := playDeal(t, e, "anna", lineOpen)
	hook, _ := e.login("admin").MustWebhook(slow.URL, "", sim.WebhookDealScored)

	start := time.Now()
	for range 50 {
		e.srv.NotifyDealScored(context.Background(), annaDeal)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("50 notifications with a stuck receiver took %v; want no waiting", d)
	}
	// Wait until a delivery is in flight.
	deadline := time.Now().Add(5 * time.Second)
	for {
		ds, _ := e.srv.Webhooks.Deliveries(context.Background(), hook.ID, 0)
		if len(ds) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no delivery started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	e.srv.Close(ctx)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v with a stuck receiver; want about its context's 200ms", d)
	}
	ds, err := e.srv.Webhooks.Deliveries(context.Background(), hook.ID, 0)
	if err != nil || len(ds) == 0 {
		t.Fatalf("deliveries = %v, %v", ds, err)
	}
	for _, d := range ds {
		if d.State != sim.DeliveryFailed || d.Error == "" {
			t.Errorf("delivery after shutdown = %+v; want failed, with why", d)
		}
	}
	e.srv.NotifyDealScored(context.Background(), annaDeal) // after Close: dropped, no panic
}

// FuzzVerifyWebhook: a receiver checks untrusted headers and bodies; the
// check never panics, and accepts only what the secret signed.
func FuzzVerifyWebhook(f *testing.F) {
	now := time.Unix(1_750_000_000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := []byte(`{"event":"deal.scored"}`)
	f.Add(ts, WebhookSignature("k", ts, body), body)
	f.Add("", "", []byte{})
	f.Add("-99999999999999999999", "sha256=00", []byte("x"))
	// The same MAC in upper-case hex is the same signature.
	f.Add(ts, "sha256="+strings.ToUpper(strings.TrimPrefix(WebhookSignature("k", ts, body), "sha256=")), body)
	f.Fuzz(func(t *testing.T, timestamp, signature string, body []byte) {
		err := VerifyWebhook("k", timestamp, signature, body, now)
		// Hex digits may come in either case; nothing else may differ.
		if err == nil && !strings.EqualFold(signature, WebhookSignature("k", timestamp, body)) {
			t.Errorf("VerifyWebhook(%q, %q, %q) = nil for a signature the secret did not make", timestamp, signature, body)
		}
	})
}
