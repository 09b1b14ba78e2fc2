// Package openaitest is a fake OpenAI-compatible chat model on loopback,
// for tests: it answers POST /v1/chat/completions, as JSON or as a
// server-sent event stream (stream: true), the way each test tells it to —
// well or badly.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Reply is how the fake answers one request. The zero value is a 200 with
// an empty completion.
type Reply struct {
	// Status is the HTTP status; 200 when 0. Any other status is sent with
	// Body, or an OpenAI-style JSON error when Body is empty.
	Status     int
	RetryAfter string // the Retry-After header, if any
	// Body, when set, is sent as it is instead of a completion: an HTML
	// error page, malformed JSON.
	Body        string
	ContentType string // of Body; text/html when empty
	// Content is the completion's text. A stream sends it in Chunks, or
	// word by word when Chunks is nil.
	Content string
	Chunks  []string
	// NoChoices answers with an empty choices list.
	NoChoices bool
	// Delay is waited before answering, ChunkDelay before each chunk of a
	// stream; both end early when the client goes away.
	Delay      time.Duration
	ChunkDelay time.Duration
}

// Request is what the fake was sent.
type Request struct {
	Model         string
	Stream        bool
	Messages      []Message
	Authorization string
}

// Message is one chat message of a request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Server is the fake model.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	reply    func(Request) Reply
	requests []Request
}

// New starts a fake model that answers each request with reply(request),
// and closes it when the test ends.
func New(tb testing.TB, reply func(Request) Reply) *Server {
	tb.Helper()
	s := &Server{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Answer is a reply function that always answers r.
func Answer(r Reply) func(Request) Reply { return func(Request) Reply { return r } }

// BaseURL is the URL to configure a client with, ending in /v1.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// SetReply changes how the fake answers from now on.
func (s *Server) SetReply(reply func(Request) Reply) {
	s.mu.Lock()
	s.reply = reply
	s.mu.Unlock()
}

// Requests returns the requests the fake received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var body struct {
		Model    string    `json:"model"`
		Stream   bool      `json:"stream"`
		Messages []Message `json:"messages"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	req := Request{Model: body.Model, Stream: body.Stream, Messages: body.Messages, Authorization: r.Header.Get("Authorization")}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	reply := s.reply
	s.mu.Unlock()
	rep := reply(req)
	if !wait(r, rep.Delay) {
		return
	}
	if rep.RetryAfter != "" {
		w.Header().Set("Retry-After", rep.RetryAfter)
	}
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case rep.Body != "":
		ct := rep.ContentType
		if ct == "" {
			ct = "text/html; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		fmt.Fprint(w, rep.Body)
	case status != http.StatusOK:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":%q,"type":"fake_error"}}`, http.StatusText(status))
	case req.Stream:
		s.stream(w, r, rep)
	default:
		choices := []any{}
		if !rep.NoChoices {
			choices = append(choices, map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]string{"role": "assistant", "content": rep.Content}})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"id": "fake", "object": "chat.completion", "model": req.Model, "choices": choices,
			"usage": map[string]int{"prompt_tokens": 40, "completion_tokens": len(words(rep.Content)), "total_tokens": 40 + len(words(rep.Content))}})
	}
}

// stream sends rep.Content as server-sent events.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, rep Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush() // the headers at once, as a real server does
	}
	chunks := rep.Chunks
	if chunks == nil {
		chunks = words(rep.Content)
	}
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	for i, c := range chunks {
		if !wait(r, rep.ChunkDelay) {
			return
		}
		choices := []any{}
		if !rep.NoChoices {
			delta := map[string]string{"content": c}
			if i == 0 {
				delta["role"] = "assistant"
			}
			choices = append(choices, map[string]any{"index": 0, "delta": delta, "finish_reason": nil})
		}
		send(map[string]any{"id": "fake", "object": "chat.completion.chunk", "model": "fake", "choices": choices})
	}
	// A last chunk with the usage, as servers do when asked for it.
	send(map[string]any{"id": "fake", "object": "chat.completion.chunk", "model": "fake", "choices": []any{},
		"usage": map[string]int{"prompt_tokens": 40, "completion_tokens": len(chunks), "total_tokens": 40 + len(chunks)}})
	fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

// words splits s after each space, keeping the spaces.
func words(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// wait waits d, or until the client goes away (false).
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
