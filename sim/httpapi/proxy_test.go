package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// MustPrefixes parses trusted proxies or fails the test.
func MustPrefixes(tb testing.TB, cidrs ...string) []netip.Prefix {
	tb.Helper()
	ps, err := ParseTrustedProxies(cidrs)
	if err != nil {
		tb.Fatalf("ParseTrustedProxies(%q) = %v", cidrs, err)
	}
	return ps
}

func TestParseTrustedProxies(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    []string // the prefixes as strings
		wantErr string
	}{
		{"none", nil, nil, ""},
		{"cidrs", []string{"10.0.0.0/8", " 192.168.1.0/24 ", "2001:db8::/32"}, []string{"10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32"}, ""},
		{"bare addresses", []string{"127.0.0.1", "::1"}, []string{"127.0.0.1/32", "::1/128"}, ""},
		{"host bits are masked", []string{"10.1.2.3/8"}, []string{"10.0.0.0/8"}, ""},
		{"mapped IPv4 is IPv4", []string{"::ffff:10.0.0.0/104"}, []string{"10.0.0.0/8"}, ""},
		{"prefix too long", []string{"10.0.0.0/33"}, nil, `"10.0.0.0/33"`},
		{"a name", []string{"proxy.internal"}, nil, `"proxy.internal"`},
		{"empty", []string{""}, nil, `""`},
		{"a zone", []string{"fe80::1%eth0"}, nil, `"fe80::1%eth0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTrustedProxies(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseTrustedProxies(%q) = %v, %v; want an error naming %s", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTrustedProxies(%q) = %v", tt.in, err)
			}
			var gs []string
			for _, p := range got {
				gs = append(gs, p.String())
			}
			if strings.Join(gs, " ") != strings.Join(tt.want, " ") {
				t.Errorf("ParseTrustedProxies(%q) = %v; want %v", tt.in, gs, tt.want)
			}
		})
	}
}

func TestResolveClient(t *testing.T) {
	s := &Server{TrustedProxies: MustPrefixes(t, "127.0.0.1/32", "10.0.0.0/8", "::1/128")}
	tests := []struct {
		name   string
		remote string
		hdr    http.Header
		want   string
	}{
		{"direct", "192.0.2.1:5555", nil, "192.0.2.1"},
		{"untrusted remote: headers ignored", "192.0.2.1:5555", http.Header{"X-Forwarded-For": {"127.0.0.1"}, "Forwarded": {"for=127.0.0.1"}}, "192.0.2.1"},
		{"trusted proxy without headers", "127.0.0.1:5555", nil, "127.0.0.1"},
		{"one proxy", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"203.0.113.7"}}, "203.0.113.7"},
		{"rightmost untrusted hop", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"198.51.100.9, 203.0.113.7, 10.1.1.1"}}, "203.0.113.7"},
		{"a spoofed left hop is not believed", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"127.0.0.1, 203.0.113.7"}}, "203.0.113.7"},
		{"several header lines", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"198.51.100.9", "203.0.113.7, 10.0.0.2"}}, "203.0.113.7"},
		{"every hop trusted: the furthest", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"10.0.0.3, 10.0.0.2"}}, "10.0.0.3"},
		{"hop with a port", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"203.0.113.7:4711"}}, "203.0.113.7"},
		{"IPv6 hop", "[::1]:5555", http.Header{"X-Forwarded-For": {"2001:db8::7"}}, "2001:db8::7"},
		{"IPv6 hop in brackets with a port", "[::1]:5555", http.Header{"X-Forwarded-For": {"[2001:db8::7]:4711"}}, "2001:db8::7"},
		{"mapped IPv4 remote", "[::ffff:127.0.0.1]:5555", http.Header{"X-Forwarded-For": {"203.0.113.7"}}, "203.0.113.7"},
		{"garbage hop: unknown", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"203.0.113.7, nonsense"}}, "unknown"},
		{"garbage beyond the client is not read", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"nonsense, 203.0.113.7"}}, "203.0.113.7"},
		{"empty entries are skipped", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"203.0.113.7, , "}}, "203.0.113.7"},
		{"forwarded", "127.0.0.1:5555", http.Header{"Forwarded": {"for=203.0.113.7;proto=https;by=10.0.0.1"}}, "203.0.113.7"},
		{"forwarded, quoted IPv6 with port", "127.0.0.1:5555", http.Header{"Forwarded": {`for="[2001:db8:cafe::17]:4711"`}}, "2001:db8:cafe::17"},
		{"forwarded, several elements", "127.0.0.1:5555", http.Header{"Forwarded": {"for=198.51.100.9, For=203.0.113.7", "for=10.0.0.5"}}, "203.0.113.7"},
		{"forwarded unknown", "127.0.0.1:5555", http.Header{"Forwarded": {"for=unknown"}}, "unknown"},
		{"forwarded obfuscated", "127.0.0.1:5555", http.Header{"Forwarded": {"for=_hidden"}}, "unknown"},
		{"forwarded element without for", "127.0.0.1:5555", http.Header{"Forwarded": {"proto=https"}}, "unknown"},
		{"forwarded obfuscated port", "127.0.0.1:5555", http.Header{"Forwarded": {`for="203.0.113.7:_p1"`}}, "203.0.113.7"},
		{"X-Forwarded-For wins over Forwarded", "127.0.0.1:5555", http.Header{"X-Forwarded-For": {"203.0.113.7"}, "Forwarded": {"for=127.0.0.1"}}, "203.0.113.7"},
		{"remote without a port", "192.0.2.1", nil, "192.0.2.1"},
		{"remote not an address", "pipe", nil, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for k, vs := range tt.hdr {
				for _, v := range vs {
					r.Header.Add(k, v)
				}
			}
			if got := addrString(s.resolveClient(r)); got != tt.want {
				t.Errorf("resolveClient(%q, %v) = %s; want %s", tt.remote, tt.hdr, got, tt.want)
			}
		})
	}

	t.Run("no trusted proxies", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:5555"
		r.Header.Set("X-Forwarded-For", "203.0.113.7")
		if got := addrString((&Server{}).resolveClient(r)); got != "127.0.0.1" {
			t.Errorf("resolveClient without trusted proxies = %s; want the connection's 127.0.0.1", got)
		}
	})
}

// Forwarding headers come from anyone who reaches a trusted proxy.
func FuzzForwardedFor(f *testing.F) {
	for _, seed := range []string{
		"for=192.0.2.43", `for="[2001:db8:cafe::17]:4711";proto=http`, "for=unknown, for=_x", `for="unterminated`,
		"for=;;,,", `for="\"\\"`, "203.0.113.7, 10.0.0.1", "[::1", "[::1]x", "1.2.3.4:99999",
	} {
		f.Add(seed, seed)
	}
	s := &Server{TrustedProxies: MustPrefixes(f, "127.0.0.1/32", "10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, xff, fwd string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:1"
		r.Header = http.Header{"Forwarded": {fwd}}
		if xff != "" {
			r.Header["X-Forwarded-For"] = []string{xff}
		}
		a := s.resolveClient(r)
		if a.IsValid() && a.Zone() != "" || a.Is4In6() {
			t.Errorf("resolveClient(%q, %q) = %v: zoned or mapped", xff, fwd, a)
		}
		if hops := forwardedFor(r.Header); len(hops) == 0 && a != netip.MustParseAddr("127.0.0.1") {
			t.Errorf("resolveClient(%q, %q) = %v without hops; want the proxy", xff, fwd, a)
		}
	})
}
