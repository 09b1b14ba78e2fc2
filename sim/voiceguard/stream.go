package voiceguard

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// gate passes a streamed voicing on sentence by sentence, each once the
// text up to its end has passed the checks, and stops the stream at the
// first that fails.
type gate struct {
	g      *Guard
	req    sim.VoiceRequest
	out    func(string)
	cancel context.CancelFunc

	mu     sync.Mutex
	buf    strings.Builder
	sent   int // bytes of buf handed to out
	closed bool
	failed string
	detail string
}

// delta takes the next piece of the stream; it runs on the voice's
// goroutine.
func (t *gate) delta(d string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.failed != "" {
		return
	}
	t.buf.WriteString(d)
	s := t.buf.String()
	if n, limit := length(strings.TrimSpace(s)), t.g.limit(t.req.Line); n > limit {
		t.fail(ReasonTooLong, "the stream ran past the length limit")
		return
	}
	cut := sentenceEnd(s)
	if cut <= t.sent || strings.TrimSpace(s[:cut]) == "" {
		return
	}
	switch reason, detail := t.g.Check(t.req, s[:cut]); reason {
	case "":
		t.out(s[t.sent:cut])
		t.sent = cut
	case ReasonLanguage:
		// "OK," opens many a Chinese line: wait for more
	default:
		t.fail(reason, detail)
	}
}

func (t *gate) fail(reason, detail string) {
	t.failed, t.detail = reason, detail
	t.cancel()
}

// close ends the gate: out is not called again. It returns the reason the
// stream failed, if it did, and the text handed out.
func (t *gate) close() (failed, detail, sent string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	return t.failed, t.detail, t.buf.String()[:t.sent]
}

// sentenceEnd returns the byte offset just after the last sentence end in
// s, or 0. A full stop counts only before a space: "2." may go on as 2.5.
func sentenceEnd(s string) int {
	end := 0
	for i, r := range s {
		switch r {
		case '。', '！', '？', '!', '?', '…', '\n', '；', ';':
			end = i + utf8.RuneLen(r)
		case '.':
			if i+1 < len(s) && s[i+1] == ' ' {
				end = i + 1
			}
		}
	}
	return end
}
