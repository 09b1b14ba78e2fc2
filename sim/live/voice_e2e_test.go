package live_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
	"github.com/callsim/callsim/sim/openai"
	"github.com/callsim/callsim/sim/openai/openaitest"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/voiceguard"
)

// TestMisbehavingModelThroughTheCall plays a call through the live service
// with the guarded voice of a fake OpenAI-compatible model that misbehaves:
// it leaks an amount, sells, answers in the other language, is too slow,
// or fails. In every case the trainee is shown the engine's own line, the
// call goes on, the discard is counted, and the configured timeout holds.
func TestMisbehavingModelThroughTheCall(t *testing.T) {
	const timeout = 400 * time.Millisecond
	cases := []struct {
		name   string
		reply  openaitest.Reply
		reason string
	}{
		{"leaks an amount", openaitest.Reply{Content: "Honestly, my budget is 26,000 yuan, 32,000 at most."}, "amount"},
		{"sells", openaitest.Reply{Content: "Let me tell you about our software, 20% off today. Deal?"}, "seller_act"},
		{"other language", openaitest.Reply{Content: "我们团队现在最大的问题是新人留不住。"}, "language"},
		{"too slow", openaitest.Reply{Content: "Fine.", Delay: 3 * time.Second}, "late"},
		{"server error", openaitest.Reply{Status: 500}, "error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := openaitest.New(t, openaitest.Answer(tc.reply))
			v, err := openai.New(openai.Config{BaseURL: fake.BaseURL(), Model: "fake", Timeout: timeout, BreakerFailures: 100})
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			reasons := map[string]int{}
			g, err := voiceguard.New(v, understand.MustNew(), voiceguard.Config{Timeout: timeout,
				OnDiscard: func(r string) { mu.Lock(); reasons[r]++; mu.Unlock() }})
			if err != nil {
				t.Fatal(err)
			}
			plainSvc, _ := newService(t, live.Config{})
			svc, store := newService(t, live.Config{Voice: g, VoiceTimeout: timeout + time.Second})
			plain, voiced := plainSvc.Open(trainee, "north", 64), svc.Open(trainee, "north", 64)
			start(t, plain)
			voiced.Start(context.Background(), "s", live.StartOptions{Persona: persona, Lang: sim.LangEN, Goal: sim.MilestoneNeed})
			for {
				if _, ok := next(t, voiced).(live.CallStarted); ok {
					break
				}
			}
			for i, line := range []string{
				"Hi, this is Anna from Acme Training, do you have two minutes?",
				"What's the biggest challenge your team has with phone sales?",
			} {
				plain.Say("p", nil, line)
				began := time.Now()
				voiced.Say("v", nil, line)
				want := waitReply(t, plain)
				got := waitReply(t, voiced)
				if took := time.Since(began); took > timeout+time.Second {
					t.Errorf("line %d: the reply took %v; want within the timeout %v and a moment", i, took, timeout)
				}
				if got.Reply.Text != want.Reply.Text {
					t.Errorf("line %d: the trainee was shown %q; want the engine's own line %q", i, got.Reply.Text, want.Reply.Text)
				}
				if strings.Contains(got.Reply.Text, "26,000") || strings.Contains(got.Reply.Text, "20% off") {
					t.Errorf("line %d: a guarded voicing reached the trainee: %q", i, got.Reply.Text)
				}
			}
			// The dropped voicing is recorded on its turn, for the coach.
			rec, _ := store.FindDealByID(context.Background(), "d1")
			sc, _, err := svc.Scorecard(context.Background(), rec)
			if err != nil || sc == nil {
				t.Fatalf("scorecard: %v", err)
			}
			recorded := false
			for _, tt := range sc.Transcript {
				recorded = recorded || tt.VoiceReason == tc.reason && tt.Shown == ""
			}
			if !recorded {
				t.Errorf("no turn records the dropped voicing (%s) without shown words: %+v", tc.reason, sc.Transcript)
			}
			mu.Lock()
			defer mu.Unlock()
			if reasons[tc.reason] == 0 {
				t.Errorf("discards counted %v; want %s", reasons, tc.reason)
			}
		})
	}
}

func waitReply(t *testing.T, ss *live.Session) live.Replied {
	t.Helper()
	for {
		if r, ok := next(t, ss).(live.Replied); ok {
			return r
		}
	}
}

// TestVoiceTokensAndLatencyPerTurn: a faithful rewording is shown, and the
// turn records how long the voice took and the tokens the model spent (as
// its server reports them, streamed or not).
func TestVoiceTokensAndLatencyPerTurn(t *testing.T) {
	fake := openaitest.New(t, func(r openaitest.Request) openaitest.Reply {
		_, text, _ := strings.Cut(r.Messages[len(r.Messages)-1].Content, "to reword: ")
		return openaitest.Reply{Content: text, Delay: 20 * time.Millisecond}
	})
	v, err := openai.New(openai.Config{BaseURL: fake.BaseURL(), Model: "fake", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	g, err := voiceguard.New(v, understand.MustNew(), voiceguard.Config{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	svc, store := newService(t, live.Config{Voice: g, VoiceTimeout: 6 * time.Second})
	ss := svc.Open(trainee, "north", 64)
	ss.Start(context.Background(), "s", live.StartOptions{Persona: persona, Lang: sim.LangEN, Goal: sim.MilestoneNeed})
	for {
		if _, ok := next(t, ss).(live.CallStarted); ok {
			break
		}
	}
	ss.Say("l", nil, "Hi, this is Anna from Acme Training, do you have two minutes?")
	waitReply(t, ss)
	rec, _ := store.FindDealByID(context.Background(), "d1")
	sc, _, err := svc.Scorecard(context.Background(), rec)
	if err != nil || sc == nil {
		t.Fatalf("scorecard: %v", err)
	}
	for _, tt := range sc.Transcript {
		if tt.Call == 1 && tt.Turn == 1 {
			if tt.VoiceTokens <= 0 || tt.VoiceMillis < 20 || tt.VoiceReason != "" {
				t.Errorf("turn 1.1: tokens %d, %d ms, reason %q; want the model's tokens, at least 20 ms, no drop", tt.VoiceTokens, tt.VoiceMillis, tt.VoiceReason)
			}
			return
		}
	}
	t.Fatal("no turn 1.1")
}
