package sim

import (
	"os"
	"testing"
)

// TestClassifierDebug prints the tokens and features of CLASSIFY_DEBUG.
func TestClassifierDebug(t *testing.T) {
	line := os.Getenv("CLASSIFY_DEBUG")
	if line == "" {
		t.Skip("set CLASSIFY_DEBUG to a line")
	}
	c := NewClassifier()
	toks, _ := c.tokenize(nil, c.Normalize(line))
	c.m.setIDs(toks)
	for _, h := range c.m.scan(nil, toks) {
		s := ""
		for _, tk := range toks[h.pos:h.end] {
			s += tk.s + " "
		}
		t.Logf("f=%d clause=%d sent=%d %q", h.f, h.clause, h.sent, s)
	}
	t.Logf("%+v", c.Classify(line, LangAuto))
}
