package voiceguard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/openai"
	"github.com/callsim/callsim/sim/openai/openaitest"
	"github.com/callsim/callsim/sim/voiceguard"
)

// The adapter streams the way the guard gates.
var _ voiceguard.StreamVoice = (*openai.Voice)(nil)

// TestGuardOverOpenAI runs the guard over the real adapter against a fake
// OpenAI-compatible server that misbehaves on purpose: in every case the
// persona's own line is said, the reason is reported, and the configured
// timeout holds; a model that behaves is heard.
func TestGuardOverOpenAI(t *testing.T) {
	const timeout = 300 * time.Millisecond
	const slack = 400 * time.Millisecond // what the scheduler may add under -race on a busy machine
	en := problemRequest(t)
	zh := sim.VoiceRequest{Lang: sim.LangZH, Persona: wang(t), Situation: sim.SitProblem, Line: "团队的电话水平参差不齐，老的还行，新的不太行。"}
	postpone := sim.VoiceRequest{Lang: sim.LangEN, Persona: wang(t), Situation: sim.SitTimePostpone,
		Line: "The price is fine, but the timing… let's revisit it next quarter."}
	html := "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>" +
		strings.Repeat("<p>upstream error</p>", 100) + "</body></html>"
	good := "Honestly, the veterans do fine on the phone, but the new people struggle."
	tests := []struct {
		name   string
		req    sim.VoiceRequest
		reply  openaitest.Reply
		reason string // "" when the voicing is heard
	}{
		{"good", en, openaitest.Reply{Content: good}, ""},
		{"good zh", zh, openaitest.Reply{Content: "说实话，老销售还可以，新人就差点意思了。"}, ""},
		{"leaks an amount", en, openaitest.Reply{Content: "Honestly, my budget is 26,000 yuan, 32,000 at most."}, voiceguard.ReasonAmount},
		{"leaks an amount zh", zh, openaitest.Reply{Content: "说实话，我的预算是两万六，最多三万二。"}, voiceguard.ReasonAmount},
		{"sells", en, openaitest.Reply{Content: "Let me tell you about our software… 20% off. Deal?"}, voiceguard.ReasonSellerAct},
		{"contradicts", postpone, openaitest.Reply{Content: "Great, let's do it. Send me the contract and we'll start right away."}, voiceguard.ReasonContradiction},
		{"other language", en, openaitest.Reply{Content: "团队的电话水平参差不齐，老的还行，新的不太行。"}, voiceguard.ReasonLanguage},
		{"other language zh", zh, openaitest.Reply{Content: "Phone skills are uneven: the veterans are fine, the newcomers not so much."}, voiceguard.ReasonLanguage},
		{"slow", en, openaitest.Reply{Delay: 3 * time.Second, Content: good}, voiceguard.ReasonLate},
		{"slow stream", en, openaitest.Reply{ChunkDelay: 120 * time.Millisecond, Content: good}, voiceguard.ReasonLate},
		{"429", en, openaitest.Reply{Status: 429, RetryAfter: "30"}, voiceguard.ReasonError},
		{"500", en, openaitest.Reply{Status: 500}, voiceguard.ReasonError},
		{"502 html", en, openaitest.Reply{Status: 502, Body: html}, voiceguard.ReasonError},
		{"malformed json", en, openaitest.Reply{Body: `{"id":"x","choices":[{"message":{"content":"Hon`, ContentType: "application/json"}, voiceguard.ReasonError},
		{"empty choices", en, openaitest.Reply{NoChoices: true}, voiceguard.ReasonError},
		{"empty content", en, openaitest.Reply{Content: "  "}, voiceguard.ReasonEmpty},
	}
	for _, tt := range tests {
		for _, stream := range []bool{false, true} {
			name := tt.name
			if stream {
				name += " (stream)"
			} else if tt.name == "slow stream" {
				continue
			}
			t.Run(name, func(t *testing.T) {
				srv := openaitest.New(t, openaitest.Answer(tt.reply))
				v, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "m", Timeout: timeout})
				if err != nil {
					t.Fatal(err)
				}
				var rs reasons
				g := mustGuard(t, v, voiceguard.Config{Timeout: timeout, OnDiscard: rs.add})
				began := time.Now()
				var text, reason string
				if stream {
					text, reason = g.RewordStream(t.Context(), tt.req, nil)
				} else {
					text, reason = g.Reword(t.Context(), tt.req)
				}
				if elapsed := time.Since(began); elapsed > timeout+slack {
					t.Errorf("took %v; want at most the timeout %v and %v", elapsed, timeout, slack)
				}
				want := tt.req.Line
				if tt.reason == "" {
					want = tt.reply.Content
				}
				if text != want || reason != tt.reason {
					t.Fatalf("= %q, %q; want %q, %q", text, reason, want, tt.reason)
				}
				if r := rs.all(); tt.reason != "" && (len(r) != 1 || r[0] != tt.reason) {
					t.Errorf("reported %q; want [%s]", r, tt.reason)
				}
				if n := len(srv.Requests()); n != 1 || srv.Requests()[0].Stream != stream {
					t.Errorf("%d requests (stream %v); want one", n, stream)
				}
			})
		}
	}
}

// TestGuardOverOpenAIBackoff: after a 429 the next turns fail fast, without
// a request, and are counted as unavailable.
func TestGuardOverOpenAIBackoff(t *testing.T) {
	srv := openaitest.New(t, openaitest.Answer(openaitest.Reply{Status: 429, RetryAfter: "60"}))
	v, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "m", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var rs reasons
	g := mustGuard(t, v, voiceguard.Config{OnDiscard: rs.add})
	req := problemRequest(t)
	for range 3 {
		if text, _ := g.Reword(t.Context(), req); text != req.Line {
			t.Fatalf("Reword() = %q; want the engine's line", text)
		}
	}
	if got, want := rs.all(), []string{voiceguard.ReasonError, voiceguard.ReasonUnavailable, voiceguard.ReasonUnavailable}; !equal(got, want) {
		t.Fatalf("reported %q; want %q", got, want)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests; want 1: none while backing off", n)
	}
	if st := v.Status(); st.State != openai.StateBackingOff {
		t.Fatalf("Status() = %+v; want backing_off", st)
	}
}
