package sim

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// labelled is one line of an act corpus.
type labelled struct {
	line int
	acts []Act
	text string
}

// mustReadCorpus reads a testdata corpus: acts<TAB>line, '#' comments.
func mustReadCorpus(tb testing.TB, path string) []labelled {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		label, text, ok := strings.Cut(l, "\t")
		if !ok || strings.TrimSpace(text) == "" {
			tb.Fatalf("%s:%d: want acts<TAB>line, got %q", path, n, l)
		}
		var acts []Act
		for _, s := range strings.Split(label, ",") {
			a := Act(strings.TrimSpace(s))
			if !a.Valid() {
				tb.Fatalf("%s:%d: unknown act %q", path, n, a)
			}
			acts = append(acts, a)
		}
		out = append(out, labelled{line: n, acts: acts, text: text})
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read corpus: %v", err)
	}
	return out
}

// actScores are per-act counts of true positives, false positives and false negatives.
type actScores map[Act]*[3]int

// evaluate classifies every line and returns per-act counts and macro-F1
// over the acts present (in the labels or the predictions).
func evaluate(c *Classifier, corpus []labelled, lang Lang, misses func(labelled, []Act)) (actScores, float64) {
	sc := actScores{}
	get := func(a Act) *[3]int {
		if sc[a] == nil {
			sc[a] = new([3]int)
		}
		return sc[a]
	}
	for _, l := range corpus {
		got := c.Classify(l.text, lang).Acts
		for _, a := range Acts {
			g, w := slices.Contains(got, a), slices.Contains(l.acts, a)
			switch {
			case g && w:
				get(a)[0]++
			case g:
				get(a)[1]++
			case w:
				get(a)[2]++
			}
		}
		if misses != nil && !sameActs(got, l.acts) {
			misses(l, got)
		}
	}
	var sum float64
	for _, s := range sc {
		sum += f1(s)
	}
	return sc, sum / float64(len(sc))
}

func sameActs(a, b []Act) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func prf(s *[3]int) (p, r float64) {
	if s[0]+s[1] > 0 {
		p = float64(s[0]) / float64(s[0]+s[1])
	}
	if s[0]+s[2] > 0 {
		r = float64(s[0]) / float64(s[0]+s[2])
	}
	return p, r
}

func f1(s *[3]int) float64 {
	p, r := prf(s)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (sc actScores) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-17s %5s %5s %5s %4s %4s %4s\n", "act", "P", "R", "F1", "tp", "fp", "fn")
	for _, a := range Acts {
		s := sc[a]
		if s == nil {
			continue
		}
		p, r := prf(s)
		fmt.Fprintf(&b, "%-17s %5.2f %5.2f %5.2f %4d %4d %4d\n", a, p, r, f1(s), s[0], s[1], s[2])
	}
	return b.String()
}

func TestClassifierCorpus(t *testing.T) {
	c := NewClassifier()
	for _, tc := range []struct {
		name, path string
		lang       Lang
		minF1      float64 // 0: report only
	}{
		{"en-train", "testdata/acts-en.tsv", LangEN, 0.85},
		{"zh-train", "testdata/acts-zh.tsv", LangZH, 0.85},
		{"en-heldout", "testdata/acts-en-heldout.tsv", LangEN, 0.85},
		{"zh-heldout", "testdata/acts-zh-heldout.tsv", LangZH, 0.85},
	} {
		t.Run(tc.name, func(t *testing.T) {
			corpus := mustReadCorpus(t, tc.path)
			dump := os.Getenv("CLASSIFY_MISSES") != "" && !strings.Contains(tc.name, "heldout")
			sc, macro := evaluate(c, corpus, tc.lang, func(l labelled, got []Act) {
				if dump {
					t.Logf("%s:%d %q: got %v; want %v", tc.path, l.line, l.text, got, l.acts)
				}
			})
			t.Logf("%s: %d lines, macro-F1 %.3f\n%s", tc.name, len(corpus), macro, sc.table())
			if macro < tc.minF1 {
				t.Errorf("%s: macro-F1 = %.3f; want >= %.2f", tc.name, macro, tc.minF1)
			}
		})
	}
}
