package voiceguard_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/callsim/callsim/personas"
	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/understand"
	"github.com/callsim/callsim/sim/voiceguard"
	"github.com/callsim/callsim/sim/yaml"
)

// theEar is built once: it is the slow part of a guard.
var theEar = sync.OnceValue(understand.MustNew)

// voiceFunc is a sim.Voice made of a function.
type voiceFunc func(ctx context.Context, req sim.VoiceRequest) (string, error)

func (f voiceFunc) Rephrase(ctx context.Context, req sim.VoiceRequest) (string, error) {
	return f(ctx, req)
}

// says is a voice that always answers text.
func says(text string) sim.Voice {
	return voiceFunc(func(context.Context, sim.VoiceRequest) (string, error) { return text, nil })
}

func mustGuard(tb testing.TB, v sim.Voice, cfg voiceguard.Config) *voiceguard.Guard {
	tb.Helper()
	g, err := voiceguard.New(v, theEar(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

var loadCatalog = sync.OnceValues(func() (*sim.Catalog, error) {
	return yaml.Load(context.Background(), personas.FS(), "")
})

func mustCatalog(tb testing.TB) *sim.Catalog {
	tb.Helper()
	cat, err := loadCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// wang is the public profile of the shipped persona the table tests use.
func wang(tb testing.TB) sim.PublicPersona {
	tb.Helper()
	p, ok := mustCatalog(tb).Personas["st-wang-director"]
	if !ok {
		tb.Fatal("persona st-wang-director is not shipped")
	}
	return p.Public()
}

// TestCheck: faithful rewordings pass; leaks, sales talk, contradictions,
// the wrong language and new facts do not.
func TestCheck(t *testing.T) {
	const (
		problemEN  = "Phone skills are uneven. The veterans are fine, the newcomers not so much."
		problemZH  = "团队的电话水平参差不齐，老的还行，新的不太行。"
		postponeEN = "The price is fine, but the timing… let's revisit it next quarter."
		postponeZH = "钱不是问题，就是现在没精力弄，过段时间吧。"
		doneEN     = "Good, it's a deal. Send the contract today and I'll push it through."
		doneZH     = "好，就这么定了，合同今天发我，我马上走流程。"
	)
	tests := []struct {
		name    string
		sit     sim.Situation
		lang    sim.Lang
		line    string
		voicing string
		want    string
	}{
		// Faithful: what a good model says.
		{"problem en", sim.SitProblem, sim.LangEN, problemEN, "Honestly, the veterans do fine on the phone, but the new people struggle.", ""},
		{"problem zh", sim.SitProblem, sim.LangZH, problemZH, "说实话，老销售还可以，新人就差点意思了。", ""},
		{"problem zh 2", sim.SitProblem, sim.LangZH, "新来的人上手慢，电话打出去，客户聊两句就挂了。", "新人上手太慢了，电话一打过去，客户说两句就挂。", ""},
		{"pickup en", sim.SitPickup, sim.LangEN, "Wang Lei speaking. Who's this?", "Hello, Wang Lei here. Who am I speaking with?", ""},
		{"pickup zh", sim.SitPickup, sim.LangZH, "喂，我王磊，哪位？", "喂，您好，我是王磊，请问哪位？", ""},
		{"short line", sim.SitOpeningOK, sim.LangEN, "Go ahead, I'm listening.", "Sure, go on, I'm listening.", ""},
		{"hint zh", sim.SitHint, sim.LangZH, "说实话，最近压力挺大的，上面盯得紧。", "不瞒你说，最近压力不小，上面盯得很紧。", ""},
		{"price high", sim.SitPriceHigh, sim.LangEN, "That's a bit steep. Can you do something on the price?", "Hmm, that's pricey. Is there any flexibility on the price?", ""},
		{"postpone en", sim.SitTimePostpone, sim.LangEN, postponeEN, "The price works for me, but the timing doesn't. Let's come back to it next quarter.", ""},
		{"offer accept", sim.SitOfferAccept, sim.LangEN, "That's what I need. I accept the proposal, and we can go ahead.", "That's exactly what I need. I'm happy with the proposal; we can go ahead.", ""},
		{"deal done en", sim.SitDealDone, sim.LangEN, doneEN, "Great, it's a deal. Send me the contract today and I'll get it moving.", ""},
		{"deal done zh", sim.SitDealDone, sim.LangZH, doneZH, "好，那就这么定了，合同今天发过来，我马上走流程。", ""},
		{"numbers kept", sim.SitSituation, sim.LangZH, "团队二三十个人，老人新人都有，按区域分了三个组。", "我们团队二三十号人，新老都有，按区域分成三个组。", ""},
		{"numbers reworded", sim.SitMotive, sim.LangEN,
			"Here's the real story. The target went up thirty percent, I brought in twelve new reps, and after a month none of them has closed. When the quarterly review comes, I'm the one who has to explain. Come and assess the team, and show me a proposal.",
			"OK, here's the truth: our target's up 30%, I hired 12 new reps, and a month in not one has closed a deal. At the quarterly review, it's on me. Come assess the team and show me a proposal.", ""},
		{"not yet", sim.SitNotYet, sim.LangEN, "Hold on, we're not there yet. I haven't decided anything.", "Wait, slow down. I haven't decided anything yet.", ""},
		{"profile number", sim.SitSituation, sim.LangEN, "We sell printers and copiers.", "We sell printers and copiers, with a team of twenty to thirty.", ""},

		// Leaks: the budget, which the voice cannot know but may guess.
		{"leak en", sim.SitProblem, sim.LangEN, problemEN, "Honestly, my budget is 26,000 yuan, 32,000 at most.", voiceguard.ReasonAmount},
		{"leak zh numerals", sim.SitProblem, sim.LangZH, problemZH, "说实话，我的预算是两万六，最多三万二。", voiceguard.ReasonAmount},
		{"leak zh digits", sim.SitProblem, sim.LangZH, problemZH, "预算26000元，最多32000。", voiceguard.ReasonAmount},
		{"leak percent zh", sim.SitProblem, sim.LangZH, problemZH, "老的还行，新的不太行，目标又提高了百分之三十。", voiceguard.ReasonAmount},
		{"leak words", sim.SitProblem, sim.LangEN, problemEN, "Uneven. And we can spend twenty-six thousand.", voiceguard.ReasonAmount},

		// Sales talk.
		{"sells en", sim.SitProblem, sim.LangEN, problemEN, "Let me tell you about our software… 20% off. Deal?", voiceguard.ReasonSellerAct},
		{"sells zh", sim.SitProblem, sim.LangZH, problemZH, "我给您介绍一下我们的课程，现在打八折，签吗？", voiceguard.ReasonSellerAct},

		// Contradictions, both ways.
		{"accepts a postponement en", sim.SitTimePostpone, sim.LangEN, postponeEN, "Great, let's do it. Send me the contract.", voiceguard.ReasonContradiction},
		{"accepts a postponement zh", sim.SitTimePostpone, sim.LangZH, postponeZH, "好，就这么定了，合同发我。", voiceguard.ReasonContradiction},
		{"accepts not yet", sim.SitNotYet, sim.LangEN, "Hold on, we're not there yet. I haven't decided anything.", "Alright, count me in.", voiceguard.ReasonContradiction},
		{"refuses a deal en", sim.SitDealDone, sim.LangEN, doneEN, "Hmm, let me think it over.", voiceguard.ReasonContradiction},
		{"refuses a deal zh", sim.SitDealDone, sim.LangZH, doneZH, "这个我还得考虑考虑。", voiceguard.ReasonContradiction},
		{"negated acceptance", sim.SitTimePostpone, sim.LangZH, postponeZH, "钱不是问题，就是现在没精力，不签合同，过段时间吧。", ""},

		// The wrong language.
		{"zh in en", sim.SitProblem, sim.LangEN, problemEN, "团队的电话水平参差不齐。", voiceguard.ReasonLanguage},
		{"en in zh", sim.SitProblem, sim.LangZH, problemZH, "Phone skills are uneven on my team.", voiceguard.ReasonLanguage},

		// New dates and facts.
		{"date", sim.SitNextStepOK, sim.LangEN, "Fine, I'll mention it to the owner and get back to you.", "Fine, I'll mention it to the owner and call you back on Friday.", voiceguard.ReasonDate},
		{"date zh", sim.SitProblem, sim.LangZH, problemZH, "季度考核就在下个月底。", voiceguard.ReasonDate},
		{"motive made up", sim.SitProblem, sim.LangEN, problemEN, "Phone skills are uneven, and our best reps keep quitting.", voiceguard.ReasonFact},
		{"name made up", sim.SitProblem, sim.LangEN, problemEN, "Phone skills are uneven; we track them all in Salesforce.", voiceguard.ReasonFact},

		// Empty, too long.
		{"empty", sim.SitProblem, sim.LangEN, problemEN, "  \n ", voiceguard.ReasonEmpty},
		{"too long", sim.SitProblem, sim.LangEN, problemEN, strings.Repeat("The veterans are fine, the newcomers not so much. ", 6), voiceguard.ReasonTooLong},
		{"too long zh", sim.SitProblem, sim.LangZH, problemZH, strings.Repeat("老的还行，新的不太行。", 12), voiceguard.ReasonTooLong},
	}
	g := mustGuard(t, says(""), voiceguard.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sim.VoiceRequest{Lang: tt.lang, Persona: wang(t), Situation: tt.sit, Line: tt.line}
			if got, detail := g.Check(req, tt.voicing); got != tt.want {
				t.Errorf("Check(%q for %q) = %q (%s); want %q", tt.voicing, tt.line, got, detail, tt.want)
			}
		})
	}
}

// TestCheckPersonaLines: every line of every shipped persona is a valid
// voicing of itself; said in the persona's other language it is not; and
// with the persona's budget added it leaks.
func TestCheckPersonaLines(t *testing.T) {
	cat := mustCatalog(t)
	g := mustGuard(t, says(""), voiceguard.Config{})
	sits := slices.Concat(sim.Situations, sim.OptionalSituations)
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range cat.Personas {
			if !yield(id) {
				return
			}
		}
	}) {
		p := cat.Personas[id]
		sc := cat.Scenarios[p.Scenario]
		pub := p.Public()
		for _, sit := range sits {
			for _, lang := range p.Languages {
				for i, line := range p.LinesFor(sc, sit, lang) {
					req := sim.VoiceRequest{Lang: lang, Persona: pub, Situation: sit, Line: line}
					if r, d := g.Check(req, line); r != "" {
						t.Errorf("%s %s %s: Check(the line itself) = %s (%s); want it to pass: %q", id, sit, lang, r, d, line)
					}
					other := sim.LangZH
					if lang == sim.LangZH {
						other = sim.LangEN
					}
					if ol := p.LinesFor(sc, sit, other); i < len(ol) {
						if r, _ := g.Check(req, ol[i]); r != voiceguard.ReasonLanguage {
							t.Errorf("%s %s %s: Check(%q in the other language) = %q; want language", id, sit, lang, ol[i], r)
						}
					}
					if sit != sim.SitProblem || p.Hidden.Budget <= 0 {
						continue
					}
					leak := line + fmt.Sprintf(" My budget is %s yuan.", thousands(p.Hidden.Budget))
					if lang == sim.LangZH {
						leak = line + fmt.Sprintf("我的预算是%g元。", p.Hidden.Budget)
					}
					if r, _ := g.Check(req, leak); r != voiceguard.ReasonAmount {
						t.Errorf("%s %s: Check(%q) = %q; want amount", id, lang, leak, r)
					}
				}
			}
		}
	}
}

// thousands writes 26000 as 26,000.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// FuzzCheck: any voicing gets a known reason or none, and never a panic.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"Honestly, my budget is 26,000 yuan.", "两万六千五百零三", "Let me tell you about our software… 20% off. Deal?",
		"百分之", "一亿两千万", "a hundred and", "10:", "3月", "twenty-", "\xff\xfe", "《》“”…", strings.Repeat("九", 40)} {
		f.Add(s)
	}
	g := mustGuard(f, says(""), voiceguard.Config{})
	req := sim.VoiceRequest{Lang: sim.LangZH, Persona: wang(f), Situation: sim.SitProblem, Line: "团队的电话水平参差不齐，老的还行，新的不太行。"}
	f.Fuzz(func(t *testing.T, voicing string) {
		r, _ := g.Check(req, voicing)
		if r != "" && !slices.Contains(voiceguard.Reasons, r) {
			t.Fatalf("Check(%q) = %q; not a reason code", voicing, r)
		}
		req.Lang = sim.LangEN
		r, _ = g.Check(req, voicing)
		if r != "" && !slices.Contains(voiceguard.Reasons, r) {
			t.Fatalf("Check(%q) = %q; not a reason code", voicing, r)
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	g := mustGuard(b, says(""), voiceguard.Config{})
	req := sim.VoiceRequest{Lang: sim.LangEN, Persona: wang(b), Situation: sim.SitProblem,
		Line: "Phone skills are uneven. The veterans are fine, the newcomers not so much."}
	for b.Loop() {
		g.Check(req, "Honestly, the veterans do fine on the phone, but the new people struggle.")
	}
}
