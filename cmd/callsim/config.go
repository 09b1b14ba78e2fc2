package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/spf13/viper"

	"github.com/callsim/callsim/sim/httpapi"
)

// Config is every setting of callsim, filled by viper from config.yaml,
// CALLSIM_* environment variables and flags. Nothing below cmd/ sees viper.
type Config struct {
	Server   ServerConfig   `mapstructure:"server"`
	Personas PersonasConfig `mapstructure:"personas"`
	Engine   EngineConfig   `mapstructure:"engine"`
	Score    ScoreConfig    `mapstructure:"score"`
	LLM      LLMConfig      `mapstructure:"llm"`
	Log      LogConfig      `mapstructure:"log"`
}

// ServerConfig is the practice server's section.
type ServerConfig struct {
	Addr            string        `mapstructure:"addr"`
	DataDir         string        `mapstructure:"data_dir"`
	AllowedOrigins  []string      `mapstructure:"allowed_origins"`
	SecureCookies   bool          `mapstructure:"secure_cookies"`
	SessionTTL      time.Duration `mapstructure:"session_ttl"`
	LoginAttempts   int           `mapstructure:"login_attempts"`
	LoginWindow     time.Duration `mapstructure:"login_window"`
	MaxMessageBytes int64         `mapstructure:"max_message_bytes"`
	SendQueue       int           `mapstructure:"send_queue"`
	CallsPerDeal    int           `mapstructure:"calls_per_deal"`
	DealsPerHour    int           `mapstructure:"deals_per_hour"`
	ShutdownTimeout time.Duration `mapstructure:"shutdown_timeout"`
	// TrustedProxies are CIDRs (or addresses) of reverse proxies whose
	// X-Forwarded-For and Forwarded headers are believed for the client.
	TrustedProxies []string `mapstructure:"trusted_proxies"`
	// MetricsAddr, when set, serves /metrics on a listener of its own.
	MetricsAddr string `mapstructure:"metrics_addr"`
	// MetricsToken, when set, is required as "Authorization: Bearer TOKEN".
	MetricsToken string `mapstructure:"metrics_token"`

	// API tokens and webhooks (issue 11; sim/httpapi tokens.go, webhooks.go).
	APITokenRate         int           `mapstructure:"api_token_rate"` // requests per minute per token
	WebhookAttempts      int           `mapstructure:"webhook_attempts"`
	WebhookBackoff       time.Duration `mapstructure:"webhook_backoff"` // before the 2nd try, doubling
	WebhookTimeout       time.Duration `mapstructure:"webhook_timeout"` // one try
	WebhookQueue         int           `mapstructure:"webhook_queue"`   // events waiting, then dropped
	WebhooksAllowPrivate bool          `mapstructure:"webhooks_allow_private"`
}

// PersonasConfig says where extra persona files live.
type PersonasConfig struct {
	// Dir holds scenario and persona files loaded beside the shipped ones;
	// a file with the id of a shipped one replaces it.
	Dir string `mapstructure:"dir"`
}

// LLMConfig enables an OpenAI-compatible model as the customer's voice.
type LLMConfig struct {
	Enabled bool   `mapstructure:"enabled"`
	BaseURL string `mapstructure:"base_url"`
	Model   string `mapstructure:"model"`
	APIKey  string `mapstructure:"api_key"`
	// Timeout is the deadline of one rewording; past it the persona's own
	// line is said.
	Timeout time.Duration `mapstructure:"timeout"`
	// Backoff is the first wait after a 429 or 5xx without Retry-After; it
	// doubles up to MaxBackoff, which also caps a Retry-After.
	Backoff    time.Duration `mapstructure:"backoff"`
	MaxBackoff time.Duration `mapstructure:"max_backoff"`
	// BreakerFailures failures in a row stop the calls for BreakerCooldown.
	BreakerFailures int           `mapstructure:"breaker_failures"`
	BreakerCooldown time.Duration `mapstructure:"breaker_cooldown"`
	// A rewording longer than LengthRatio times the engine's line, or than
	// MaxLength (characters, a Chinese one counting two), is not said.
	LengthRatio int `mapstructure:"length_ratio"`
	MaxLength   int `mapstructure:"max_length"`
}

// LogConfig sets up log/slog.
type LogConfig struct {
	Level  string `mapstructure:"level"`  // debug, info, warn, error
	Format string `mapstructure:"format"` // text, json
}

// setDefaults gives every setting its shipped default.
func setDefaults(v *viper.Viper) {
	v.SetDefault("server.addr", "127.0.0.1:8080")
	v.SetDefault("server.data_dir", "data")
	v.SetDefault("server.allowed_origins", []string{})
	v.SetDefault("server.secure_cookies", false)
	v.SetDefault("server.session_ttl", 7*24*time.Hour)
	v.SetDefault("server.login_attempts", 10)
	v.SetDefault("server.login_window", time.Minute)
	v.SetDefault("server.max_message_bytes", 8192)
	v.SetDefault("server.send_queue", 32)
	v.SetDefault("server.calls_per_deal", 20)
	v.SetDefault("server.deals_per_hour", 60)
	v.SetDefault("server.shutdown_timeout", 10*time.Second)
	v.SetDefault("server.trusted_proxies", []string{})
	v.SetDefault("server.metrics_addr", "")
	v.SetDefault("server.metrics_token", "")
	// API tokens and webhooks.
	v.SetDefault("server.api_token_rate", 600)
	v.SetDefault("server.webhook_attempts", 5)
	v.SetDefault("server.webhook_backoff", time.Second)
	v.SetDefault("server.webhook_timeout", 10*time.Second)
	v.SetDefault("server.webhook_queue", 1000)
	v.SetDefault("server.webhooks_allow_private", false)
	v.SetDefault("personas.dir", "")
	v.SetDefault("llm.enabled", false)
	v.SetDefault("llm.base_url", "")
	v.SetDefault("llm.model", "")
	v.SetDefault("llm.api_key", "")
	v.SetDefault("llm.timeout", 10*time.Second)
	v.SetDefault("llm.backoff", time.Second)
	v.SetDefault("llm.max_backoff", time.Minute)
	v.SetDefault("llm.breaker_failures", 5)
	v.SetDefault("llm.breaker_cooldown", 30*time.Second)
	v.SetDefault("llm.length_ratio", 3)
	v.SetDefault("llm.max_length", 400)
	v.SetDefault("log.level", "info")
	v.SetDefault("log.format", "text")
	setEngineDefaults(v)
}

// flagKeys maps command-line flags to config keys.
var flagKeys = map[string]string{
	"addr":     "server.addr",
	"data":     "server.data_dir",
	"personas": "personas.dir",
	"log":      "log.level",
}

// configFlags adds --config to a command's flags and returns where it lands.
func configFlags(fset *flag.FlagSet) *string {
	return fset.String("config", "", "config file (default ./config.yaml when present)")
}

// loadConfig reads the config file, then CALLSIM_* variables, then the
// flags of fset that were set and have a key in flagKeys.
func loadConfig(fset *flag.FlagSet, path string, env Env) (Config, error) {
	v := viper.New()
	setDefaults(v)
	v.SetConfigType("yaml")
	v.SetEnvPrefix("CALLSIM")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	fromEnv := false
	if path == "" && env.Getenv != nil {
		path = env.Getenv("CALLSIM_CONFIG")
		fromEnv = path != ""
	}
	explicit := path != ""
	if path == "" {
		path = "config.yaml"
	}
	v.SetConfigFile(path)
	// Errors name who set the bad value — a flag, a CALLSIM_* variable, or
	// the file and key — never a default config.yaml that is not there.
	src := configSource{v: v, file: path, flags: map[string]string{}}
	if err := v.ReadInConfig(); err != nil {
		var pe *fs.PathError
		if explicit || !errors.As(err, &pe) || !errors.Is(err, os.ErrNotExist) {
			return Config{}, fileError(path, fromEnv, err)
		}
		src.file = ""
	}
	fset.Visit(func(f *flag.Flag) {
		if key, ok := flagKeys[f.Name]; ok {
			v.Set(key, f.Value.String())
			src.flags[key] = "--" + f.Name
		}
	})
	var c Config
	if err := v.UnmarshalExact(&c); err != nil {
		return Config{}, src.decodeError(err)
	}
	if err := c.validate(); err != nil {
		return Config{}, src.validateError(err)
	}
	return c, nil
}

func (c Config) validate() error {
	if c.Server.Addr == "" {
		return errors.New("server.addr is empty")
	}
	if c.Server.MaxMessageBytes < 256 {
		return errors.New("server.max_message_bytes must be at least 256")
	}
	if c.Server.SendQueue < 1 {
		return errors.New("server.send_queue must be at least 1")
	}
	if c.Server.CallsPerDeal < 0 || c.Server.DealsPerHour < 0 {
		return errors.New("server.calls_per_deal and server.deals_per_hour must not be negative (0: no limit)")
	}
	if _, err := httpapi.ParseTrustedProxies(c.Server.TrustedProxies); err != nil {
		return fmt.Errorf("server.trusted_proxies: %w", err)
	}
	if a := c.Server.MetricsAddr; a != "" {
		_, port, err := net.SplitHostPort(a)
		if err != nil {
			return fmt.Errorf("server.metrics_addr %q: want host:port, like 127.0.0.1:9090", a)
		}
		if a == c.Server.Addr && port != "0" {
			return fmt.Errorf("server.metrics_addr %q is server.addr: give metrics another port, or leave it empty to serve them on server.addr", a)
		}
	}
	if t := c.Server.MetricsToken; t != "" && strings.IndexFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
		return errors.New("server.metrics_token must not hold spaces or control characters")
	}
	// API tokens and webhooks.
	switch s := c.Server; {
	case s.APITokenRate < 1:
		return errors.New("server.api_token_rate must be at least 1 (requests per minute)")
	case s.WebhookAttempts < 1 || s.WebhookAttempts > 20:
		return errors.New("server.webhook_attempts must be 1 to 20")
	case s.WebhookBackoff <= 0 || s.WebhookTimeout <= 0:
		return errors.New("server.webhook_backoff and server.webhook_timeout must be above 0")
	case s.WebhookQueue < 1:
		return errors.New("server.webhook_queue must be at least 1")
	}
	if _, err := parseLevel(c.Log.Level); err != nil {
		return err
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return fmt.Errorf("log.format must be text or json, not %q", c.Log.Format)
	}
	if c.LLM.Enabled && (c.LLM.BaseURL == "" && c.LLM.APIKey == "" || c.LLM.Model == "") {
		return errors.New("llm.enabled needs llm.model and llm.base_url or llm.api_key")
	}
	if err := c.LLM.validate(); err != nil {
		return err
	}
	if err := c.Rules().Validate(); err != nil {
		return err
	}
	return c.Weights().Validate()
}

func (l LLMConfig) validate() error {
	switch {
	case l.Timeout <= 0:
		return errors.New("llm.timeout must be above 0")
	case l.Backoff <= 0 || l.MaxBackoff < l.Backoff:
		return errors.New("llm.backoff must be above 0 and llm.max_backoff at least llm.backoff")
	case l.BreakerFailures < 1 || l.BreakerCooldown <= 0:
		return errors.New("llm.breaker_failures must be at least 1 and llm.breaker_cooldown above 0")
	case l.LengthRatio < 1 || l.MaxLength < 80:
		return errors.New("llm.length_ratio must be at least 1 and llm.max_length at least 80")
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log.level must be debug, info, warn or error, not %q", s)
	}
	return l, nil
}

// newLogger configures log/slog once, for the whole process.
func newLogger(c LogConfig, env Env) *slog.Logger {
	level, _ := parseLevel(c.Level)
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(env.Stderr, opts)
	if c.Format == "json" {
		h = slog.NewJSONHandler(env.Stderr, opts)
	}
	l := slog.New(h)
	slog.SetDefault(l)
	return l
}
