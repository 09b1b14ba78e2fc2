package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/viper"
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
}

// PersonasConfig says where extra persona files live.
type PersonasConfig struct {
	// Dir holds scenario and persona files loaded beside the shipped ones;
	// a file with the id of a shipped one replaces it.
	Dir string `mapstructure:"dir"`
}

// LLMConfig enables an OpenAI-compatible model as the customer's voice.
type LLMConfig struct {
	Enabled bool          `mapstructure:"enabled"`
	BaseURL string        `mapstructure:"base_url"`
	Model   string        `mapstructure:"model"`
	APIKey  string        `mapstructure:"api_key"`
	Timeout time.Duration `mapstructure:"timeout"`
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
	v.SetDefault("personas.dir", "")
	v.SetDefault("llm.enabled", false)
	v.SetDefault("llm.base_url", "")
	v.SetDefault("llm.model", "")
	v.SetDefault("llm.api_key", "")
	v.SetDefault("llm.timeout", 10*time.Second)
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
	if path == "" && env.Getenv != nil {
		path = env.Getenv("CALLSIM_CONFIG")
	}
	explicit := path != ""
	if path == "" {
		path = "config.yaml"
	}
	v.SetConfigFile(path)
	if err := v.ReadInConfig(); err != nil {
		var pe *fs.PathError
		if explicit || !errors.As(err, &pe) || !errors.Is(err, os.ErrNotExist) {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	}
	fset.Visit(func(f *flag.Flag) {
		if key, ok := flagKeys[f.Name]; ok {
			v.Set(key, f.Value.String())
		}
	})
	var c Config
	if err := v.UnmarshalExact(&c); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
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
	if _, err := parseLevel(c.Log.Level); err != nil {
		return err
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return fmt.Errorf("log.format must be text or json, not %q", c.Log.Format)
	}
	if c.LLM.Enabled && (c.LLM.BaseURL == "" && c.LLM.APIKey == "" || c.LLM.Model == "") {
		return errors.New("llm.enabled needs llm.model and llm.base_url or llm.api_key")
	}
	if err := c.Rules().Validate(); err != nil {
		return err
	}
	return c.Weights().Validate()
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

// parseFlags parses a command's flags; a bad flag is a usage error.
func parseFlags(fset *flag.FlagSet, args []string, env Env) error {
	fset.SetOutput(env.Stderr)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%s: %w", fset.Name(), errUsage)
	}
	return nil
}
