package understand

import (
	"slices"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

func FuzzClassify(f *testing.F) {
	for _, path := range []string{"testdata/train/en-core.tsv", "testdata/train/zh-core.tsv"} {
		for _, l := range mustReadCorpus(f, path) {
			f.Add(l.text, "auto")
		}
	}
	for _, s := range []string{"", " ", "\u3000", "\xff\xfe", "？？？", "$", "5k", "三万", "一一一一", "不不不什么", "so", "--", "a-b-c"} {
		f.Add(s, "zh")
	}
	c := newLexReader()
	f.Fuzz(func(t *testing.T, text, lang string) {
		a := c.Classify(text, sim.Lang(lang))
		if len(a.Acts) == 0 {
			t.Fatalf("Classify(%q) has no acts", text)
		}
		last := -1
		for _, x := range a.Acts {
			i := slices.Index(sim.Acts, x)
			if i < 0 {
				t.Fatalf("Classify(%q) act %q is not valid", text, x)
			}
			if i <= last {
				t.Fatalf("Classify(%q).Acts = %v; want the order of sim.Acts without duplicates", text, a.Acts)
			}
			last = i
		}
		if a.Has(sim.ActOther) && len(a.Acts) != 1 {
			t.Fatalf("Classify(%q).Acts = %v; other must be alone", text, a.Acts)
		}
		if !a.Lang.Valid() {
			t.Fatalf("Classify(%q).Lang = %q", text, a.Lang)
		}
		if strings.TrimSpace(text) != "" && a.Units < 1 {
			t.Fatalf("Classify(%q).Units = %d; want >= 1", text, a.Units)
		}
		if a.Text != text {
			t.Fatalf("Classify(%q).Text = %q", text, a.Text)
		}
		if a.Norm != c.Normalize(text) {
			t.Fatalf("Classify(%q).Norm = %q; want Normalize", text, a.Norm)
		}
		b := c.Classify(text, sim.Lang(lang))
		if !slices.Equal(a.Acts, b.Acts) || a.Cues != b.Cues || a.Amount != b.Amount && !(a.Amount != a.Amount) ||
			a.Units != b.Units || a.Question != b.Question || a.HasAmount != b.HasAmount || a.Lang != b.Lang {
			t.Fatalf("Classify(%q) is not deterministic: %+v then %+v", text, a, b)
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	c := newLexReader()
	for _, bc := range benchLines {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Classify(bc.line, sim.LangAuto)
			}
		})
	}
}

func BenchmarkNewClassifier(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newLexReader()
	}
}
