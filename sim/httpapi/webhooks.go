package httpapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/callsim/callsim/sim"
)

// Webhooks tell other tools when a deal is scored or its score is
// overridden: a signed JSON POST to each admin-made hook that wants the
// event (docs/api.md). The events are queued, never waited for: a slow
// receiver cannot slow a request or a live call. A few workers deliver
// them, trying each up to WebhookAttempts times with a doubling wait, and
// log every delivery for the admin.

// Webhook headers: every delivery carries them.
const (
	WebhookTimestampHeader = "X-Callsim-Timestamp" // unix seconds of the attempt
	WebhookSignatureHeader = "X-Callsim-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
	WebhookEventHeader     = "X-Callsim-Event"     // deal.scored, deal.overridden
	WebhookDeliveryHeader  = "X-Callsim-Delivery"  // the delivery's id: the same on every attempt
)

// WebhookTolerance is how far a delivery's timestamp may be from the
// receiver's clock for VerifyWebhook: older deliveries are replays.
const WebhookTolerance = 5 * time.Minute

// Defaults used when the corresponding Server field is zero.
const (
	DefaultWebhookAttempts = 5
	DefaultWebhookBackoff  = time.Second
	DefaultWebhookTimeout  = 10 * time.Second
	DefaultWebhookQueue    = 1000
)

const (
	webhookWorkers    = 4                // deliveries of different events at once
	webhookStoreWait  = 10 * time.Second // a store call of the dispatcher
	webhookMaxRespond = 64 << 10         // bytes of a receiver's answer read
	webhookDeliveries = 100              // the most deliveries one request lists
)

// Errors of VerifyWebhook.
var (
	ErrWebhookSignature = errors.New("webhook: the signature does not match")
	ErrWebhookTimestamp = errors.New("webhook: the timestamp is too old or too far ahead: a replay?")
)

// WebhookPayload is the JSON body of a delivery.
type WebhookPayload struct {
	Event  sim.WebhookEvent `json:"event"`
	DealID string           `json:"deal_id"`
	Team   string           `json:"team"`
	// Score is the deal's effective score: the latest override's, else
	// the scorecard's.
	Score   int       `json:"score"`
	Outcome string    `json:"outcome"` // the furthest milestone reached, as in the deals list
	At      time.Time `json:"at"`      // when the event happened
}

// WebhookSignature returns the X-Callsim-Signature of a delivery:
// "sha256=" and the hex HMAC-SHA256, keyed with the hook's secret, of the
// timestamp header, a dot and the body.
func WebhookSignature(secret, timestamp string, body []byte) string {
	return "sha256=" + hex.EncodeToString(webhookMAC(secret, timestamp, body))
}

func webhookMAC(secret, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// VerifyWebhook is the check a receiver makes of a delivery, given the
// hook's secret, the X-Callsim-Timestamp and X-Callsim-Signature headers,
// the raw body and its own clock: the signature must match (compared in
// constant time) and the timestamp be within WebhookTolerance of now, so
// that a delivery recorded and sent again later is refused. It returns
// nil, ErrWebhookSignature or ErrWebhookTimestamp.
func VerifyWebhook(secret, timestamp, signature string, body []byte, now time.Time) error {
	hexSig, ok := strings.CutPrefix(signature, "sha256=")
	got, err := hex.DecodeString(hexSig)
	if !ok || err != nil || !hmac.Equal(got, webhookMAC(secret, timestamp, body)) {
		return ErrWebhookSignature
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrWebhookTimestamp
	}
	if d := now.Sub(time.Unix(ts, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return ErrWebhookTimestamp
	}
	return nil
}

// NotifyDealScored queues the deal.scored event of a deal whose final
// scorecard was just stored (the deal finished). It never blocks: with
// the queue full the event is dropped and logged. ctx is only read for
// its request id.
func (s *Server) NotifyDealScored(ctx context.Context, dealID string) {
	s.notify(ctx, sim.WebhookDealScored, dealID)
}

// NotifyOverride queues the deal.overridden event of a deal whose score a
// coach just overrode; like NotifyDealScored, it never blocks.
func (s *Server) NotifyOverride(ctx context.Context, dealID string) {
	s.notify(ctx, sim.WebhookDealOverridden, dealID)
}

func (s *Server) notify(ctx context.Context, event sim.WebhookEvent, dealID string) {
	if s.Webhooks == nil || s.hooks == nil {
		return
	}
	s.hooks.enqueue(ctx, webhookJob{event: event, dealID: dealID, at: s.now()})
}

// addrRefusedError is a webhook target refused for where it points.
type addrRefusedError struct {
	addr netip.Addr
	why  string
}

func (e *addrRefusedError) Error() string {
	return fmt.Sprintf("refused: %s is %s (server.webhooks_allow_private is off)", e.addr, e.why)
}

// Ranges that are not private by netip's reckoning but no public
// receiver lives in.
var (
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT: private in practice
	benchmark   = netip.MustParsePrefix("198.18.0.0/15") // network benchmarks
	reserved    = netip.MustParsePrefix("240.0.0.0/4")   // reserved, and the broadcast address
)

// refusedAddr says why a webhook may not reach a, or "" when it may.
func refusedAddr(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return "a loopback address"
	case a.IsPrivate(), sharedSpace.Contains(a), benchmark.Contains(a):
		return "a private address"
	case reserved.Contains(a):
		return "a reserved address"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "a link-local address"
	case a.IsUnspecified(), a.Is4() && a.As4()[0] == 0:
		return "an unspecified address"
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	return ""
}

// checkWebhookURL accepts an absolute http or https URL without
// credentials that, unless WebhooksAllowPrivate, names or resolves to no
// loopback, private or link-local address. The dialer checks the address
// again on every delivery, so a name that later resolves elsewhere is
// refused then.
func (s *Server) checkWebhookURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return sim.Errorf(sim.EINVALID, "the url must be an absolute http:// or https:// URL")
	}
	if u.User != nil {
		return sim.Errorf(sim.EINVALID, "the url must hold no user name or password: the signature proves the sender")
	}
	if s.WebhooksAllowPrivate {
		return nil
	}
	host := u.Hostname()
	refuse := func(a netip.Addr, why string) error {
		return sim.Errorf(sim.EINVALID, "the url's host %s is %s: set server.webhooks_allow_private to allow it", a, why)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if why := refusedAddr(a); why != "" {
			return refuse(a, why)
		}
		return nil
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return sim.Errorf(sim.EINVALID, "the url's host %s is loopback: set server.webhooks_allow_private to allow it", host)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return sim.Errorf(sim.EINVALID, "cannot resolve the url's host %s", host)
	}
	for _, a := range addrs {
		if why := refusedAddr(a); why != "" {
			return refuse(a, why)
		}
	}
	return nil
}

func (s *Server) webhookService() (sim.WebhookService, error) {
	if s.Webhooks == nil {
		return nil, sim.Errorf(codeUnavailable, "this server keeps no webhooks")
	}
	return s.Webhooks, nil
}

func (s *Server) handleCreateWebhook(w http.ResponseWriter, r *http.Request, sess *session) error {
	hooks, err := s.webhookService()
	if err != nil {
		return err
	}
	var req struct {
		URL    string             `json:"url"`
		Events []sim.WebhookEvent `json:"events"`
		Team   string             `json:"team"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	req.URL, req.Team = strings.TrimSpace(req.URL), strings.TrimSpace(req.Team)
	if len(req.URL) > 2048 {
		return sim.Errorf(sim.EINVALID, "the url must be at most 2048 bytes")
	}
	if len(req.Events) == 0 {
		return sim.Errorf(sim.EINVALID, "events must list %s and/or %s", sim.WebhookDealScored, sim.WebhookDealOverridden)
	}
	for _, e := range req.Events {
		if !e.Valid() {
			return sim.Errorf(sim.EINVALID, "unknown event %q (want %s or %s)", e, sim.WebhookDealScored, sim.WebhookDealOverridden)
		}
	}
	if err := validTeam(req.Team); err != nil {
		return err
	}
	if strings.Contains(req.Team, ",") {
		return sim.Errorf(sim.EINVALID, "a webhook is for one team or, without one, for all")
	}
	if err := s.checkWebhookURL(r.Context(), req.URL); err != nil {
		return err
	}
	h := &sim.Webhook{URL: req.URL, Events: req.Events, Team: req.Team, CreatedBy: sess.User.ID}
	if err := hooks.CreateWebhook(r.Context(), h); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"webhook": h, "secret": h.Secret})
	return nil
}

func (s *Server) handleWebhooks(w http.ResponseWriter, r *http.Request, sess *session) error {
	hooks, err := s.webhookService()
	if err != nil {
		return err
	}
	hs, err := hooks.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": hs}) // never the secrets: json:"-"
	return nil
}

// webhookParam loads the hook {id}, or answers not found.
func (s *Server) webhookParam(r *http.Request, hooks sim.WebhookService) (*sim.Webhook, error) {
	notFound := sim.Errorf(sim.ENOTFOUND, "webhook not found")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, notFound
	}
	h, err := hooks.FindWebhookByID(r.Context(), id)
	if sim.ErrorCode(err) == sim.ENOTFOUND {
		return nil, notFound
	}
	return h, err
}

func (s *Server) handleDeleteWebhook(w http.ResponseWriter, r *http.Request, sess *session) error {
	hooks, err := s.webhookService()
	if err != nil {
		return err
	}
	h, err := s.webhookParam(r, hooks)
	if err != nil {
		return err
	}
	if err := hooks.DeleteWebhook(r.Context(), h.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleWebhookDeliveries(w http.ResponseWriter, r *http.Request, sess *session) error {
	hooks, err := s.webhookService()
	if err != nil {
		return err
	}
	limit, err := intParam(r.URL.Query(), "limit", defaultLimit, 1, webhookDeliveries)
	if err != nil {
		return err
	}
	h, err := s.webhookParam(r, hooks)
	if err != nil {
		return err
	}
	ds, err := hooks.Deliveries(r.Context(), h.ID, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
	return nil
}

// webhookJob is an event waiting to be delivered.
type webhookJob struct {
	event  sim.WebhookEvent
	dealID string
	at     time.Time
}

// dispatcher owns the webhook queue and its workers, which start with
// the first event. Close drains the queue until its context is done,
// then gives up on what is left (logged as failed).
type dispatcher struct {
	s         *Server
	attempts  int
	backoff   time.Duration
	client    *http.Client
	transport *http.Transport

	ctx    context.Context // cancelled when Close stops waiting
	cancel context.CancelFunc

	mu      sync.Mutex // guards sends on queue, started and closed
	queue   chan webhookJob
	started bool
	closed  bool
	wg      sync.WaitGroup
}

func (s *Server) newDispatcher() *dispatcher {
	d := &dispatcher{s: s, attempts: s.WebhookAttempts, backoff: s.WebhookBackoff}
	if d.attempts < 1 {
		d.attempts = DefaultWebhookAttempts
	}
	if d.backoff <= 0 {
		d.backoff = DefaultWebhookBackoff
	}
	timeout, queue := s.WebhookTimeout, s.WebhookQueue
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	if queue < 1 {
		queue = DefaultWebhookQueue
	}
	d.queue = make(chan webhookJob, queue)
	d.ctx, d.cancel = context.WithCancel(context.Background())
	dialer := &net.Dialer{Timeout: timeout}
	if !s.WebhooksAllowPrivate {
		// Checked on the address actually dialled, after resolution: a
		// name that resolves to a private address is refused too.
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("refused: %s is no IP address", address)
			}
			if why := refusedAddr(ap.Addr()); why != "" {
				return &addrRefusedError{addr: ap.Addr().Unmap(), why: why}
			}
			return nil
		}
	}
	d.transport = &http.Transport{
		Proxy:                 nil, // the dialer must see the receiver's address
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	d.client = &http.Client{
		Transport: d.transport,
		Timeout:   timeout,
		// A redirect could lead anywhere; the hook's URL is the one place.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return d
}

// enqueue queues a job without waiting; it starts the workers the first
// time.
func (d *dispatcher) enqueue(ctx context.Context, job webhookJob) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		d.s.Logger.Warn("webhook event after shutdown: dropped", slog.String("event", string(job.event)), slog.String("deal", job.dealID))
		return
	}
	if !d.started {
		d.started = true
		for range webhookWorkers {
			d.wg.Go(d.run)
		}
	}
	select {
	case d.queue <- job:
	default:
		d.s.Logger.Warn("webhook queue full: event dropped", slog.String("event", string(job.event)),
			slog.String("deal", job.dealID), slog.String("request_id", requestID(ctx)))
	}
}

// close stops taking events, delivers those queued until ctx is done,
// then cancels what is in flight.
func (d *dispatcher) close(ctx context.Context) {
	if d == nil {
		return
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	close(d.queue)
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		d.s.Logger.Warn("shutdown: webhook deliveries did not finish in time; giving up on them", slog.Int("queued", len(d.queue)))
		d.cancel()
		<-done
	}
	d.cancel()
	d.transport.CloseIdleConnections()
}

func (d *dispatcher) run() {
	for job := range d.queue {
		d.handle(job)
	}
}

// handle delivers one event to every hook that wants it, at once.
func (d *dispatcher) handle(job webhookJob) {
	log := d.s.Logger.With(slog.String("event", string(job.event)), slog.String("deal", job.dealID))
	if d.ctx.Err() != nil {
		log.Warn("webhook event dropped: the server shut down")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), webhookStoreWait)
	defer cancel()
	all, err := d.s.Webhooks.FindWebhooks(ctx)
	if err != nil {
		log.Error("webhook event dropped: cannot read the hooks", slog.Any("err", err))
		return
	}
	var hooks []*sim.Webhook
	for _, h := range all {
		if slices.Contains(h.Events, job.event) { // the team is checked below
			hooks = append(hooks, h)
		}
	}
	if len(hooks) == 0 {
		return
	}
	deal, err := d.s.Deals.FindDealByID(ctx, job.dealID)
	if sim.ErrorCode(err) == sim.ENOTFOUND {
		log.Warn("webhook event dropped: the deal is gone")
		return
	} else if err != nil {
		log.Error("webhook event dropped: cannot read the deal", slog.Any("err", err))
		return
	}
	p := WebhookPayload{Event: job.event, DealID: deal.ID, Team: deal.Team, Score: deal.Score, Outcome: "none", At: job.at.UTC()}
	if deal.Summary.Outcome != "" {
		p.Outcome = deal.Summary.Outcome
	} else if deal.Scorecard != nil && deal.Scorecard.Outcome != "" {
		p.Outcome = deal.Scorecard.Outcome
	}
	body, err := json.Marshal(p)
	if err != nil {
		log.Error("webhook event dropped", slog.Any("err", err))
		return
	}
	var wg sync.WaitGroup
	for _, h := range hooks {
		if h.Wants(job.event, deal.Team) {
			wg.Go(func() { d.deliver(h, job, body, log.With(slog.Int64("webhook", h.ID))) })
		}
	}
	wg.Wait()
}

// deliver tries one delivery up to d.attempts times, waiting backoff,
// 2×backoff, 4×backoff… between tries, and logs each try in the store.
func (d *dispatcher) deliver(h *sim.Webhook, job webhookJob, body []byte, log *slog.Logger) {
	rec := &sim.WebhookDelivery{WebhookID: h.ID, Event: job.event, DealID: job.dealID, State: sim.DeliveryPending}
	if err := d.store(func(ctx context.Context) error { return d.s.Webhooks.CreateDelivery(ctx, rec) }); err != nil {
		if sim.ErrorCode(err) != sim.ENOTFOUND { // else the hook was just deleted
			log.Error("webhook delivery not logged; not sent", slog.Any("err", err))
		}
		return
	}
	for attempt := 1; ; attempt++ {
		if attempt > 1 && !d.sleep(d.backoff<<min(attempt-2, 20)) {
			rec.State, rec.Error = sim.DeliveryFailed, "the server shut down before the delivery succeeded; last: "+rec.Error
			d.save(rec, log)
			return
		}
		var err error
		rec.Attempts = attempt
		rec.StatusCode, err = d.post(h, rec, body)
		if err == nil {
			rec.State, rec.Error = sim.DeliveryDelivered, ""
			d.save(rec, log)
			return
		}
		rec.Error = err.Error()
		if attempt >= d.attempts || !retryable(rec.StatusCode, err) || d.ctx.Err() != nil {
			rec.State = sim.DeliveryFailed
			d.save(rec, log)
			log.Warn("webhook delivery failed", slog.Int("attempts", attempt), slog.Int("status", rec.StatusCode), slog.String("err", rec.Error))
			return
		}
		if !d.save(rec, log) {
			return // the hook was deleted
		}
	}
}

// post makes one attempt and returns the receiver's status code (0
// without an answer); a status other than 2xx is an error.
func (d *dispatcher) post(h *sim.Webhook, rec *sim.WebhookDelivery, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(d.s.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "callsim-webhook/1")
	req.Header.Set(WebhookEventHeader, string(rec.Event))
	req.Header.Set(WebhookDeliveryHeader, strconv.FormatInt(rec.ID, 10))
	req.Header.Set(WebhookTimestampHeader, ts)
	req.Header.Set(WebhookSignatureHeader, WebhookSignature(h.Secret, ts, body))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webhookMaxRespond))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// retryable reports whether another attempt may do better: no answer,
// a timeout, too many requests or a server error; not a refused address.
func retryable(status int, err error) bool {
	var refused *addrRefusedError
	if errors.As(err, &refused) {
		return false
	}
	return status == 0 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// sleep waits d, or until the dispatcher is cancelled (false).
func (d *dispatcher) sleep(wait time.Duration) bool {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-d.ctx.Done():
		return false
	}
}

// store runs a store call with its own deadline: the log is written even
// while the dispatcher gives up at shutdown.
func (d *dispatcher) store(f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), webhookStoreWait)
	defer cancel()
	return f(ctx)
}

// save stores the delivery's progress; false when it is gone (its hook
// was deleted), so that retries stop.
func (d *dispatcher) save(rec *sim.WebhookDelivery, log *slog.Logger) bool {
	err := d.store(func(ctx context.Context) error { return d.s.Webhooks.UpdateDelivery(ctx, rec) })
	if sim.ErrorCode(err) == sim.ENOTFOUND {
		return false
	} else if err != nil {
		log.Error("webhook delivery log not updated", slog.Any("err", err))
	}
	return true
}
