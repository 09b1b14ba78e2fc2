package httpapi

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
)

// TestBehindARealProxy puts a reverse proxy (net/http/httputil) in front of
// the real server, as nginx or Caddy on the same machine would be. Clients
// reach it from elsewhere: their address comes in X-Forwarded-For, which the
// proxy extends with its own hop. With server.trusted_proxies naming the
// proxy, a remote client is refused /metrics and has its own login bucket;
// without it, every client looks like the proxy's loopback address — the
// danger the README warns about.
func TestBehindARealProxy(t *testing.T) {
	t.Parallel()
	for _, trusted := range []bool{true, false} {
		name := map[bool]string{true: "trusted_proxies set", false: "trusted_proxies unset"}[trusted]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(s *Server) {
				if trusted {
					s.TrustedProxies = MustPrefixes(t, "127.0.0.1/32")
				}
				s.LoginAttempts = 2
			})
			backend, _ := url.Parse(e.ts.URL)
			proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(backend))
			t.Cleanup(proxy.Close)
			from := func(client, method, path string, body []byte) int {
				req, _ := http.NewRequest(method, proxy.URL+path, bytes.NewReader(body))
				req.Header.Set("X-Forwarded-For", client) // the client's address, as the edge saw it
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			metrics := from("203.0.113.7", "GET", "/metrics", nil)
			if trusted && metrics == http.StatusOK {
				t.Errorf("/metrics from a remote client through the trusted proxy = %d; want refused", metrics)
			}
			if !trusted && metrics != http.StatusOK {
				t.Errorf("/metrics through an untrusted local proxy = %d; want 200 (everyone looks like loopback)", metrics)
			}
			// Two bad logins from one client lock that client out; another
			// client is locked out too only when the proxy is not trusted.
			bad := []byte(`{"username":"nobody","password":"wrong"}`)
			for range 2 {
				from("198.51.100.1", "POST", "/api/v1/login", bad)
			}
			other := from("198.51.100.2", "POST", "/api/v1/login", []byte(`{"username":"anna","password":"`+testPassword+`"}`))
			if trusted && other != http.StatusOK {
				t.Errorf("another client's login through the trusted proxy = %d; want 200 (its own bucket)", other)
			}
			if !trusted && other != http.StatusTooManyRequests {
				t.Errorf("another client's login through an untrusted proxy = %d; want 429 (one shared bucket)", other)
			}
		})
	}
}
