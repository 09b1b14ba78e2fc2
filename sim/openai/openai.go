// Package openai gives the simulated customer a richer voice through an
// OpenAI-compatible chat model (sashabaranov/go-openai). It only rewords
// the engine's line; the engine stays the judge of what happens, and
// package voiceguard checks every rewording before it is said.
//
// Each request has its own deadline (llm.timeout) and is never retried:
// a turn whose request fails keeps the engine's words. After a 429 or a
// 5xx no request is sent until the server's Retry-After (or an exponential
// back-off) has passed, and after too many failures in a row a circuit
// breaker stops calling for a cool-down; meanwhile requests fail at once.
package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/callsim/callsim/sim"
)

// Config sets up a Voice. BaseURL may point at any OpenAI-compatible server,
// for example a local one on 127.0.0.1.
type Config struct {
	BaseURL string
	APIKey  string
	Model   string
	// Timeout is the deadline of one request, streamed or not (10 s when 0).
	Timeout time.Duration
	// Backoff is the first wait after a 429 or 5xx that names no
	// Retry-After; it doubles with each one in a row up to MaxBackoff,
	// which also caps a Retry-After (1 s and 1 min when 0).
	Backoff    time.Duration
	MaxBackoff time.Duration
	// BreakerFailures failures in a row open the circuit for
	// BreakerCooldown (5 and 30 s when 0).
	BreakerFailures int
	BreakerCooldown time.Duration
	// HTTPClient sends the requests; a plain http.Client when nil (the
	// deadline comes from the context).
	HTTPClient *http.Client
	// Logger logs the circuit opening and closing.
	Logger *slog.Logger
	// Now is the clock of the back-off and the breaker; time.Now when nil.
	Now func() time.Time
}

// Config defaults.
const (
	DefaultTimeout         = 10 * time.Second
	DefaultBackoff         = time.Second
	DefaultMaxBackoff      = time.Minute
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 30 * time.Second
)

// Voice implements sim.Voice with a chat completion model. It is safe for
// concurrent use.
type Voice struct {
	client   *goopenai.Client
	model    string
	timeout  time.Duration
	endpoint string
	apiKey   string // only to keep it out of error messages
	health   *health
}

var _ sim.Voice = (*Voice)(nil)

// New returns a Voice for the config.
func New(c Config) (*Voice, error) {
	if c.Model == "" {
		return nil, errors.New("openai: a model is required")
	}
	oc := goopenai.DefaultConfig(c.APIKey)
	if c.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Backoff <= 0 {
		c.Backoff = DefaultBackoff
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	if c.BreakerFailures <= 0 {
		c.BreakerFailures = DefaultBreakerFailures
	}
	if c.BreakerCooldown <= 0 {
		c.BreakerCooldown = DefaultBreakerCooldown
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	oc.HTTPClient = doer{c.HTTPClient}
	return &Voice{
		client:   goopenai.NewClientWithConfig(oc),
		model:    c.Model,
		timeout:  c.Timeout,
		endpoint: endpoint(oc.BaseURL),
		apiKey:   c.APIKey,
		health: &health{now: c.Now, log: c.Logger, backoff: c.Backoff, maxBackoff: c.MaxBackoff,
			threshold: c.BreakerFailures, cooldown: c.BreakerCooldown},
	}, nil
}

// Timeout is the deadline of one request.
func (v *Voice) Timeout() time.Duration { return v.timeout }

// Status reports the endpoint, the model, the state and the last error.
func (v *Voice) Status() Status {
	st, until, failures, lastErr, at := v.health.status()
	return Status{Endpoint: v.endpoint, Model: v.model, State: st, Until: until, Failures: failures, LastError: lastErr, LastErrorAt: at}
}

// endpoint is the base URL without what might be a secret.
func endpoint(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "(unparsable base URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

var instructions = map[sim.Lang]string{
	sim.LangEN: "You voice a customer on a sales phone call. Reword the customer's next line so it sounds natural in this conversation. " +
		"Say exactly the same thing: do not add facts, numbers, reasons, promises or questions that the line does not contain, and do not agree or refuse more than it does. " +
		"Keep it to one or two short spoken sentences in English. Reply with the line only.",
	sim.LangZH: "你在一通销售电话中扮演客户。把客户接下来要说的这句话改写得更自然、更符合这段对话的语气。" +
		"意思必须完全一样：不要添加原句没有的事实、数字、原因、承诺或问题，也不要比原句更同意或更拒绝。" +
		"用一两句简短的中文口语。只输出这句话本身。",
}

// request is the chat completion that rewords req.Line.
func (v *Voice) request(req sim.VoiceRequest) goopenai.ChatCompletionRequest {
	lang := req.Lang
	if !lang.Valid() {
		lang = sim.LangEN
	}
	p := req.Persona.Profile
	var b strings.Builder
	fmt.Fprintf(&b, "Customer: %s, %s, %s. %s\n\nConversation so far:\n", p.Name.In(lang), p.Role.In(lang), p.Company.In(lang), p.Summary.In(lang))
	for _, t := range req.History {
		if t.Trainee != "" {
			fmt.Fprintf(&b, "Salesperson: %s\n", t.Trainee)
		}
		if t.Customer != "" {
			fmt.Fprintf(&b, "Customer: %s\n", t.Customer)
		}
	}
	fmt.Fprintf(&b, "\nThe customer's next line, to reword: %s", req.Line)
	return goopenai.ChatCompletionRequest{
		Model: v.model,
		Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: instructions[lang]},
			{Role: goopenai.ChatMessageRoleUser, Content: b.String()},
		},
		Temperature: 0.7,
		//lint:ignore SA1019 local OpenAI-compatible servers read max_tokens, not max_completion_tokens
		MaxTokens: 200,
	}
}

// errNoChoices: the server answered without a completion.
var errNoChoices = errors.New("no choices in the answer")

// Rephrase asks the model to reword req.Line, within the configured
// timeout. It returns the model's words as they are (quotes trimmed); "" if
// it said nothing. On an error the caller keeps the engine's line.
func (v *Voice) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	probe, err := v.health.admit()
	if err != nil {
		return "", err
	}
	rctx, cancel, info := v.start(ctx)
	defer cancel()
	resp, err := v.client.CreateChatCompletion(rctx, v.request(req))
	if err == nil && len(resp.Choices) == 0 {
		err = errNoChoices
	}
	if err = v.finish(ctx, rctx, probe, info, err); err != nil {
		return "", err
	}
	sim.ReportVoiceUsage(ctx, resp.Usage.TotalTokens)
	return clean(resp.Choices[0].Message.Content), nil
}

// RephraseStream is Rephrase with the answer streamed: onDelta is called
// with each piece of the model's words as it arrives, on the calling
// goroutine, and the whole (quotes trimmed) is returned at the end. The
// timeout covers the whole stream.
func (v *Voice) RephraseStream(ctx context.Context, req sim.VoiceRequest, onDelta func(string)) (string, error) {
	probe, err := v.health.admit()
	if err != nil {
		return "", err
	}
	rctx, cancel, info := v.start(ctx)
	defer cancel()
	cr := v.request(req)
	cr.StreamOptions = &goopenai.StreamOptions{IncludeUsage: true} // the last chunk says what it cost
	stream, err := v.client.CreateChatCompletionStream(rctx, cr)
	if err != nil {
		return "", v.finish(ctx, rctx, probe, info, err)
	}
	defer stream.Close()
	var b strings.Builder
	choices := false
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", v.finish(ctx, rctx, probe, info, err)
		}
		if chunk.Usage != nil {
			sim.ReportVoiceUsage(ctx, chunk.Usage.TotalTokens)
		}
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			choices = true
			d := c.Delta.Content
			if b.Len() == 0 {
				d = strings.TrimLeft(d, " \t\r\n\"“「")
			}
			if d == "" {
				continue
			}
			b.WriteString(d)
			if onDelta != nil {
				onDelta(d)
			}
		}
	}
	switch ct := info.kind(); {
	case !choices && !strings.HasPrefix(ct, "text/event-stream"):
		err = fmt.Errorf("not an event stream but %q", ct)
	case !choices:
		err = errNoChoices
	}
	if err := v.finish(ctx, rctx, probe, info, err); err != nil {
		return "", err
	}
	return clean(b.String()), nil
}

// start gives a request its deadline and a place for the transport to
// note the status and Retry-After of the answer.
func (v *Voice) start(ctx context.Context) (context.Context, context.CancelFunc, *answer) {
	rctx, cancel := context.WithTimeout(ctx, v.timeout)
	info := &answer{}
	return context.WithValue(rctx, answerKey{}, info), cancel, info
}

// finish records the outcome of a request with the breaker and returns
// the error to give the caller: short enough to log, without the API key,
// and still wrapping context.DeadlineExceeded for a request that ran out
// of time.
func (v *Voice) finish(ctx, rctx context.Context, probe bool, info *answer, err error) error {
	if err == nil {
		v.health.succeeded(probe)
		return nil
	}
	status, retryAfter := info.get()
	var msg string
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		v.health.released(probe)
		return fmt.Errorf("openai: rephrase: %w", ctx.Err())
	case rctx.Err() != nil && errors.Is(rctx.Err(), context.DeadlineExceeded):
		msg = fmt.Sprintf("no answer within %s", v.timeout)
		err = context.DeadlineExceeded
	default:
		msg = v.describe(err, status)
	}
	msg = v.redact(msg)
	v.health.failed(probe, status, retryAfter, msg)
	return &requestError{msg: msg, status: status, err: err}
}

// describe says in a line what went wrong; never the whole body of an
// error page.
func (v *Voice) describe(err error, status int) string {
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		s := apiErr.HTTPStatusCode
		if s == 0 {
			s = status
		}
		return fmt.Sprintf("status %d: %s", s, cut(apiErr.Message, 160))
	case errors.As(err, &reqErr):
		return fmt.Sprintf("status %d %s", reqErr.HTTPStatusCode, http.StatusText(reqErr.HTTPStatusCode))
	case errors.Is(err, errNoChoices):
		return err.Error()
	case status == http.StatusOK:
		return "malformed answer: " + cut(err.Error(), 160)
	}
	return cut(err.Error(), 200)
}

func (v *Voice) redact(s string) string {
	if len(v.apiKey) >= 4 {
		s = strings.ReplaceAll(s, v.apiKey, "[api key]")
	}
	return s
}

// requestError is a failed request.
type requestError struct {
	msg    string
	status int
	err    error
}

func (e *requestError) Error() string { return "openai: rephrase: " + e.msg }
func (e *requestError) Unwrap() error { return e.err }

// StatusCode is the HTTP status of the answer, 0 without one.
func (e *requestError) StatusCode() int { return e.status }

// clean trims the white space and quotes a model puts around a line.
func clean(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "\"“”「」"))
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
