// Package openai gives the simulated customer a richer voice through an
// OpenAI-compatible chat model (sashabaranov/go-openai). It only rewords
// the engine's line; the engine stays the judge of what happens.
package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/callsim/callsim/sim"
)

// Voice implements sim.Voice with a chat completion model.
type Voice struct {
	client  *goopenai.Client
	model   string
	timeout time.Duration
}

var _ sim.Voice = (*Voice)(nil)

// Config sets up a Voice. BaseURL may point at any OpenAI-compatible server,
// for example a local one on 127.0.0.1.
type Config struct {
	BaseURL string
	APIKey  string
	Model   string
	Timeout time.Duration
}

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
		c.Timeout = 10 * time.Second
	}
	return &Voice{client: goopenai.NewClientWithConfig(oc), model: c.Model, timeout: c.Timeout}, nil
}

var instructions = map[sim.Lang]string{
	sim.LangEN: "You voice a customer on a sales phone call. Reword the customer's next line so it sounds natural in this conversation. " +
		"Say exactly the same thing: do not add facts, numbers, reasons, promises or questions that the line does not contain, and do not agree or refuse more than it does. " +
		"Keep it to one or two short spoken sentences in English. Reply with the line only.",
	sim.LangZH: "你在一通销售电话中扮演客户。把客户接下来要说的这句话改写得更自然、更符合这段对话的语气。" +
		"意思必须完全一样：不要添加原句没有的事实、数字、原因、承诺或问题，也不要比原句更同意或更拒绝。" +
		"用一两句简短的中文口语。只输出这句话本身。",
}

// Rephrase asks the model to reword req.Line. On any failure the caller
// keeps the engine's line.
func (v *Voice) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
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
	resp, err := v.client.CreateChatCompletion(ctx, goopenai.ChatCompletionRequest{
		Model: v.model,
		Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleSystem, Content: instructions[lang]},
			{Role: goopenai.ChatMessageRoleUser, Content: b.String()},
		},
		Temperature: 0.7,
		//lint:ignore SA1019 local OpenAI-compatible servers read max_tokens, not max_completion_tokens
		MaxTokens: 200,
	})
	if err != nil {
		return "", fmt.Errorf("openai: rephrase: %w", err)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("openai: rephrase: no choices in the answer")
	}
	out := strings.TrimSpace(resp.Choices[0].Message.Content)
	out = strings.Trim(out, "\"“”「」")
	// A voice that rambles or returns nothing is not used.
	if out == "" || utf8.RuneCountInString(out) > 3*utf8.RuneCountInString(req.Line)+80 {
		return "", errors.New("openai: rephrase: unusable answer")
	}
	return out, nil
}
