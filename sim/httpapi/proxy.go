package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies parses the CIDRs of server.trusted_proxies
// ("10.0.0.0/8", "::1/128"); a bare address ("127.0.0.1") stands for
// itself alone. The error names the value that is wrong.
func ParseTrustedProxies(cidrs []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range cidrs {
		s = strings.TrimSpace(s)
		p, err := parsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR (like 10.0.0.0/8) or an IP address", s)
		}
		out = append(out, p)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("bad address %q", s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	// Addresses are compared unmapped, so ::ffff:10.0.0.0/104 is 10.0.0.0/8.
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// trustedProxy reports whether a is one of TrustedProxies.
func (s *Server) trustedProxy(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// resolveClient finds the address of the client a request comes from: the
// connection's remote address, unless that is a trusted proxy. Then the
// forwarding headers are read from the right, the hop nearest to us, and
// the first address that is not a trusted proxy is the client; when every
// hop is a trusted proxy, the furthest one is. X-Forwarded-For is read when
// present, else Forwarded (RFC 7239): most proxies append to
// X-Forwarded-For, so a client cannot hide it, while a Forwarded header a
// client made up may pass such a proxy untouched. A hop that is not an
// address ("unknown", an obfuscated name, garbage) makes the client
// unknown: the zero Addr, which is never loopback.
func (s *Server) resolveClient(r *http.Request) netip.Addr {
	remote := remoteAddr(r.RemoteAddr)
	if !s.trustedProxy(remote) {
		return remote
	}
	hops := forwardedFor(r.Header)
	client := remote
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return netip.Addr{}
		}
		client = a
		if !s.trustedProxy(a) {
			break
		}
	}
	return client
}

// remoteAddr parses a connection's "host:port"; the zero Addr when it is
// not an IP address.
func remoteAddr(hostport string) netip.Addr {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// forwardedFor returns the client hops of the request's X-Forwarded-For
// headers or, without them, of its Forwarded headers, left (the original
// client) to right (the proxy nearest to us). Empty list entries are left
// out.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	if len(hops) > 0 {
		return hops
	}
	for _, v := range h.Values("Forwarded") {
		hops = appendForwarded(hops, v)
	}
	return hops
}

// appendForwarded appends the for= value of each element of one Forwarded
// header value (RFC 7239 section 4: elements separated by commas, pairs by
// semicolons, values tokens or quoted strings). An element without for=
// appends "", which is no address.
func appendForwarded(hops []string, v string) []string {
	var (
		forVal  string
		hasElem bool
	)
	endElem := func() {
		if hasElem {
			hops = append(hops, forVal)
		}
		forVal, hasElem = "", false
	}
	for i := 0; i < len(v); {
		switch c := v[i]; {
		case c == ',':
			endElem()
			i++
			continue
		case c == ';' || c == ' ' || c == '\t':
			i++
			continue
		}
		// One pair: name=value.
		j := i
		for j < len(v) && v[j] != '=' && v[j] != ';' && v[j] != ',' {
			j++
		}
		name := strings.TrimSpace(v[i:j])
		hasElem = true
		if j >= len(v) || v[j] != '=' {
			i = j
			continue
		}
		val, next := forwardedValue(v, j+1)
		if strings.EqualFold(name, "for") {
			forVal = val
		}
		i = next
	}
	endElem()
	return hops
}

// forwardedValue reads a token or a quoted string starting at v[i]; it
// returns the value and the index after it.
func forwardedValue(v string, i int) (string, int) {
	if i < len(v) && v[i] == '"' {
		var b strings.Builder
		for i++; i < len(v); i++ {
			switch v[i] {
			case '\\':
				if i+1 < len(v) {
					i++
					b.WriteByte(v[i])
				}
			case '"':
				return b.String(), i + 1
			default:
				b.WriteByte(v[i])
			}
		}
		return b.String(), i // unterminated: the rest
	}
	j := i
	for j < len(v) && v[j] != ';' && v[j] != ',' {
		j++
	}
	return strings.TrimSpace(v[i:j]), j
}

// parseHop reads one forwarded hop: an IPv4 or IPv6 address, possibly with
// a port ("192.0.2.1:4711", "[2001:db8::1]:4711") or in brackets.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return netip.Addr{}, false
		}
		if rest := s[end+1:]; rest != "" && (rest[0] != ':' || !validPort(rest[1:])) {
			return netip.Addr{}, false
		}
		s = s[1:end]
	} else if host, port, err := net.SplitHostPort(s); err == nil && strings.Count(s, ":") == 1 {
		if !validPort(port) {
			return netip.Addr{}, false
		}
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// validPort accepts a port number or an obfuscated port (RFC 7239
// section 6.3: "_" and letters, digits, ".", "_", "-").
func validPort(p string) bool {
	if strings.HasPrefix(p, "_") && len(p) > 1 {
		return true
	}
	if p == "" || len(p) > 5 {
		return false
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// addrString is an address for logs and limiter keys; the zero Addr is
// "unknown".
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	return a.String()
}
