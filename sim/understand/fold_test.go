package understand

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/callsim/callsim/sim"
)

// TestFoldTableUpToDate runs the generator on the OpenCC module that go.mod
// pins and compares its output with the committed fold_table.go.
func TestFoldTableUpToDate(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run internal/genfold: %v", err)
	}
	cmd := exec.Command(gotool, "run", "./internal/genfold", "-o", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run ./internal/genfold: %v\n%s", err, stderr.Bytes())
	}
	got, err := os.ReadFile("fold_table.go")
	if err != nil {
		t.Fatalf("read the committed table: %v; run `go generate ./sim/understand`", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	n := 0
	for n < len(gl) && n < len(wl) && gl[n] == wl[n] {
		n++
	}
	line := func(ls []string) string {
		if n < len(ls) {
			return ls[n]
		}
		return "(end of file)"
	}
	t.Errorf("fold_table.go differs from what internal/genfold generates, from line %d:\n"+
		"committed: %s\ngenerated: %s\nrun `go generate ./sim/understand` and commit fold_table.go",
		n+1, line(gl), line(wl))
}

func TestFoldCharacters(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct{ name, trad, simp string }{
		// missed by the hand-made table this one replaced
		{"once missed", "亂佔係償儲兒剛勁啓嘰審崗廚滌爲牀纔", "乱占系偿储儿刚劲启叽审岗厨涤为床才"},
		// also ordinary simplified characters: OpenCC's preferred reading
		{"ambiguous", "乾著後隻髮麵於係", "干着后只发面于系"},
		// Taiwan and Hong Kong variants, through standard traditional
		{"variants", "為啟裡眾説衞衹枱", "为启里众说卫只台"},
		// simplified characters that a variants file lists as a variant
		{"simplified stays", "么才床吃台只干后系面发于着里", "么才床吃台只干后系面发于着里"},
		{"beyond the basic plane", "𨋢𠁞", "䢂𠀾"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trad, simp := []rune(tt.trad), []rune(tt.simp)
			if len(trad) != len(simp) {
				t.Fatalf("test case: %d traditional, %d simplified characters", len(trad), len(simp))
			}
			for i, r := range trad {
				if got := c.foldRune(r); got != simp[i] {
					t.Errorf("foldRune(%q) = %q; want %q", r, got, simp[i])
				}
			}
		})
	}
}

// TestFoldIdempotent checks the whole table: what a character folds to
// folds to itself, so input and lexicon patterns, both normalised, agree
// however often either was folded.
func TestFoldIdempotent(t *testing.T) {
	c := mustClassifier(t)
	var all strings.Builder
	for i, p := range foldPairs {
		if i > 0 && foldPairs[i-1].from >= p.from {
			t.Fatalf("foldPairs[%d] = %q after %q: not sorted by source", i, p.from, foldPairs[i-1].from)
		}
		if got := c.foldRune(p.from); got != p.to {
			t.Errorf("foldRune(%q) = %q; want %q", p.from, got, p.to)
		}
		if got := c.foldRune(p.to); got != p.to {
			t.Errorf("foldRune(foldRune(%q)) = %q; want %q", p.from, got, p.to)
		}
		all.WriteRune(p.from)
		all.WriteRune(p.to)
	}
	once := c.Normalize(all.String())
	if twice := c.Normalize(once); twice != once {
		t.Errorf("Normalize is not idempotent over foldPairs")
	}
}

// TestFoldRareSkipsCase checks what foldRune assumes from foldRareLo on:
// no rune there has a lower case or is white space.
func TestFoldRareSkipsCase(t *testing.T) {
	for r := rune(foldRareLo); r <= unicode.MaxRune; r++ {
		if unicode.ToLower(r) != r || unicode.IsSpace(r) {
			t.Fatalf("%U has a lower case or is white space; foldRune must not skip it", r)
		}
	}
}

// TestFoldClassifiesAlike reads traditional lines (Taiwan and Hong Kong
// wording) and their simplified spelling: the lexicon, written in
// simplified characters and normalised when compiled, must find the same
// acts in both.
func TestFoldClassifiesAlike(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct{ trad, simp string }{
		{"打擾您兩分鐘，方便講電話嗎？", "打扰您两分钟，方便讲电话吗？"},
		{"為什麼現在想換系統？", "为什么现在想换系统？"},
		{"這件事如果一直拖著，會有什麼影響？", "这件事如果一直拖着，会有什么影响？"},
		{"你哋而家係點樣跟進客戶㗎？", "你哋而家系点样跟进客户㗎？"},
		{"這個月簽約可以打八折", "这个月签约可以打八折"},
		{"我們下週三再聯絡，謝謝您的時間，再見", "我们下周三再联络，谢谢您的时间，再见"},
		{"我理解您的顧慮，很多客戶一開始也這麼想", "我理解您的顾虑，很多客户一开始也这么想"},
	}
	for _, tt := range tests {
		got, want := c.Classify(tt.trad, sim.LangAuto), c.Classify(tt.simp, sim.LangAuto)
		if got.Norm != want.Norm || !slices.Equal(got.Acts, want.Acts) {
			t.Errorf("Classify(%q) = %q %v; want %q %v as for %q", tt.trad, got.Norm, got.Acts, want.Norm, want.Acts, tt.simp)
		}
	}
}

func BenchmarkFoldRune(b *testing.B) {
	c := newLexReader()
	line := []rune("如果這個問題不解決，每拖一個月大概會損失多少錢？Ｏｋ 𨋢")
	for b.Loop() {
		for _, r := range line {
			c.foldRune(r)
		}
	}
}
