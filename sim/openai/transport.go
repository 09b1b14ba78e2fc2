package openai

import (
	"io"
	"net/http"
	"sync"
)

// maxAnswer bounds what is read of one answer: a misconfigured server
// (an HTML error page, an endless stream) cannot fill the memory.
const maxAnswer = 1 << 20

// answer is what the transport saw of a request's answer, for the
// back-off: go-openai's errors carry no headers.
type answer struct {
	mu          sync.Mutex
	status      int
	retryAfter  string
	contentType string
}

func (a *answer) get() (int, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status, a.retryAfter
}

func (a *answer) kind() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.contentType
}

type answerKey struct{}

// doer is the HTTP client go-openai sends through: it notes the status and
// Retry-After of each answer in the request's context, and bounds the body.
type doer struct{ c *http.Client }

func (d doer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if err != nil {
		return resp, err
	}
	if a, ok := req.Context().Value(answerKey{}).(*answer); ok {
		a.mu.Lock()
		a.status, a.retryAfter, a.contentType = resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type")
		a.mu.Unlock()
	}
	resp.Body = limitedBody{io.LimitReader(resp.Body, maxAnswer), resp.Body}
	return resp, nil
}

type limitedBody struct {
	io.Reader
	io.Closer
}
