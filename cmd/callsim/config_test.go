package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Settings come from config.yaml, then CALLSIM_* variables, then flags.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	os.WriteFile(file, []byte("server:\n  addr: 127.0.0.1:1111\n  data_dir: from-file\n  session_ttl: 2h\nengine:\n  max_turns: 12\nscore:\n  penalties:\n    pressure: 20\n"), 0o644)
	tests := []struct {
		name     string
		env      map[string]string
		flags    []string
		wantAddr string
		wantData string
	}{
		{"file", nil, nil, "127.0.0.1:1111", "from-file"},
		{"environment over file", map[string]string{"CALLSIM_SERVER_ADDR": "127.0.0.1:2222"}, nil, "127.0.0.1:2222", "from-file"},
		{"flag over environment", map[string]string{"CALLSIM_SERVER_ADDR": "127.0.0.1:2222"}, []string{"--addr", "127.0.0.1:3333", "--data", "from-flag"}, "127.0.0.1:3333", "from-flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fset, _ := serveFlags()
			if err := fset.Parse(tt.flags); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(fset, file, Env{Getenv: os.Getenv})
			if err != nil {
				t.Fatalf("loadConfig: %v", err)
			}
			if cfg.Server.Addr != tt.wantAddr || cfg.Server.DataDir != tt.wantData {
				t.Errorf("addr %q, data %q; want %q, %q", cfg.Server.Addr, cfg.Server.DataDir, tt.wantAddr, tt.wantData)
			}
			if cfg.Server.SessionTTL != 2*time.Hour || cfg.Rules().MaxTurns != 12 {
				t.Errorf("session_ttl %v, max_turns %d; want 2h, 12 from the file", cfg.Server.SessionTTL, cfg.Rules().MaxTurns)
			}
			w := cfg.Weights()
			if w.Penalties["pressure"] != 20 || w.Penalties["premature_pitch"] != 5 {
				t.Errorf("penalties %v; want pressure 20 from the file and the other defaults kept", w.Penalties)
			}
		})
	}
}

// The shipped config.yaml holds exactly the defaults.
func TestShippedConfigIsTheDefaults(t *testing.T) {
	fset, _ := serveFlags()
	shipped, err := loadConfig(fset, "../../config.yaml", Env{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("load ../../config.yaml: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	os.WriteFile(empty, []byte("{}\n"), 0o644)
	defaults, err := loadConfig(fset, empty, Env{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("load empty config: %v", err)
	}
	if !reflect.DeepEqual(shipped.Server, defaults.Server) || !reflect.DeepEqual(shipped.Engine, defaults.Engine) || shipped.LLM != defaults.LLM || shipped.Log != defaults.Log {
		t.Errorf("config.yaml differs from the defaults:\n%+v\n%+v", shipped, defaults)
	}
	sw, dw := shipped.Weights(), defaults.Weights()
	for code, p := range dw.Penalties {
		if sw.Penalties[code] != p {
			t.Errorf("config.yaml penalty %s = %d; default %d", code, sw.Penalties[code], p)
		}
	}
}

// The keys of trusted proxies and metrics are checked at load, and a bad
// value is named with its key.
func TestConfigProxiesAndMetrics(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		wantErr []string // substrings of the error; nil wants none
		check   func(t *testing.T, c Config)
	}{
		{"defaults", "{}\n", nil, nil, func(t *testing.T, c Config) {
			if len(c.Server.TrustedProxies) != 0 || c.Server.MetricsAddr != "" || c.Server.MetricsToken != "" {
				t.Errorf("defaults: trusted_proxies %q, metrics_addr %q, metrics_token %q; want none", c.Server.TrustedProxies, c.Server.MetricsAddr, c.Server.MetricsToken)
			}
		}},
		{"a list of CIDRs", "server:\n  trusted_proxies: [10.0.0.0/8, 127.0.0.1, '::1/128']\n  metrics_addr: 127.0.0.1:9090\n  metrics_token: tok\n", nil, nil, func(t *testing.T, c Config) {
			if !reflect.DeepEqual(c.Server.TrustedProxies, []string{"10.0.0.0/8", "127.0.0.1", "::1/128"}) || c.Server.MetricsAddr != "127.0.0.1:9090" || c.Server.MetricsToken != "tok" {
				t.Errorf("server = %+v", c.Server)
			}
		}},
		{"from the environment", "{}\n", map[string]string{"CALLSIM_SERVER_TRUSTED_PROXIES": "10.0.0.0/8,192.168.0.0/16", "CALLSIM_SERVER_METRICS_TOKEN": "from-env"}, nil, func(t *testing.T, c Config) {
			if !reflect.DeepEqual(c.Server.TrustedProxies, []string{"10.0.0.0/8", "192.168.0.0/16"}) || c.Server.MetricsToken != "from-env" {
				t.Errorf("trusted_proxies %q, metrics_token %q; want the environment's", c.Server.TrustedProxies, c.Server.MetricsToken)
			}
		}},
		{"invalid CIDR", "server:\n  trusted_proxies: [10.0.0.0/8, 10.0.0.0/33]\n", nil, []string{"server.trusted_proxies", `"10.0.0.0/33"`}, nil},
		{"a host name", "server:\n  trusted_proxies: [proxy.internal]\n", nil, []string{"server.trusted_proxies", `"proxy.internal"`}, nil},
		{"metrics_addr without a port", "server:\n  metrics_addr: 127.0.0.1\n", nil, []string{"server.metrics_addr", `"127.0.0.1"`}, nil},
		{"metrics_addr is addr", "server:\n  addr: 127.0.0.1:8080\n  metrics_addr: 127.0.0.1:8080\n", nil, []string{"server.metrics_addr", "server.addr"}, nil},
		{"a token with a space", "server:\n  metrics_token: 'a b'\n", nil, []string{"server.metrics_token"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "config.yaml")
			os.WriteFile(file, []byte(tt.yaml), 0o644)
			getenv := func(k string) string { return tt.env[k] }
			for k, v := range tt.env {
				t.Setenv(k, v) // viper reads the process environment
			}
			fset, _ := serveFlags()
			c, err := loadConfig(fset, file, Env{Getenv: getenv})
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("loadConfig(%q) = nil error; want one naming %q", tt.yaml, tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("loadConfig(%q) = %v; want it to name %s", tt.yaml, err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("loadConfig(%q) = %v", tt.yaml, err)
			}
			tt.check(t, c)
		})
	}
}
