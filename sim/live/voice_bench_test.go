package live_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
	"github.com/callsim/callsim/sim/openai"
	"github.com/callsim/callsim/sim/openai/openaitest"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/voiceguard"
)

// BenchmarkVoiceLatency measures, through the live service, the time from
// a trainee's line to the first streamed word and to the whole reply, with
// the guarded voice of a fake model at a local 7B model's pace (first
// token after 300 ms, then a word every 40 ms), against the voice off.
//
//	go test ./sim/live -run '^$' -bench VoiceLatency -benchtime 10x
func BenchmarkVoiceLatency(b *testing.B) {
	const line = "What's the biggest challenge your team has with phone sales?"
	for _, mode := range []string{"off", "7b"} {
		b.Run("voice="+mode, func(b *testing.B) {
			cfg := live.Config{}
			if mode != "off" {
				fake := openaitest.New(b, func(r openaitest.Request) openaitest.Reply {
					// A faithful rewording: the engine's line itself, word by word.
					last := r.Messages[len(r.Messages)-1].Content
					_, text, _ := strings.Cut(last, "to reword: ")
					return openaitest.Reply{Content: text, Delay: 300 * time.Millisecond, ChunkDelay: 40 * time.Millisecond}
				})
				v, err := openai.New(openai.Config{BaseURL: fake.BaseURL(), Model: "fake-7b", Timeout: 10 * time.Second})
				if err != nil {
					b.Fatal(err)
				}
				g, err := voiceguard.New(v, understand.MustNew(), voiceguard.Config{Timeout: 10 * time.Second})
				if err != nil {
					b.Fatal(err)
				}
				cfg.Voice, cfg.VoiceTimeout = g, 11*time.Second
			}
			svc, _ := newService(b, cfg)
			var first, full time.Duration
			for i := 0; b.Loop(); i++ {
				ss := svc.Open(trainee, "north", 256)
				ss.Start(context.Background(), "s", live.StartOptions{Persona: persona, Lang: sim.LangEN, Goal: sim.MilestoneNeed})
				for {
					if _, ok := (<-ss.Events()).(live.CallStarted); ok {
						break
					}
				}
				t0 := time.Now()
				ss.Say("l", nil, line)
				gotFirst := false
				for {
					e := <-ss.Events()
					if _, ok := e.(live.ReplyDelta); ok && !gotFirst {
						first += time.Since(t0)
						gotFirst = true
					}
					if _, ok := e.(live.Replied); ok {
						d := time.Since(t0)
						full += d
						if !gotFirst {
							first += d
						}
						break
					}
				}
				ss.Close()
			}
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms-first-word")
			b.ReportMetric(float64(full.Microseconds())/1000/float64(b.N), "ms-reply")
		})
	}
}
