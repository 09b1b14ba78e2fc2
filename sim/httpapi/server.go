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
	// IP and per username.
	LoginAttempts int
	LoginWindow   time.Duration
	// MaxMessageBytes is the largest websocket message a client may send.
	MaxMessageBytes int64
	// SendQueue is how many messages may wait for a slow browser before it
	// is dropped.
	SendQueue int

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

	Logger *slog.Logger
	// Now is the clock; tests set it.
	Now func() time.Time
	// NewSeed returns the seed of a new deal when the client gives none.
	NewSeed func() int64

	// Registry holds the server's metrics (its own, not the global one).
	Registry *prometheus.Registry

	catalog  atomic.Pointer[sim.Catalog]
	uploadMu sync.Mutex // serialises persona uploads and reloads

	metrics *metrics
	limiter *limiter
	handler http.Handler

	http     *http.Server
	ln       net.Listener
	serveErr chan error

	// baseCtx is the context of websocket work; it outlives the start of a
	// shutdown so that in-flight turns are committed, and is cancelled
	// only when Close gives up waiting.
	baseCtx    context.Context
	cancelBase context.CancelFunc

	live *live.Service // the live calls, built by Handler

	liveMu  sync.Mutex // guards ln, http, conns and closing
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
		s.live = s.liveService()
		s.handler = s.routes()
	})
	return s.handler
}

// Open listens on Addr and serves in the background.
func (s *Server) Open() error {
	s.Handler()
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	s.liveMu.Lock()
	s.ln = ln
	s.liveMu.Unlock()
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.Serve(s.baseCtx, ln) }()
	return nil
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
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
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
	srv := s.http
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
	s.cancelBase()
	if s.serveErr != nil {
		if err := <-s.serveErr; err != nil {
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
