package personas_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// replyMark begins a comment line of a natural playthrough that records
// what the customer said when the call was played live: the pickup before
// a call's first line, the reply after every line of the trainee's.
const replyMark = "#< "

// recordedReplies returns the replies a playthrough file recorded, in
// order, or nil when it records none.
func recordedReplies(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if r, ok := strings.CutPrefix(l, replyMark); ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// diverged says where a replay's replies first differ from the ones the
// file recorded, or "" when they agree (or none were recorded).
func diverged(recorded []string, s *sim.Scorecard) string {
	if len(recorded) == 0 {
		return ""
	}
	for i, tt := range s.Transcript {
		if i >= len(recorded) {
			return fmt.Sprintf("%d.%d: the replay goes on past the %d recorded replies", tt.Call, tt.Turn, len(recorded))
		}
		if tt.Customer != recorded[i] {
			return fmt.Sprintf("%d.%d: recorded %q, now %q", tt.Call, tt.Turn, recorded[i], tt.Customer)
		}
	}
	if len(recorded) > len(s.Transcript) {
		return fmt.Sprintf("the replay ends after %d of %d recorded replies", len(s.Transcript), len(recorded))
	}
	return ""
}

// withReplies returns the playthrough file's text with the replies of s
// recorded after the lines they answer, any older record dropped.
func withReplies(text string, s *sim.Scorecard) string {
	var out []string
	k := 0 // next transcript turn
	next := func() {
		if k < len(s.Transcript) {
			out = append(out, replyMark+s.Transcript[k].Customer)
			k++
		}
	}
	callStarted := false
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, replyMark):
			continue
		case t == "---":
			out = append(out, l)
			callStarted = false
			continue
		case t == "" || strings.HasPrefix(t, "#"):
			out = append(out, l)
			continue
		}
		if !callStarted {
			next() // the pickup
			callStarted = true
		}
		out = append(out, l)
		next()
	}
	return strings.Join(out, "\n") + "\n"
}

// TestNaturalRecord writes into the playthrough file NATURAL_RECORD the
// customer's replies as the engine gives them now. Run it right after the
// call was played live, on the same engine, so that TestNaturalPlaythroughs
// can tell when a later change makes the customer answer differently (the
// fair outcome was judged on the replies the player saw).
func TestNaturalRecord(t *testing.T) {
	path := os.Getenv("NATURAL_RECORD")
	if path == "" {
		t.Skip("NATURAL_RECORD=testdata/natural/FILE records the customer's replies in FILE")
	}
	env := loadPlayEnv(t)
	var c *naturalCase
	for _, nc := range readNaturalCases(t) {
		if nc.file == path {
			c = &nc
		}
	}
	if c == nil {
		t.Fatalf("%s is not a natural playthrough", path)
	}
	s := env.play(t, playCase{persona: c.persona, lang: c.lang, kind: c.kind, path: c.file})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(withReplies(string(b), s)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Recording a playthrough's replies and checking a replay against them:
// the record sits after the lines it answers, a second record replaces the
// first, and a changed reply is found at its turn.
func TestRecordedReplies(t *testing.T) {
	s := &sim.Scorecard{Transcript: []sim.TranscriptTurn{
		{Call: 1, Turn: 0, Customer: "Hello?"},
		{Call: 1, Turn: 1, Trainee: "Hi, Anna from Acme.", Customer: "Go on."},
		{Call: 2, Turn: 0, Customer: "You again."},
		{Call: 2, Turn: 1, Trainee: "Did you look at it?", Customer: "I had a look."},
	}}
	text := "# persona: x\n# goal: need\nHi, Anna from Acme.\n---\n# goal: offer\nDid you look at it?\n"
	want := "# persona: x\n# goal: need\n#< Hello?\nHi, Anna from Acme.\n#< Go on.\n---\n# goal: offer\n#< You again.\nDid you look at it?\n#< I had a look.\n"
	got := withReplies(text, s)
	if got != want {
		t.Fatalf("withReplies:\n%s\nwant:\n%s", got, want)
	}
	if again := withReplies(got, s); again != want {
		t.Errorf("recording twice:\n%s\nwant:\n%s", again, want)
	}
	dir := t.TempDir()
	path := dir + "/x.txt"
	if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, err := recordedReplies(path)
	if err != nil {
		t.Fatal(err)
	}
	if where := diverged(rec, s); where != "" {
		t.Errorf("the same replies diverge: %s", where)
	}
	s.Transcript[3].Customer = "Not yet."
	if where := diverged(rec, s); !strings.HasPrefix(where, "2.1:") {
		t.Errorf("a changed reply at 2.1: diverged says %q", where)
	}
	if where := diverged(nil, s); where != "" {
		t.Errorf("nothing recorded: diverged says %q", where)
	}
}
