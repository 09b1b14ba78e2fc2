package understand

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestConcepts checks meaning-based matching: stems, concept groups, the
// objection kinds and topics, on short and very long lines.
func TestConcepts(t *testing.T) {
	e := MustNew()
	long := strings.Repeat("well ", 70) + "your customer records stay with the company"
	tests := []struct {
		name, line string
		terms      []string
		want       bool
	}{
		{"stem", "every record of every client", []string{"records"}, true},
		{"group", "all your client's contact details stay in one place", []string{"customer records"}, true},
		{"group zh", "员工跳槽也不怕", []string{"离职"}, true},
		{"named group", "people quit all the time", []string{"@staff_leaving"}, true},
		{"no match", "we deliver on Fridays", []string{"customer records"}, false},
		{"word boundary", "our design team", []string{"sign"}, false},
		{"after many words", long, []string{"customer records"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.Understand(tt.line, sim.LangAuto)
			if got := e.Mentions(a, tt.terms); got != tt.want {
				t.Errorf("Mentions(%q, %q) = %v; want %v (concepts %v)", tt.line, tt.terms, got, tt.want, a.Concepts)
			}
		})
	}
}

// TestEngineConcepts: the concept groups the engine names (sim) exist in
// the data.
func TestEngineConcepts(t *testing.T) {
	e := MustNew()
	ids := []string{"contract", "meeting"}
	for _, k := range sim.ObjectionKinds {
		if k != "other" {
			ids = append(ids, "kind."+k)
		}
	}
	for _, st := range sim.SituationTopics {
		ids = append(ids, st.Topic)
	}
	for _, id := range ids {
		if !e.Concept(id) {
			t.Errorf("concepts.txt has no group %q, which the engine uses", id)
		}
	}
}

// TestEarConcurrent reads lines from many goroutines at once (run with
// -race): the ear is shared by every live deal.
func TestEarConcurrent(t *testing.T) {
	e := MustNew()
	lines := []string{benchLines[0].line, benchLines[2].line, "So the audit is in March? Our app logs it for you.", "如果這個問題不解決，每拖一個月大概會損失多少錢？"}
	want := make([]sim.Analysis, len(lines))
	for i, l := range lines {
		want[i] = e.Understand(l, sim.LangAuto)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 50 {
				i := (g + k) % len(lines)
				got := e.Understand(lines[i], sim.LangAuto)
				if !slices.Equal(got.Acts, want[i].Acts) || !slices.Equal(got.Concepts, want[i].Concepts) || got.Unsure != want[i].Unsure {
					t.Errorf("Understand(%q) from goroutine %d = %v; want %v", lines[i], g, got.Acts, want[i].Acts)
					return
				}
				e.Mentions(got, []string{"customer records", "@kind.price"})
			}
		}()
	}
	wg.Wait()
}

// FuzzUnderstand: any text, the ear returns valid acts in order and the
// same analysis twice.
func FuzzUnderstand(f *testing.F) {
	for _, b := range benchLines {
		f.Add(b.line)
	}
	for _, s := range []string{"", "?", "。。。", "\xff\xfe", strings.Repeat("a ", 400), strings.Repeat("好。", 200)} {
		f.Add(s)
	}
	e := MustNew()
	f.Fuzz(func(t *testing.T, text string) {
		a := e.Understand(text, sim.LangAuto)
		if len(a.Acts) == 0 {
			t.Fatalf("Understand(%q) has no acts", text)
		}
		last := -1
		for _, x := range a.Acts {
			i := slices.Index(sim.Acts, x)
			if i <= last {
				t.Fatalf("Understand(%q) acts %v are not valid and in order", text, a.Acts)
			}
			last = i
		}
		if b := e.Understand(text, sim.LangAuto); !slices.Equal(a.Acts, b.Acts) || a.Unsure != b.Unsure {
			t.Fatalf("Understand(%q) is not deterministic", text)
		}
	})
}

// TestMotiveCues: a motive question asks why now, or makes waiting
// concrete, in words no pattern was written for.
func TestMotiveCues(t *testing.T) {
	e := MustNew()
	tests := []struct {
		line           string
		whyNow, implic bool
	}{
		{"Why is this a priority right now?", true, false},
		{"What's making it a priority this year?", true, false},
		{"为什么今年这么急着解决这个？", true, false},
		{"What happens to the team if nothing changes?", false, true},
		{"要是再这样下去，一年下来损失有多大？", false, true},
	}
	for _, tt := range tests {
		a := e.Understand(tt.line, sim.LangAuto)
		if a.Cues.WhyNow != tt.whyNow && tt.whyNow || a.Cues.Implication != tt.implic && tt.implic {
			t.Errorf("Understand(%q): acts %v, why-now %v, implication %v; want why-now %v, implication %v", tt.line, a.Acts, a.Cues.WhyNow, a.Cues.Implication, tt.whyNow, tt.implic)
		}
	}
}
