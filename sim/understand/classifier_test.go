package understand

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/callsim/callsim/sim"
)

// mustClassifier returns a classifier shared by one test.
func mustClassifier(tb testing.TB) *lexReader {
	tb.Helper()
	return newLexReader()
}

func TestClassifyActs(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		name string
		text string
		lang sim.Lang
		want []sim.Act
	}{
		// multi-act
		{"multi greet purpose", "Hi, this is Li from Acme — do you have two minutes?", sim.LangAuto, []sim.Act{sim.ActGreet, sim.ActPurpose}},
		{"multi zh greet purpose", "您好，我是易销的小李，耽误您两分钟可以吗？", sim.LangAuto, []sim.Act{sim.ActGreet, sim.ActPurpose}},
		{"multi rapport problem", "I hear you. What's the hardest part of it?", sim.LangAuto, []sim.Act{sim.ActRapport, sim.ActAskProblem}},
		{"multi price commit", "If I take 10% off, can we sign today?", sim.LangAuto, []sim.Act{sim.ActPrice, sim.ActAskCommitment}},
		{"multi next close", "I'll email you the deck, thanks for your time, bye!", sim.LangAuto, []sim.Act{sim.ActNextStep, sim.ActCloseCall}},
		// negation
		{"negation not selling", "I'm not calling to sell you anything", sim.LangAuto, []sim.Act{sim.ActPurpose}},
		{"negation zh not selling", "我不是要推销什么", sim.LangAuto, []sim.Act{sim.ActPurpose}},
		{"negation no discount is price", "we don't offer discounts", sim.LangAuto, []sim.Act{sim.ActPrice}},
		{"negation no pressure", "I don't want to pressure you, take your time", sim.LangAuto, []sim.Act{sim.ActRapport}},
		{"negation no problem is not a question", "no problem at all", sim.LangAuto, []sim.Act{sim.ActRapport}},
		{"negation zh no problem", "没问题", sim.LangAuto, []sim.Act{sim.ActRapport}},
		// traditional characters
		{"traditional purpose", "打擾您兩分鐘可以嗎？", sim.LangAuto, []sim.Act{sim.ActPurpose}},
		{"traditional motive", "為什麼是現在？", sim.LangAuto, []sim.Act{sim.ActAskMotive}},
		{"traditional implication", "如果不解決會怎樣？", sim.LangAuto, []sim.Act{sim.ActAskMotive}},
		{"traditional price", "這個月簽約可以打八折", sim.LangAuto, []sim.Act{sim.ActPrice}},
		{"traditional close", "謝謝您的時間，再見", sim.LangAuto, []sim.Act{sim.ActCloseCall}},
		// informal and typos
		{"typo situation", "wat crm r u using rn", sim.LangAuto, []sim.Act{sim.ActAskSituation}},
		{"typo time", "how bout tmrw at 10", sim.LangAuto, []sim.Act{sim.ActProposeTime}},
		{"typo close", "thx 4 ur time, bye", sim.LangAuto, []sim.Act{sim.ActCloseCall}},
		{"typo purpose", "got a sec", sim.LangAuto, []sim.Act{sim.ActPurpose}},
		// questions versus statements
		{"statement problem word", "I'm sorry, that must be frustrating.", sim.LangAuto, []sim.Act{sim.ActRapport}},
		{"question problem word", "What frustrates you most?", sim.LangAuto, []sim.Act{sim.ActAskProblem}},
		{"zh a-not-a question", "你们对现在的系统满不满意", sim.LangAuto, []sim.Act{sim.ActAskProblem}},
		// each act, plainly
		{"pitch", "Our platform automatically logs every call.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"objection", "You can try it free for 30 days, no risk.", sim.LangAuto, []sim.Act{sim.ActHandleObjection}},
		{"summarize", "So what I'm hearing is you need faster onboarding.", sim.LangAuto, []sim.Act{sim.ActSummarize}},
		{"propose time", "Could we start next Monday?", sim.LangAuto, []sim.Act{sim.ActProposeTime}},
		{"commitment", "Are you ready to move forward?", sim.LangAuto, []sim.Act{sim.ActAskCommitment}},
		{"pressure", "Stop wasting my time and sign.", sim.LangAuto, []sim.Act{sim.ActPressure}},
		{"zh pressure", "你到底买不买？", sim.LangAuto, []sim.Act{sim.ActPressure}},
		// words that look like acts inside a description
		{"deal in a noun", "Our coaching gets new reps to their first deal fast.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"zh close rate", "你们现在的成交率大概多少？", sim.LangAuto, []sim.Act{sim.ActAskSituation}},
		{"weekday in a noun", "The Monday report becomes a dashboard you export in one click.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"zh weekday in a noun", "系统每周一自动生成漏斗报表", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"follow-up feature", "It sends automatic follow-up reminders.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"zh on-site service", "我们每季度免费上门清洗饮水机", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"zh effort is no fee", "跟客户沟通上有没有觉得费劲的地方？", sim.LangAuto, []sim.Act{sim.ActAskProblem}},
		{"storey is no price floor", "We keep spare bottles on your floor.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		// sign-offs naming the next contact
		{"sign-off day", "Thanks for your time, talk to you Thursday!", sim.LangAuto, []sim.Act{sim.ActNextStep, sim.ActCloseCall}},
		{"zh sign-off day", "好的，谢谢李经理，那我们周二见。", sim.LangAuto, []sim.Act{sim.ActNextStep, sim.ActCloseCall}},
		{"asked sign-off proposes", "Could I talk to you Thursday about it?", sim.LangAuto, []sim.Act{sim.ActProposeTime, sim.ActNextStep}},
		// the agreed meeting is this call
		{"agreed demo", "Hi Ms Gao, Leo from KeDuoDuo, calling for our demo as planned.", sim.LangAuto, []sim.Act{sim.ActGreet, sim.ActPurpose}},
		{"zh agreed demo", "何老板您好，我是小张，约好今天给您演示的。", sim.LangAuto, []sim.Act{sim.ActGreet, sim.ActPurpose}},
		// pitches and rebuttals
		{"conditional pitch", "We'd build the programme around onboarding and retention.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"subordinate when", "When a rep leaves, the system keeps all their customers.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"rebuttal", "That makes sense. We wouldn't replace your trainers, we run it alongside them.", sim.LangAuto, []sim.Act{sim.ActRapport, sim.ActHandleObjection}},
		{"zh rebuttal", "这个我理解。我们不是来替代内训师的，课程按你们的业务定制。", sim.LangAuto, []sim.Act{sim.ActRapport, sim.ActHandleObjection}},
		{"opening value statement", "Hello Mr He, this is Jenny from KeDuoDuo. We help shops look after their members. Can I steal two minutes?", sim.LangAuto, []sim.Act{sim.ActGreet, sim.ActPurpose}},
		{"zh summary names a loss", "所以说，转化率掉下来，不光是少收两百万，对吧？", sim.LangAuto, []sim.Act{sim.ActSummarize}},
		{"price concern answered", "价格上您放心，很多客户三个月就回本了", sim.LangAuto, []sim.Act{sim.ActHandleObjection}},
		{"sign-off day then", "Brilliant, speak Monday then, bye!", sim.LangAuto, []sim.Act{sim.ActNextStep, sim.ActCloseCall}},
		{"zh typo 在 for 再", "那我明天在给您打个电话？", sim.LangAuto, []sim.Act{sim.ActProposeTime, sim.ActNextStep}},
		// structure: which clause asks, indefinite question words, dates that propose nothing
		{"asking for time asks no situation", "Hi Ann, hope things are calm today, could I borrow two minutes?", sim.LangAuto, []sim.Act{sim.ActGreet, sim.ActPurpose, sim.ActRapport}},
		{"zh 谁都 is no question", "是啊，这阵子谁都忙", sim.LangAuto, []sim.Act{sim.ActRapport}},
		{"zh 几个 is a few", "我给您发几份资料看看", sim.LangAuto, []sim.Act{sim.ActNextStep}},
		{"zh bill is the customer's situation", "你们一个月电费大概多少？", sim.LangAuto, []sim.Act{sim.ActAskSituation}},
		{"market prices are no price", "How much have fuel prices hurt your margins?", sim.LangAuto, []sim.Act{sim.ActAskMotive}},
		{"zh conditional offer", "签三年的话，单价可以再降一点", sim.LangAuto, []sim.Act{sim.ActPrice}},
		{"goodbye wish names no time", "thanks, enjoy the game tonight, bye", sim.LangAuto, []sim.Act{sim.ActCloseCall}},
		{"past meeting is the purpose", "I'm calling about the seminar you booked last week.", sim.LangAuto, []sim.Act{sim.ActPurpose}},
		{"unknown product words after we", "Our linen service swaps everything twice a week.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"unknown product words after 我们", "嗯我们每周来两次换布草", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"we, in the past, is no pitch", "我们上周聊过的", sim.LangAuto, []sim.Act{sim.ActOther}},
		{"a threat if the customer does not sign", "如果不签的话名额就没了", sim.LangAuto, []sim.Act{sim.ActPressure}},
		{"a promised benefit in unknown words", "That way the team stops losing leads on weekends.", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"a promised benefit in unknown words zh", "这样您团队的新人一个月就能开单。", sim.LangAuto, []sim.Act{sim.ActPitch}},
		{"other", "hmm ok", sim.LangAuto, []sim.Act{sim.ActOther}},
		{"other zh", "嗯", sim.LangAuto, []sim.Act{sim.ActOther}},
		{"empty", "", sim.LangAuto, []sim.Act{sim.ActOther}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.text, tt.lang).Acts
			if !slices.Equal(got, tt.want) {
				t.Errorf("Classify(%q) = %v; want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestClassifyQuestion(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		text string
		want bool
	}{
		{"How many reps do you have?", true},
		{"how many reps do u have", true},
		{"Do you have two minutes", true},
		{"Tell me about your team.", true},
		{"We offer a free trial.", false},
		{"So your main issue is speed, right?", true},
		{"目前用的是什么系统", true},
		{"现在方便说话吗", true},
		{"好不好", true},
		{"我不是要推销什么", false},
		{"我们的系统可以自动提醒", false},
		{"占用您几分钟", false},
		{"我先简单说一下我们怎么解决您的问题", false},
		{"给您演示一下我们是怎么做的", false},
		{"那我们怎么合作呢", true},
		{"您说说你们现在怎么管客户", true},
	}
	for _, tt := range tests {
		if got := c.Classify(tt.text, sim.LangAuto).Question; got != tt.want {
			t.Errorf("Classify(%q).Question = %v; want %v", tt.text, got, tt.want)
		}
	}
}

func TestClassifyCues(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		name string
		text string
		want sim.Cues
	}{
		{"why now", "Why now?", sim.Cues{WhyNow: true}},
		{"deadline", "Is there a deadline you're working toward?", sim.Cues{WhyNow: true}},
		{"zh why now", "为什么是现在？", sim.Cues{WhyNow: true}},
		{"zh by when", "什么时候之前必须解决？", sim.Cues{WhyNow: true}},
		{"implication nothing changes", "What happens if nothing changes?", sim.Cues{Implication: true}},
		{"implication delay cost", "How much does each month of delay cost you?", sim.Cues{Implication: true}},
		{"zh implication", "如果不解决会怎样？", sim.Cues{Implication: true}},
		{"zh implication delay", "每拖一个月损失多少？", sim.Cues{Implication: true}},
		{"date weekday", "How about Monday?", sim.Cues{Date: true}},
		{"date next week", "We can start next week.", sim.Cues{Date: true}},
		{"date month day", "Could we kick off on March 1?", sim.Cues{Date: true}},
		{"date tomorrow", "tmrw works", sim.Cues{Date: true}},
		{"zh date", "下周一开始怎么样？", sim.Cues{Date: true}},
		{"zh date numeric", "3月1日启动可以吗", sim.Cues{Date: true}},
		{"zh end of month", "月底前上线可以吗？", sim.Cues{Date: true}},
		{"no cues", "What CRM do you use?", sim.Cues{}},
		{"past is no date", "We spoke last week.", sim.Cues{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Classify(tt.text, sim.LangAuto).Cues; got != tt.want {
				t.Errorf("Classify(%q).Cues = %+v; want %+v", tt.text, got, tt.want)
			}
		})
	}
	// implication questions are motive questions
	for _, s := range []string{"What happens if nothing changes?", "如果不解决会怎样？", "每拖一个月损失多少？"} {
		if a := c.Classify(s, sim.LangAuto); !a.Has(sim.ActAskMotive) {
			t.Errorf("Classify(%q).Acts = %v; want ask_motive", s, a.Acts)
		}
	}
}

func TestClassifyLangDetection(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		text string
		lang sim.Lang
		want sim.Lang
	}{
		{"Hello, do you have a minute?", sim.LangAuto, sim.LangEN},
		{"您好，方便说话吗？", sim.LangAuto, sim.LangZH},
		{"您好，方便说话吗？", "", sim.LangZH},
		{"我们的CRM系统很好用", sim.LangAuto, sim.LangZH},
		{"OK 好的", sim.LangAuto, sim.LangZH},
		{"ok", sim.LangAuto, sim.LangEN},
		{"", sim.LangAuto, sim.LangEN},
		{"我们的CRM系统很好用", sim.LangEN, sim.LangEN}, // an explicit language is kept
	}
	for _, tt := range tests {
		if got := c.Classify(tt.text, tt.lang).Lang; got != tt.want {
			t.Errorf("Classify(%q, %q).Lang = %q; want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestClassifyAmountAndUnits(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		text      string
		amount    float64
		hasAmount bool
		units     int
	}{
		{"The price is 5000", 5000, true, 4},
		{"The whole program costs 5,000", 5000, true, 5},
		{"It's 5,000 for the team", 0, false, 5}, // a bare number needs price talk
		{"only $5k", 5000, true, 2},
		{"$49 per user per month", 49, true, 5},
		{"3万", 30000, true, 1},
		{"三万", 30000, true, 1},
		{"2.5万元一年", 25000, true, 3},
		{"八千块钱您觉得能接受吗", 8000, true, 6},
		{"全套培训是29800元", 29800, true, 4},
		{"价格是两万五，含税", 25000, true, 4},
		{"一千二百二十五元", 1225, true, 4},
		{"Normally it's 29,800, but I'll do it for 21,000 if you sign today.", 21000, true, 13},
		{"十个账号一年9800，上线培训全包。", 9800, true, 7},
		{"We have 20 reps", 0, false, 4},
		{"打九折", 0, false, 2},
		{"下周一开始", 0, false, 3},
		{"How many reps do you have?", 0, false, 6},
		{"   ", 0, false, 0},
		{"?", 0, false, 1},
	}
	for _, tt := range tests {
		a := c.Classify(tt.text, sim.LangAuto)
		if a.HasAmount != tt.hasAmount || math.Abs(a.Amount-tt.amount) > 1e-9 {
			t.Errorf("Classify(%q) amount = %v, %v; want %v, %v", tt.text, a.Amount, a.HasAmount, tt.amount, tt.hasAmount)
		}
		if a.Units != tt.units {
			t.Errorf("Classify(%q).Units = %d; want %d", tt.text, a.Units, tt.units)
		}
	}
}

func TestClassifyConcurrent(t *testing.T) {
	c := mustClassifier(t)
	lines := []string{"Hi, this is Li from Acme — do you have two minutes?", "為什麼是現在？", "$5k", "每拖一个月损失多少？"}
	want := make([]sim.Analysis, len(lines))
	for i, l := range lines {
		want[i] = c.Classify(l, sim.LangAuto)
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for n := 0; n < 50; n++ {
				for i, l := range lines {
					if got := c.Classify(l, sim.LangAuto); !slices.Equal(got.Acts, want[i].Acts) || got.Cues != want[i].Cues {
						t.Errorf("Classify(%q) concurrently = %+v; want %+v", l, got, want[i])
						return
					}
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// labelled is one line of an act corpus.
type labelled struct {
	line int
	acts []sim.Act
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
		var acts []sim.Act
		for _, s := range strings.Split(label, ",") {
			a := sim.Act(strings.TrimSpace(s))
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
type actScores map[sim.Act]*[3]int

// evaluate classifies every line and returns per-act counts and the
// macro-F1: F1 per act over the acts present in the labels or the
// predictions (an act only ever predicted wrongly counts as 0), averaged.
func evaluate(read func(string, sim.Lang) []sim.Act, corpus []labelled, lang sim.Lang, misses func(labelled, []sim.Act)) (actScores, float64) {
	sc := actScores{}
	get := func(a sim.Act) *[3]int {
		if sc[a] == nil {
			sc[a] = new([3]int)
		}
		return sc[a]
	}
	for _, l := range corpus {
		got := read(l.text, lang)
		for _, a := range sim.Acts {
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

func sameActs(a, b []sim.Act) bool {
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
	for _, a := range sim.Acts {
		s := sc[a]
		if s == nil {
			continue
		}
		p, r := prf(s)
		fmt.Fprintf(&b, "%-17s %5.2f %5.2f %5.2f %4d %4d %4d\n", a, p, r, f1(s), s[0], s[1], s[2])
	}
	return b.String()
}

func TestSplitPieces(t *testing.T) {
	tests := []struct {
		name, norm string
		sentences  bool
		want       []string
	}{
		{"sentences", "好的。我们每月送24桶。您看呢?", true, []string{"好的", "我们每月送24桶", "您看呢"}},
		{"decimal point", "每月24桶18.9升的水。两小时送到", true, []string{"每月24桶18.9升的水", "两小时送到"}},
		{"english decimal", "it takes 2.5 hours. ok?", true, []string{"it takes 2.5 hours", "ok"}},
		{"full stop after a number", "we have 12. you have 3", true, []string{"we have 12", "you have 3"}},
		{"clauses", "好的,我们每月送,您看呢", false, []string{"好的", "我们每月送", "您看呢"}},
		{"dash between sentences", "we deliver to offices - can i ask how you get yours?", true, []string{"we deliver to offices", "can i ask how you get yours"}},
		{"hyphen in a word", "a one-page summary", true, []string{"a one-page summary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitPieces(tt.norm, tt.sentences); !slices.Equal(got, tt.want) {
				t.Errorf("splitPieces(%q) = %q; want %q", tt.norm, got, tt.want)
			}
		})
	}
}

// Polite lines that outside players said and the ear once read as pushing
// (a pushed customer loses trust and may hang up): no pressure in any of
// them, from the patterns or from the model.
func TestPoliteLinesDoNotPush(t *testing.T) {
	e := MustNew()
	for _, line := range []string{
		"Okay, so you call someone each week. How's that working out — do they come on time when you run out?",
		"Of course, I wouldn't ask you to sign anything. I'm just curious, from your side — is there anything about the water now that bothers you, like waiting for delivery or the dispensers not getting cleaned?",
		"Of course, I'm not asking you to decide yet. What would you need to see to be sure this will actually get your new reps closing before the review?",
		"That's fair, I don't want you paying for water you don't use. You've got my WeChat — if your current supplier lets you down or the owner wants to revisit it, just message me. Would it be okay if I check in once next month?",
	} {
		if a := e.Understand(line, sim.LangEN); slices.Contains(a.Acts, sim.ActPressure) {
			t.Errorf("%q read as pushing: %v", line, a.Acts)
		}
	}
	if a := e.Understand("Come on, just sign it today.", sim.LangEN); !slices.Contains(a.Acts, sim.ActPressure) {
		t.Errorf("\"Come on, just sign it today.\" not read as pushing: %v", a.Acts)
	}
}
