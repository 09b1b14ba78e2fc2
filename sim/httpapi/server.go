// Package httpapi is callsim's HTTP and websocket transport: the JSON API of
// docs/api.md, the practice-call protocol of docs/protocol.md, the embedded
// frontend, health checks and Prometheus metrics. It wraps the services of
// package sim; cmd/callsim wires it to the store and the persona catalog.
package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
)

// Defaults used when the corresponding Server field is zero.
const (
	DefaultSessionTTL      = 7 * 24 * time.Hour
	DefaultLoginAttempts   = 10
	DefaultLoginWindow     = time.Minute
	DefaultMaxMessageBytes = 8192
	DefaultSendQueue       = 32
)

// CatalogLoader loads the persona catalog: the shipped set plus the
// scenario and persona files in dir (which may be empty).
type CatalogLoader func(ctx context.Context, dir string) (*sim.Catalog, error)

// Server serves the API, the websocket and the frontend. Set its fields,
// then call Open or Serve; Close shuts it down. A Server is used once.
type Server struct {
	// Addr is where Open listens, e.g. "127.0.0.1:8080" or "127.0.0.1:0".
	Addr string

	Users sim.UserService
	Deals sim.DealService
	Teams sim.TeamService
	// Tokens stores API tokens (tokens.go); nil refuses bearer requests.
	Tokens sim.TokenService
	// Webhooks stores webhooks and their delivery log (webhooks.go); nil
	// sends none.
	Webhooks sim.WebhookService

	Ear     sim.Understander
	Rules   sim.Rules
	Weights sim.Weights

	// Frontend holds the browser app, served at "/". nil serves nothing.
	Frontend fs.FS
	// AllowedOrigins are extra origins ("https://example.com") allowed to
	// open the websocket and make state-changing requests, beside the
	// server's own.
	AllowedOrigins []string
	// SecureCookies marks the session cookie Secure (behind HTTPS).
	SecureCookies bool
	SessionTTL    time.Duration
	// LoginAttempts failed logins are allowed per LoginWindow, per client
	// address (through TrustedProxies) and per username; then every login
	// with either is refused until the window ends (docs/api.md).
	LoginAttempts int
	LoginWindow   time.Duration
	// MaxMessageBytes is the largest websocket message a client may send.
	MaxMessageBytes int64
	// SendQueue is how many messages may wait for a slow browser before it
	// is dropped.
	SendQueue int

	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// Forwarded headers are believed for the client address (proxy.go);
	// none by default: the connection's address is the client.
	TrustedProxies []netip.Prefix
	// MetricsAddr, when set, is where Open serves /metrics on a listener of
	// its own; the main listener then does not serve it. Empty serves it on
	// the main listener, to loopback clients and admins.
	MetricsAddr string
	// MetricsToken, when set, is required on every /metrics request as
	// "Authorization: Bearer TOKEN", and enough on its own.
	MetricsToken string

	// TokenRate is how many requests one API token may make per minute,
	// in bursts of up to as many (0: DefaultTokenRate); past it, 429.
	TokenRate int
	// WebhookAttempts is how often a delivery is tried; WebhookBackoff the
	// wait before the second try, doubling after each; WebhookTimeout the
	// deadline of one try; WebhookQueue how many events may wait before
	// new ones are dropped. Zero values take the Default… constants.
	WebhookAttempts int
	WebhookBackoff  time.Duration
	WebhookTimeout  time.Duration
	WebhookQueue    int
	// WebhooksAllowPrivate lets webhooks reach loopback, private and
	// link-local addresses; off, such URLs are refused and never dialled.
	WebhooksAllowPrivate bool

	// PersonasDir is where admin uploads are written; empty disables them.
	PersonasDir string
	// LoadCatalog reloads the catalog (for uploads and reloads).
	LoadCatalog CatalogLoader

	// Limits bound the calls of a deal and the deals a trainee starts in
	// an hour (docs/protocol.md).
	Limits live.Limits

	// Voice optionally rewords the customer's lines for the browser (an
	// LLM). The engine's words stay what is stored and scored. nil shows
	// the engine's words.
	Voice sim.Voice
	// VoiceTimeout is how long the voice may take for one line before the
	// engine's words are shown (0: live.DefaultVoiceTimeout).
	VoiceTimeout time.Duration
	// VoiceStatus, when set, reports the voice's state (endpoint, model,
	// ok/backing_off/open; never a key) in /readyz.
	VoiceStatus func() any

	Logger *slog.Logger
	// Now is the clock; tests set it.
	Now func() time.Time
	// NewSeed returns the seed of a new deal when the client gives none.
	NewSeed func() int64

	// Registry holds the server's metrics (its own, not the global one).
	Registry *prometheus.Registry

	catalog  atomic.Pointer[sim.Catalog]
	uploadMu sync.Mutex // serialises persona uploads and reloads

	metrics        *metrics
	limiter        *limiter
	tokenLimiter   *tokenBuckets // per API token
	hooks          *dispatcher   // webhook deliveries
	handler        http.Handler
	metricsHandler http.Handler

	http     *http.Server
	ln       net.Listener
	serveErr chan error

	metricsHTTP *http.Server // the metrics listener's, when MetricsAddr is set
	metricsLn   net.Listener
	metricsErr  chan error

	// baseCtx is the context of websocket work; it outlives the start of a
	// shutdown so that in-flight turns are committed, and is cancelled
	// only when Close gives up waiting.
	baseCtx    context.Context
	cancelBase context.CancelFunc

	live           *live.Service // the live calls, built by Handler
	wsWriteBuffers sync.Pool     // websocket write buffers, shared by the connections

	liveMu  sync.Mutex // guards ln, http, metricsLn, metricsHTTP, conns and closing
	conns   map[*wsConn]struct{}
	closing bool
	connWG  sync.WaitGroup

	initOnce sync.Once
}

// NewServer returns a Server with its defaults and metrics registry; set
// the services and the catalog before serving.
func NewServer() *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		SessionTTL:      DefaultSessionTTL,
		LoginAttempts:   DefaultLoginAttempts,
		LoginWindow:     DefaultLoginWindow,
		MaxMessageBytes: DefaultMaxMessageBytes,
		SendQueue:       DefaultSendQueue,
		Logger:          slog.New(slog.DiscardHandler),
		Now:             time.Now,
		NewSeed:         randomSeed,
		Registry:        prometheus.NewRegistry(),
		baseCtx:         ctx,
		cancelBase:      cancel,
		conns:           map[*wsConn]struct{}{},
	}
	s.metrics = newMetrics(s.Registry)
	return s
}

// SetCatalog swaps the persona catalog atomically. Deals already running
// keep the persona they started with.
func (s *Server) SetCatalog(c *sim.Catalog) { s.catalog.Store(c) }

// Catalog returns the current persona catalog (nil before SetCatalog).
func (s *Server) Catalog() *sim.Catalog { return s.catalog.Load() }

// Reload reads the catalog again with LoadCatalog and swaps it in; on error
// the running catalog stays.
func (s *Server) Reload(ctx context.Context) (*sim.Catalog, error) {
	s.uploadMu.Lock()
	defer s.uploadMu.Unlock()
	return s.reloadLocked(ctx)
}

func (s *Server) reloadLocked(ctx context.Context) (*sim.Catalog, error) {
	if s.LoadCatalog == nil {
		return nil, sim.Errorf(sim.ECONFLICT, "this server cannot reload personas")
	}
	c, err := s.LoadCatalog(ctx, s.PersonasDir)
	if err != nil {
		return nil, fmt.Errorf("reload personas: %w", err)
	}
	s.SetCatalog(c)
	return c, nil
}

// ObserveStore records the latency of one store operation; wire it to the
// store's Observe hook.
func (s *Server) ObserveStore(op string, d time.Duration) {
	s.metrics.store.WithLabelValues(op).Observe(d.Seconds())
}

// Handler returns the server's HTTP handler, for httptest and for Serve.
func (s *Server) Handler() http.Handler {
	s.initOnce.Do(func() {
		s.limiter = newLimiter(s.LoginAttempts, s.LoginWindow, s.now, 10000)
		s.tokenLimiter = newTokenBuckets(s.TokenRate, s.now)
		s.hooks = s.newDispatcher()
		s.live = s.liveService()
		s.handler = s.routes()
		s.metricsHandler = s.metricsRoutes()
	})
	return s.handler
}

// Open listens on Addr, and on MetricsAddr when set, and serves in the
// background.
func (s *Server) Open() error {
	s.Handler()
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var mln net.Listener
	if s.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", s.MetricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen metrics: %w", err)
		}
		if a, ok := mln.Addr().(*net.TCPAddr); ok && !a.IP.IsLoopback() && s.MetricsToken == "" {
			s.Logger.Warn("metrics listener is not on a loopback address and has no metrics_token: whoever reaches it reads the metrics",
				slog.String("metrics_addr", mln.Addr().String()))
		}
	}
	s.liveMu.Lock()
	s.ln = ln
	if mln != nil && s.closing {
		mln.Close() // closed before it started; Serve closes ln
		mln = nil
	}
	s.metricsLn = mln
	if mln != nil {
		s.metricsHTTP = s.newHTTPServer(s.metricsHandler, s.baseCtx)
	}
	metricsSrv := s.metricsHTTP
	s.liveMu.Unlock()
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.Serve(s.baseCtx, ln) }()
	if metricsSrv != nil {
		s.metricsErr = make(chan error, 1)
		go func() {
			err := metricsSrv.Serve(mln)
			if errors.Is(err, http.ErrServerClosed) {
				err = nil
			} else if err != nil {
				err = fmt.Errorf("serve metrics: %w", err)
			}
			s.metricsErr <- err
		}()
	}
	return nil
}

// MetricsListenAddr returns the address of the metrics listener (nil
// without MetricsAddr or before Open).
func (s *Server) MetricsListenAddr() net.Addr {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	if s.metricsLn == nil {
		return nil
	}
	return s.metricsLn.Addr()
}

func (s *Server) newHTTPServer(h http.Handler, ctx context.Context) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
}

// URL returns the address Open listens on, as http://host:port/ (empty
// before Open).
func (s *Server) URL() string {
	a := s.ListenAddr()
	if a == nil {
		return ""
	}
	return "http://" + a.String() + "/"
}

// ListenAddr returns the address of the listener (nil before Open or Serve).
func (s *Server) ListenAddr() net.Addr {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Serve serves on ln until Close; it returns nil after a clean Close.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.liveMu.Lock()
	if s.closing {
		s.liveMu.Unlock()
		ln.Close()
		return nil // closed before it started
	}
	s.ln = ln
	s.http = s.newHTTPServer(s.Handler(), ctx)
	srv := s.http
	s.liveMu.Unlock()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// Close shuts the server down: it stops accepting connections, tells each
// live call to stop (a "shutdown" message and close code 1001) after the
// turn it is working on is stored, and waits for the connections to end
// until ctx is done; then it closes what is left. It does not close the
// store: the caller does that last.
func (s *Server) Close(ctx context.Context) error {
	s.liveMu.Lock()
	already := s.closing
	s.closing = true
	srv, metricsSrv := s.http, s.metricsHTTP
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.liveMu.Unlock()
	if already {
		return nil
	}

	var errs []error
	if srv != nil {
		// Stops the listener and waits for plain HTTP requests; hijacked
		// websocket connections are not its business.
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown http: %w", err))
		}
	}
	if metricsSrv != nil {
		if err := metricsSrv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown metrics: %w", err))
		}
	}
	// The live deals finish and answer the commands in flight first; then
	// each connection is told, after those answers.
	if s.live != nil {
		if err := s.live.Close(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	for _, c := range conns {
		c.shutdown()
	}
	done := make(chan struct{})
	go func() { s.connWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.Logger.Warn("shutdown: websocket connections did not end in time; closing them", slog.Int("conns", len(conns)))
		for _, c := range conns {
			c.ws.Close()
		}
		s.cancelBase()
		<-done
		errs = append(errs, fmt.Errorf("shutdown websockets: %w", ctx.Err()))
	}
	// Deals finished above may have queued webhook events: deliver them
	// while ctx lasts.
	s.hooks.close(ctx)
	s.cancelBase()
	if s.serveErr != nil {
		if err := <-s.serveErr; err != nil {
			errs = append(errs, err)
		}
	}
	if s.metricsErr != nil {
		if err := <-s.metricsErr; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Server) now() time.Time { return s.Now() }

func (s *Server) isClosing() bool {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	return s.closing
}

func randomSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}
