package understand

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestProbe prints, for every line of the file UNDERSTAND_PROBE names, the
// acts the ear reads and the model's likeliest acts with their
// probabilities: a tool for reading a misread line, not a check.
func TestProbe(t *testing.T) {
	path := os.Getenv("UNDERSTAND_PROBE")
	if path == "" {
		t.Skip("UNDERSTAND_PROBE=FILE prints what the ear reads in each line of FILE")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e := MustNew()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		lang := sim.LangEN
		if strings.ContainsFunc(line, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			lang = sim.LangZH
		}
		a := e.Understand(line, lang)
		rules := e.lex.Classify(line, lang).Acts
		p, _ := e.probs(a, rules)
		idx := make([]int, len(p))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(x, y int) int {
			if p[x] > p[y] {
				return -1
			}
			if p[x] < p[y] {
				return 1
			}
			return 0
		})
		var top []string
		for _, k := range idx[:4] {
			top = append(top, fmt.Sprintf("%s %.2f", e.model.acts[k], p[k]))
		}
		fmt.Printf("%v  rules %v  model [%s]  amount %v %.0f topic %q  %s\n", a.Acts, rules, strings.Join(top, ", "), a.HasAmount, a.Amount, a.Topic, line)
		for _, piece := range splitPieces(a.Norm, true) {
			pa := e.lex.Classify(piece, lang)
			pp, _ := e.probs(pa, pa.Acts)
			got, _ := e.likely(pp, pa.Acts)
			fmt.Printf("    piece %v q=%v: %s\n", got, pa.Question, piece)
		}
	}
}
