package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// server.metrics_addr, metrics_token and trusted_proxies reach the server.
func TestServeMetricsListener(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	os.WriteFile(file, []byte("server:\n  addr: 127.0.0.1:0\n  metrics_addr: 127.0.0.1:0\n  metrics_token: scrape-me\n  trusted_proxies: [127.0.0.1/32]\n  data_dir: "+filepath.Join(dir, "data")+"\n"), 0o644)
	fset, _ := serveFlags()
	cfg, err := loadConfig(fset, file, Env{Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	m := NewMain(cfg, Env{Stdout: io.Discard, Stderr: io.Discard}, slog.New(slog.DiscardHandler))
	m.BcryptCost = 4
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := m.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if got := len(m.srv.TrustedProxies); got != 1 {
		t.Errorf("server has %d trusted proxies; want 1", got)
	}
	maddr := m.srv.MetricsListenAddr()
	if maddr == nil {
		t.Fatal("no metrics listener")
	}
	get := func(url, token string) (int, string) {
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := get("http://"+maddr.String()+"/metrics", "scrape-me"); st != http.StatusOK || !strings.Contains(body, "callsim_build_info{") {
		t.Errorf("metrics listener with the token = %d; want 200 with callsim_build_info", st)
	}
	if st, _ := get("http://"+maddr.String()+"/metrics", ""); st != http.StatusUnauthorized {
		t.Errorf("metrics listener without the token = %d; want 401", st)
	}
	if st, _ := get(m.URL()+"metrics", "scrape-me"); st != http.StatusNotFound {
		t.Errorf("main listener /metrics = %d; want 404", st)
	}
}
