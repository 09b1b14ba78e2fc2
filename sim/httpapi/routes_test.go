package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A known API path asked with another method answers 405 with Allow; an
// unknown one answers the JSON 404.
func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		method, path string
		want         int
		allow        string
		code         string // the JSON error code, when an API error
	}{
		{"DELETE", "/api/v1/me", 405, "GET, HEAD", codeMethod},
		{"GET", "/api/v1/login", 405, "POST", codeMethod},
		{"PUT", "/api/v1/deals/d_0123456789abcdef", 405, "GET, HEAD", codeMethod},
		{"GET", "/api/v1/deals/d_0123456789abcdef/comments", 405, "POST", codeMethod},
		{"POST", "/api/v1/personas/st-wang-director", 405, "GET, HEAD, PUT, DELETE", codeMethod},
		{"DELETE", "/api/v1/users", 405, "GET, HEAD, POST", codeMethod},
		{"POST", "/api/v1/deals.csv", 405, "GET, HEAD", codeMethod},
		{"GET", "/api/v1/nope", 404, "", "not_found"},
		{"POST", "/api/v1/nope", 404, "", "not_found"},
		{"GET", "/api/v2/me", 404, "", "not_found"},
		{"GET", "/api/v1/personas/", 404, "", "not_found"},
		// Allowed methods still reach their handlers.
		{"GET", "/api/v1/me", 401, "", "unauthorized"},
		{"HEAD", "/api/v1/me", 401, "", ""},
		// Outside the API.
		{"POST", "/healthz", 405, "GET, HEAD", ""},
		{"POST", "/", 405, "GET, HEAD", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.RemoteAddr = "192.0.2.1:1"
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.want || rec.Header().Get("Allow") != tt.allow {
				t.Fatalf("%s %s = %d, Allow %q; want %d, %q", tt.method, tt.path, rec.Code, rec.Header().Get("Allow"), tt.want, tt.allow)
			}
			if tt.code == "" {
				return
			}
			var body struct {
				Error apiError `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != tt.code {
				t.Errorf("%s %s body %s; want the JSON error %s", tt.method, tt.path, rec.Body.Bytes(), tt.code)
			}
		})
	}
	if got := statusOf(codeMethod); got != http.StatusMethodNotAllowed {
		t.Errorf("statusOf(%q) = %d; want 405", codeMethod, got)
	}
}
