package voiceguard

import (
	"slices"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/understand"
)

func mustLexicon(tb testing.TB) *lexicon {
	tb.Helper()
	lx, err := defaultLexicon()
	if err != nil {
		tb.Fatal(err)
	}
	return lx
}

// TestLexiconSituations: every situation of package sim has a class, and
// the lexicon names no other.
func TestLexiconSituations(t *testing.T) {
	lx := mustLexicon(t)
	all := slices.Concat(sim.Situations, sim.OptionalSituations, []sim.Situation{sim.SitObjection, sim.SitObjectionResolved})
	for _, s := range all {
		if _, ok := lx.situations[s]; !ok {
			t.Errorf("lexicon.txt: situation %s has no class in [situations]", s)
		}
	}
	for s := range lx.situations {
		if !slices.Contains(all, s) {
			t.Errorf("lexicon.txt: [situations] lists %s, which package sim does not have", s)
		}
	}
}

// TestLexiconNormalised: every phrase is written as the ear normalises a
// line, or it would never match.
func TestLexiconNormalised(t *testing.T) {
	lx := mustLexicon(t)
	ear := understand.MustNew()
	check := func(section string, lang sim.Lang, p string) {
		if norm := ear.Understand(p, lang).Norm; norm != p {
			t.Errorf("lexicon.txt [%s] %s: %q is %q once normalised; write it so", section, lang, p, norm)
		}
	}
	for name, ps := range map[string]phrases{"accept": lx.accept, "refuse": lx.refuse, "negation": lx.negation,
		"seller": lx.seller, "mask": lx.mask, "classifiers": lx.classifiers} {
		for lang, list := range ps {
			for _, p := range list {
				check(name, lang, p)
			}
		}
	}
	for lang, ds := range lx.dates {
		for _, d := range ds {
			check(d.key, lang, d.phrase)
		}
	}
}

func TestParseLexiconErrors(t *testing.T) {
	base := "[situations]\naccept: deal_done\n[accept]\n[refuse]\n[negation]\n[seller]\n[mask]\n[classifiers]\n"
	tests := []struct {
		name, text, want string
	}{
		{"unknown section", base + "[nonsense]\n", "x.txt:9: unknown section [nonsense]"},
		{"twice", base + "[accept]\n", "x.txt:9: section [accept] appears twice"},
		{"no key", base + "[date.x]\nmonday\n", "x.txt:10: want key: phrase"},
		{"bad lang", "[accept]\nfr: oui\n", "x.txt:2: a phrase line starts with en: or zh:"},
		{"empty phrase", "[accept]\nen: yes || sure\n", "x.txt:2: an empty phrase"},
		{"upper case", "[accept]\nen: Deal\n", `x.txt:2: "Deal": phrases are written in lower case`},
		{"bad class", "[situations]\nhappy: deal_done\n", `x.txt:2: situations are accept, refuse, neutral or unchecked, not "happy"`},
		{"situation twice", "[situations]\naccept: deal_done\nrefuse: deal_done\n", "x.txt:3: situation deal_done is listed twice"},
		{"missing section", "[situations]\naccept: deal_done\n", "section ["},
		{"before a section", "en: hi\n", "x.txt:1: a phrase line before any [section]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseLexicon("x.txt", tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("parseLexicon(%q) = %v; want an error with %q", tt.text, err, tt.want)
			}
		})
	}
	if _, err := parseLexicon("x.txt", base); err != nil {
		t.Fatalf("parseLexicon(minimal) = %v; want no error", err)
	}
}

func TestNumbers(t *testing.T) {
	lx := mustLexicon(t)
	tests := []struct {
		norm string
		want []string // keys of each number, joined by "/"; "@" marks a date
	}{
		{"my budget is 26,000 yuan, 32,000 at most.", []string{"26000", "32000"}},
		{"2.5万, 30k, $1.5 million, 30%, thirty percent", []string{"25000", "30000", "1500000", "30%", "30%"}},
		{"twenty-six thousand yuan", []string{"26000"}},
		{"a hundred and twenty calls, twelve new reps", []string{"120", "12"}},
		{"eighty or ninety calls", []string{"80", "90"}},
		{"one of them called one day", nil},
		{"hundreds of calls, a few dozen deals", []string{"hundreds", "12"}},
		{"预算两万六,最多三万二", []string{"26000", "32000"}},
		{"百分之三十, 一百二十个, 三千五", []string{"30%", "120", "3500"}},
		{"团队二三十个人,分了三个组,两三个", []string{"20/30/二三十", "3", "2/3/两三"}},
		{"十二个新人,十几年,几个人", []string{"12", "十几"}},
		{"一下, 一点, 一个, 周三, 第一", nil},
		{"3月1日 10:30, 3pm, the 3rd, march 3", []string{"@3", "@1", "@10", "30", "@3", "@3", "@3"}},
		{"下午三点, 2025年", []string{"@3", "2025"}},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range lx.numbers(mask(tt.norm, lx.mask[sim.LangZH])) {
			s := strings.Join(n.keys, "/")
			if n.date {
				s = "@" + s
			}
			got = append(got, s)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("numbers(%q) = %q; want %q", tt.norm, got, tt.want)
		}
	}
}

func TestHanValue(t *testing.T) {
	tests := map[string]float64{
		"两万六": 26000, "三万二": 32000, "三千五": 3500, "一百二十": 120, "一百二": 120, "十二": 12, "二十": 20,
		"二零二五": 2025, "十万": 100000, "一亿两千万": 120000000, "五百": 500, "三十": 30,
	}
	for in, want := range tests {
		if got := hanValue([]rune(in)); got != want {
			t.Errorf("hanValue(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestWrongLanguage(t *testing.T) {
	tests := []struct {
		voicing, line string
		lang          sim.Lang
		wrong         bool
	}{
		{"Sure, go ahead.", "Go ahead.", sim.LangEN, false},
		{"好的，你说。", "你说吧。", sim.LangZH, false},
		{"OK，没问题。", "行。", sim.LangZH, false},
		{"我们用的是Salesforce CRM系统。", "我们用 Salesforce CRM。", sim.LangZH, false},
		{"好的，你说。", "Go ahead.", sim.LangEN, true},
		{"Sure, go ahead.", "你说吧。", sim.LangZH, true},
		{"Sure, sounds good, 好的", "你说吧。", sim.LangZH, true},
		{"Sure, Mr 王.", "Sure.", sim.LangEN, true},
		{"はい、どうぞ。", "你说吧。", sim.LangZH, true},
	}
	for _, tt := range tests {
		if got := wrongLanguage(tt.voicing, tt.line, tt.lang) != ""; got != tt.wrong {
			t.Errorf("wrongLanguage(%q, %q, %s) = %v; want %v", tt.voicing, tt.line, tt.lang, got, tt.wrong)
		}
	}
}

func TestSentenceEnd(t *testing.T) {
	tests := map[string]int{
		"":                  0,
		"Sure":              0,
		"Sure. Go":          5,
		"It costs 2.":       0,
		"It costs 2.5 now.": 0,
		"好的。你说":             len("好的。"),
		"Really? Yes! No":   len("Really? Yes!"),
	}
	for in, want := range tests {
		if got := sentenceEnd(in); got != want {
			t.Errorf("sentenceEnd(%q) = %d; want %d", in, got, want)
		}
	}
}

// FuzzNumbers: any text is read without a panic, and every number it finds
// has a key.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"26,000 yuan", "两万六", "百分之", "一亿两千万", "a hundred and", "10:", "3月", "twenty-", "1,00", "2.", "几十万", "\xff"} {
		f.Add(s)
	}
	lx := mustLexicon(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range lx.numbers(s) {
			if len(n.keys) == 0 || n.keys[0] == "" {
				t.Fatalf("numbers(%q) found %+v without a key", s, n)
			}
		}
	})
}
