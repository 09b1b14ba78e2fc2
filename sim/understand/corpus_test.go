package understand

import (
	"os"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestEarCorpus scores the ear (lexical reader and model together) on the
// labelled corpora and logs a per-act table for each.
//
// The blind sets dated 2026-12-01 were written by people who had not seen
// the code or the training corpora, in twelve industries that appear
// nowhere in testdata/train, before the model existed, and scored first on
// the lexical reader alone (en 0.691, zh 0.712). They are never trained on,
// and no line of them is read to tune anything; the suite fails when
// macro-F1 on them drops below 0.88 or any act below blindActFloor, the
// issue's bar of 0.75. Their per-act figures (and once, aggregate
// confusion counts between pitch and handle_objection, no lines) were
// looked at to decide where to write more training data; the reading
// settings are chosen on cross-validation over the training groups
// (TestModelDev), which also decided the last one changed (piecesPresent).
// The held-out sets predate the lexical reader; the blind3 sets are an
// older round's record (it was folded into the lexical reader's rules, so
// it is reported only). UNDERSTAND_MISSES=1 lists the lines the ear gets
// wrong in the corpora that may be looked at (never the dated blind sets).
// blindActFloor is the lowest per-act F1 the blind sets may show.
const blindActFloor = 0.75

// f1Rounding absorbs the floating-point error of an F1 computed from
// precision and recall (48 of 64 is 0.75, not 0.7499999).
const f1Rounding = 1e-9

func TestEarCorpus(t *testing.T) {
	ear := MustNew()
	read := func(s string, l sim.Lang) []sim.Act { return ear.Understand(s, l).Acts }
	for _, tc := range []struct {
		name, path string
		lang       sim.Lang
		minMacro   float64 // 0: report only
		minAct     float64
	}{
		{"en-blind-2026-12-01", "testdata/blind/acts-en-2026-12-01.tsv", sim.LangEN, 0.88, blindActFloor},
		{"zh-blind-2026-12-01", "testdata/blind/acts-zh-2026-12-01.tsv", sim.LangZH, 0.88, blindActFloor},
		{"en-heldout", "testdata/heldout/acts-en.tsv", sim.LangEN, 0.85, 0},
		{"zh-heldout", "testdata/heldout/acts-zh.tsv", sim.LangZH, 0.85, 0},
		{"en-blind3", "testdata/blind/acts-en-blind3.tsv", sim.LangEN, 0, 0},
		{"zh-blind3", "testdata/blind/acts-zh-blind3.tsv", sim.LangZH, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			corpus := mustReadCorpus(t, tc.path)
			dump := os.Getenv("UNDERSTAND_MISSES") != "" && !strings.Contains(tc.name, "2026")
			sc, macro := evaluate(read, corpus, tc.lang, func(l labelled, got []sim.Act) {
				if dump {
					t.Logf("%s:%d %q: got %v; want %v", tc.path, l.line, l.text, got, l.acts)
				}
			})
			t.Logf("%s: %d lines, macro-F1 %.3f\n%s", tc.name, len(corpus), macro, sc.table())
			if macro < tc.minMacro {
				t.Errorf("%s: macro-F1 = %.3f; want >= %.2f", tc.name, macro, tc.minMacro)
			}
			for a, s := range sc {
				if f := f1(s); f < tc.minAct-f1Rounding {
					t.Errorf("%s: %s F1 = %.3f; want >= %.2f", tc.name, a, f, tc.minAct)
				}
			}
		})
	}
}

// TestModelUpToDate retrains the model from testdata/train and finds the
// embedded model.bin unchanged: the committed weights are exactly what the
// corpora and the code produce.
func TestModelUpToDate(t *testing.T) {
	ex, err := ReadCorpora(os.DirFS("testdata/train"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := TrainModel(ex)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(modelFile) {
		t.Fatalf("model.bin (%d bytes) is not what testdata/train trains (%d bytes): run go generate ./sim/understand", len(modelFile), len(b))
	}
}
