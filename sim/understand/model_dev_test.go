package understand

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// TestModelDev trains the model on testdata/train and reports, per held-out
// corpus, the rules alone and the model at several thresholds. For tuning
// the training settings: UNDERSTAND_DEV=1 go test -run ModelDev -v.
func TestModelDev(t *testing.T) {
	if os.Getenv("UNDERSTAND_DEV") == "" {
		t.Skip("set UNDERSTAND_DEV=1")
	}
	lex := newLexReader()
	ex, err := ReadCorpora(os.DirFS("testdata/train"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := train(lex, ex)
	if err != nil {
		t.Fatal(err)
	}
	m, err = loadModel(m.encode())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d examples, %d features, %d bytes", len(ex), len(m.index), len(m.encode()))
	groups := map[string]bool{}
	for _, e := range ex {
		g := e.Where[3:strings.Index(e.Where, ".")]
		if g != "core" {
			groups[g] = true
		}
	}
	base := MustNew()
	d := defaultThresholds
	variants := []thresholds{d}
	tcs := []trainConfig{defaultTrain}
	for _, f := range []func(*trainConfig){
		func(c *trainConfig) { c.rate = 2 },
		func(c *trainConfig) { c.rate, c.l2 = 2, 1e-5 },
		func(c *trainConfig) { c.rate, c.epochs = 2, 40 },
		func(c *trainConfig) { c.rate = 3 },
	} {
		c := defaultTrain
		f(&c)
		tcs = append(tcs, c)
	}
	if os.Getenv("UNDERSTAND_DEV") != "train" {
		tcs = tcs[:1]
	}
	for _, tc := range tcs {
		t.Logf("training %+v", tc)
		sum := make([][2]float64, len(variants))
		var n int
		for _, g := range slices.Sorted(maps.Keys(groups)) {
			var tr, te []Example
			for _, e := range ex {
				if strings.Contains(e.Where, "-"+g+".") {
					te = append(te, e)
				} else {
					tr = append(tr, e)
				}
			}
			mm, _ := trainWith(lex, tr, tc)
			mm, _ = loadModel(mm.encode())
			for vi, th := range variants {
				ear := *base
				ear.model = mm
				ear.stem = newStemmer(mm.vocab)
				ear.th = th
				line := fmt.Sprintf("hold out %-10s %d", g, vi)
				for li, lang := range []sim.Lang{sim.LangEN, sim.LangZH} {
					var c []labelled
					for _, e := range te {
						if e.Lang == lang {
							c = append(c, labelled{acts: e.Acts, text: e.Text})
						}
					}
					_, r := evaluate(func(s string, l sim.Lang) []sim.Act { return lex.Classify(s, l).Acts }, c, lang, nil)
					sc, f := evaluate(func(s string, l sim.Lang) []sim.Act { return ear.Understand(s, l).Acts }, c, lang, nil)
					sum[vi][li] += f
					worst := ""
					for _, a := range sim.Acts {
						if s := sc[a]; s != nil && f1(s) < 0.75 {
							worst += fmt.Sprintf(" %s=%.2f", a, f1(s))
						}
					}
					line += fmt.Sprintf(" | %s rules %.3f ear %.3f%s", lang, r, f, worst)
				}
				if os.Getenv("UNDERSTAND_DEV") == "v" {
					t.Log(line)
				}
			}
			n++
		}
		for vi, th := range variants {
			t.Logf("%+v mean ear macro-F1 over held-out groups: en %.3f zh %.3f", th, sum[vi][0]/float64(n), sum[vi][1]/float64(n))
		}
	}
}
