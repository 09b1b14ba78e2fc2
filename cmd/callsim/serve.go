package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/callsim/callsim/frontend"
	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/httpapi"
	"github.com/callsim/callsim/sim/live"
	"github.com/callsim/callsim/sim/openai"
	"github.com/callsim/callsim/sim/sqlite"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/voiceguard"
	"github.com/callsim/callsim/sim/yaml"
)

// runServe runs the practice server until ctx is cancelled (SIGINT or
// SIGTERM in main), then shuts it down within server.shutdown_timeout.
func runServe(ctx context.Context, args []string, env Env) error {
	fset, cfgPath := serveFlags()
	if err := parseFlags(fset, args, env); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q: %w", fset.Arg(0), errUsage)
	}
	cfg, err := loadConfig(fset, *cfgPath, env)
	if err != nil {
		return err
	}
	m := NewMain(cfg, env, newLogger(cfg.Log, env))
	if err := m.Run(ctx); err != nil {
		m.Close(context.Background())
		return err
	}
	<-ctx.Done()
	m.logger.Info("shutting down", slog.Duration("timeout", cfg.Server.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), cfg.Server.ShutdownTimeout)
	defer cancel()
	return m.Close(sctx)
}

// serveFlags are the flags of serve; those with a key in flagKeys
// override the config.
func serveFlags() (*flag.FlagSet, *string) {
	fset := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfgPath := configFlags(fset)
	fset.String("addr", "", "address to listen on (default 127.0.0.1:8080)")
	fset.String("data", "", "data directory holding callsim.db (default ./data)")
	fset.String("personas", "", "directory of extra scenario and persona files")
	fset.String("log", "", "log level: debug, info, warn or error")
	return fset, cfgPath
}

// Main is the practice server program: the store, the personas and the
// HTTP server, wired from a Config. Tests start it in-process on port 0.
type Main struct {
	cfg    Config
	env    Env
	logger *slog.Logger

	db  *sqlite.DB
	srv *httpapi.Server

	// BcryptCost, when not zero, is the cost of new password hashes;
	// tests lower it. Zero keeps the store's default.
	BcryptCost int

	// AdminPassword is the password of the admin account created on the
	// first start, or on a start that found no administrator (empty when
	// the database had one).
	AdminPassword string
	admin         firstAdmin

	closeOnce sync.Once
	closeErr  error
}

// NewMain returns a Main for a config; Run starts it.
func NewMain(cfg Config, env Env, logger *slog.Logger) *Main {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Main{cfg: cfg, env: env, logger: logger}
}

// Run opens the store, loads the personas and starts serving; once the
// server listens it creates an administrator if there is none, and prints
// where to open callsim (and that administrator's password). It returns
// once the server listens.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.cfg
	// A busy port must fail the start before the disk is touched: on a
	// first start, before there is a database.
	release, err := holdPorts("server.addr", cfg.Server.Addr, "server.metrics_addr", cfg.Server.MetricsAddr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer release()
	if err := os.MkdirAll(cfg.Server.DataDir, 0o755); err != nil {
		return fmt.Errorf("serve: data dir: %w", err)
	}
	if cfg.Personas.Dir != "" {
		if err := os.MkdirAll(cfg.Personas.Dir, 0o755); err != nil {
			return fmt.Errorf("serve: personas dir: %w", err)
		}
	}
	srv := httpapi.NewServer()
	m.srv = srv

	db, err := sqlite.Open(ctx, filepath.Join(cfg.Server.DataDir, dbFile))
	if err != nil {
		return fmt.Errorf("serve: open store: %w", err)
	}
	m.db = db
	db.Observe = srv.ObserveStore
	users := sqlite.NewUserService(db)
	users.BcryptCost = m.BcryptCost

	ear, err := understand.New()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Every load — at start, after an upload, on reload — checks the
	// keywords against the ear.
	load := func(ctx context.Context, dir string) (*sim.Catalog, error) {
		cat, err := yaml.Load(ctx, personas.FS(), dir)
		if err != nil {
			return nil, err
		}
		if err := lintCatalog(ear, cat, func(w string) { m.logger.Warn("persona keywords", slog.String("warning", w)) }); err != nil {
			return nil, err
		}
		return cat, nil
	}
	cat, err := load(ctx, cfg.Personas.Dir)
	if err != nil {
		return fmt.Errorf("serve: load personas: %w", err)
	}
	srv.Addr = cfg.Server.Addr
	srv.Users, srv.Deals, srv.Teams = users, sqlite.NewDealService(db), sqlite.NewTeamService(db)
	srv.Ear = ear
	srv.Rules, srv.Weights = cfg.Rules(), cfg.Weights()
	srv.Frontend = frontend.FS()
	srv.AllowedOrigins = cfg.Server.AllowedOrigins
	srv.SecureCookies = cfg.Server.SecureCookies
	srv.SessionTTL = cfg.Server.SessionTTL
	srv.LoginAttempts = cfg.Server.LoginAttempts
	srv.LoginWindow = cfg.Server.LoginWindow
	srv.MaxMessageBytes = cfg.Server.MaxMessageBytes
	srv.SendQueue = cfg.Server.SendQueue
	if srv.TrustedProxies, err = httpapi.ParseTrustedProxies(cfg.Server.TrustedProxies); err != nil {
		return fmt.Errorf("serve: server.trusted_proxies: %w", err) // validated with the config already
	}
	srv.MetricsAddr = cfg.Server.MetricsAddr
	srv.MetricsToken = cfg.Server.MetricsToken
	srv.Tokens, srv.Webhooks = sqlite.NewTokenService(db), sqlite.NewWebhookService(db)
	srv.TokenRate, srv.WebhooksAllowPrivate = cfg.Server.APITokenRate, cfg.Server.WebhooksAllowPrivate
	srv.WebhookAttempts, srv.WebhookBackoff = cfg.Server.WebhookAttempts, cfg.Server.WebhookBackoff
	srv.WebhookTimeout, srv.WebhookQueue = cfg.Server.WebhookTimeout, cfg.Server.WebhookQueue
	srv.Limits = live.Limits{CallsPerDeal: cfg.Server.CallsPerDeal, DealsPerHour: cfg.Server.DealsPerHour}
	srv.PersonasDir = cfg.Personas.Dir
	srv.LoadCatalog = load
	srv.Logger = m.logger
	srv.SetCatalog(cat)
	if cfg.LLM.Enabled {
		v, err := openai.New(openai.Config{BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey, Model: cfg.LLM.Model,
			Timeout: cfg.LLM.Timeout, Backoff: cfg.LLM.Backoff, MaxBackoff: cfg.LLM.MaxBackoff,
			BreakerFailures: cfg.LLM.BreakerFailures, BreakerCooldown: cfg.LLM.BreakerCooldown, Logger: m.logger})
		if err != nil {
			return fmt.Errorf("serve: llm: %w", err)
		}
		// Every rewording is checked before it is said; a failed one
		// leaves the persona's own line.
		g, err := voiceguard.New(v, ear, voiceguard.Config{Timeout: cfg.LLM.Timeout,
			LengthRatio: cfg.LLM.LengthRatio, MaxLength: cfg.LLM.MaxLength,
			OnDiscard: srv.ObserveVoiceFailure, Logger: m.logger})
		if err != nil {
			return fmt.Errorf("serve: llm: %w", err)
		}
		srv.Voice = g
		// The guard keeps llm.timeout itself; the live call waits a moment
		// longer so that the guard, not the call, decides.
		srv.VoiceTimeout = cfg.LLM.Timeout + time.Second
		srv.VoiceStatus = func() any { return v.Status() }
		m.logger.Info("llm voice", slog.Any("llm", v.Status()), slog.Duration("timeout", v.Timeout()))
	}
	release()
	if err := srv.Open(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	// Only a server that listens can show a new administrator's password:
	// made any earlier, it would be lost with a start that fails.
	if m.admin, err = bootstrapAdmin(ctx, users); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	m.AdminPassword = m.admin.Password
	attrs := []any{slog.String("addr", m.Addr()), slog.Int("personas", len(cat.Personas)),
		slog.String("db", db.Path()), slog.String("engine", sim.EngineVersion)}
	if a := srv.MetricsListenAddr(); a != nil {
		attrs = append(attrs, slog.String("metrics_addr", a.String()))
	}
	m.logger.Info("listening", attrs...)
	m.printWelcome()
	return nil
}

// printWelcome prints where to open callsim and, when this start created
// the administrator, its password (once) and how to add people; or how to
// make an administrator when none could be created.
func (m *Main) printWelcome() {
	if m.env.Stdout == nil {
		return
	}
	// One write, so that the whole text arrives together.
	var b strings.Builder
	fmt.Fprintf(&b, "callsim is listening on %s\n", m.URL())
	b.WriteString(m.admin.text(m.cfg.Server.DataDir, m.cfg.Personas.Dir))
	io.WriteString(m.env.Stdout, b.String())
}

// Addr returns the address the server listens on, host:port, with an
// unspecified host (0.0.0.0, ::) shown as 127.0.0.1.
func (m *Main) Addr() string {
	if m.srv == nil {
		return ""
	}
	a, ok := m.srv.ListenAddr().(*net.TCPAddr)
	if !ok || a == nil {
		return ""
	}
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// URL returns the address to open in a browser.
func (m *Main) URL() string { return "http://" + m.Addr() + "/" }

// Close shuts down in order: stop accepting, let live calls store their
// turn in flight and close, wait until ctx is done, then close the store
// last. It is safe to call more than once.
func (m *Main) Close(ctx context.Context) error {
	m.closeOnce.Do(func() {
		var errs []error
		if m.srv != nil {
			if err := m.srv.Close(ctx); err != nil {
				errs = append(errs, err)
			}
		}
		if m.db != nil {
			if err := m.db.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close store: %w", err))
			}
		}
		m.closeErr = errors.Join(errs...)
	})
	return m.closeErr
}
