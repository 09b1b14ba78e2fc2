package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/callsim/callsim/sim"
)

// Transport-only error codes, beside the domain codes of package sim.
const (
	codeCSRF        = "csrf"
	codeTooLarge    = "too_large"
	codeUnavailable = "unavailable"
	codeMethod      = "method_not_allowed"
)

// statusOf maps an error code to its HTTP status (docs/api.md).
func statusOf(code string) int {
	switch code {
	case sim.EINVALID:
		return http.StatusBadRequest
	case sim.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case sim.EFORBIDDEN, codeCSRF:
		return http.StatusForbidden
	case sim.ENOTFOUND:
		return http.StatusNotFound
	case sim.ECONFLICT:
		return http.StatusConflict
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case sim.ETOOMANY:
		return http.StatusTooManyRequests
	case codeUnavailable:
		return http.StatusServiceUnavailable
	case codeMethod:
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// apiError is the body of every error response.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Persona upload errors point at the file, field and line.
	File   string `json:"file,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// errorOf turns any error into what the client may see. Internal errors
// get a generic message.
func errorOf(err error) apiError {
	var fe *sim.FieldError
	if errors.As(err, &fe) {
		return apiError{Code: sim.EINVALID, Message: fe.Error(), File: fe.File, Field: fe.Field, Reason: fe.Reason, Line: fe.Line}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apiError{Code: codeTooLarge, Message: "request body too large"}
	}
	return apiError{Code: sim.ErrorCode(err), Message: sim.ErrorMessage(err)}
}

// writeError answers with the error's status and JSON body, and logs
// internal errors once, here at the edge.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := errorOf(err)
	status := statusOf(e.Code)
	if status >= 500 {
		s.Logger.Error("request failed", slog.String("method", r.Method), slog.String("path", logPath(r.URL.Path)),
			slog.String("request_id", requestID(r.Context())), slog.Any("err", err))
	}
	writeJSON(w, status, map[string]apiError{"error": e})
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// decodeJSON reads a JSON request body of at most 1 MiB into v.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return sim.Errorf(sim.EINVALID, "bad JSON body: %v", err)
	}
	return nil
}
