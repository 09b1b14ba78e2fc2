package sim

import (
	"math"
	"slices"
	"testing"
)

// mustClassifier returns a classifier shared by one test.
func mustClassifier(tb testing.TB) *Classifier {
	tb.Helper()
	return NewClassifier()
}

func TestClassifyActs(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		name string
		text string
		lang Lang
		want []Act
	}{
		// multi-act
		{"multi greet purpose", "Hi, this is Li from Acme — do you have two minutes?", LangAuto, []Act{ActGreet, ActPurpose}},
		{"multi zh greet purpose", "您好，我是易销的小李，耽误您两分钟可以吗？", LangAuto, []Act{ActGreet, ActPurpose}},
		{"multi rapport problem", "I hear you. What's the hardest part of it?", LangAuto, []Act{ActRapport, ActAskProblem}},
		{"multi price commit", "If I take 10% off, can we sign today?", LangAuto, []Act{ActPrice, ActAskCommitment}},
		{"multi next close", "I'll email you the deck, thanks for your time, bye!", LangAuto, []Act{ActNextStep, ActCloseCall}},
		// negation
		{"negation not selling", "I'm not calling to sell you anything", LangAuto, []Act{ActPurpose}},
		{"negation zh not selling", "我不是要推销什么", LangAuto, []Act{ActPurpose}},
		{"negation no discount is price", "we don't offer discounts", LangAuto, []Act{ActPrice}},
		{"negation no pressure", "I don't want to pressure you, take your time", LangAuto, []Act{ActRapport}},
		{"negation no problem is not a question", "no problem at all", LangAuto, []Act{ActRapport}},
		{"negation zh no problem", "没问题", LangAuto, []Act{ActRapport}},
		// traditional characters
		{"traditional purpose", "打擾您兩分鐘可以嗎？", LangAuto, []Act{ActPurpose}},
		{"traditional motive", "為什麼是現在？", LangAuto, []Act{ActAskMotive}},
		{"traditional implication", "如果不解決會怎樣？", LangAuto, []Act{ActAskMotive}},
		{"traditional price", "這個月簽約可以打八折", LangAuto, []Act{ActPrice}},
		{"traditional close", "謝謝您的時間，再見", LangAuto, []Act{ActCloseCall}},
		// informal and typos
		{"typo situation", "wat crm r u using rn", LangAuto, []Act{ActAskSituation}},
		{"typo time", "how bout tmrw at 10", LangAuto, []Act{ActProposeTime}},
		{"typo close", "thx 4 ur time, bye", LangAuto, []Act{ActCloseCall}},
		{"typo purpose", "got a sec", LangAuto, []Act{ActPurpose}},
		// questions versus statements
		{"statement problem word", "I'm sorry, that must be frustrating.", LangAuto, []Act{ActRapport}},
		{"question problem word", "What frustrates you most?", LangAuto, []Act{ActAskProblem}},
		{"zh a-not-a question", "你们对现在的系统满不满意", LangAuto, []Act{ActAskProblem}},
		// each act, plainly
		{"pitch", "Our platform automatically logs every call.", LangAuto, []Act{ActPitch}},
		{"objection", "You can try it free for 30 days, no risk.", LangAuto, []Act{ActHandleObjection}},
		{"summarize", "So what I'm hearing is you need faster onboarding.", LangAuto, []Act{ActSummarize}},
		{"propose time", "Could we start next Monday?", LangAuto, []Act{ActProposeTime}},
		{"commitment", "Are you ready to move forward?", LangAuto, []Act{ActAskCommitment}},
		{"pressure", "Stop wasting my time and sign.", LangAuto, []Act{ActPressure}},
		{"zh pressure", "你到底买不买？", LangAuto, []Act{ActPressure}},
		{"other", "hmm ok", LangAuto, []Act{ActOther}},
		{"other zh", "嗯", LangAuto, []Act{ActOther}},
		{"empty", "", LangAuto, []Act{ActOther}},
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
	}
	for _, tt := range tests {
		if got := c.Classify(tt.text, LangAuto).Question; got != tt.want {
			t.Errorf("Classify(%q).Question = %v; want %v", tt.text, got, tt.want)
		}
	}
}

func TestClassifyCues(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		name string
		text string
		want Cues
	}{
		{"why now", "Why now?", Cues{WhyNow: true}},
		{"deadline", "Is there a deadline you're working toward?", Cues{WhyNow: true}},
		{"zh why now", "为什么是现在？", Cues{WhyNow: true}},
		{"zh by when", "什么时候之前必须解决？", Cues{WhyNow: true}},
		{"implication nothing changes", "What happens if nothing changes?", Cues{Implication: true}},
		{"implication delay cost", "How much does each month of delay cost you?", Cues{Implication: true}},
		{"zh implication", "如果不解决会怎样？", Cues{Implication: true}},
		{"zh implication delay", "每拖一个月损失多少？", Cues{Implication: true}},
		{"date weekday", "How about Monday?", Cues{Date: true}},
		{"date next week", "We can start next week.", Cues{Date: true}},
		{"date month day", "Could we kick off on March 1?", Cues{Date: true}},
		{"date tomorrow", "tmrw works", Cues{Date: true}},
		{"zh date", "下周一开始怎么样？", Cues{Date: true}},
		{"zh date numeric", "3月1日启动可以吗", Cues{Date: true}},
		{"zh end of month", "月底前上线可以吗？", Cues{Date: true}},
		{"no cues", "What CRM do you use?", Cues{}},
		{"past is no date", "We spoke last week.", Cues{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Classify(tt.text, LangAuto).Cues; got != tt.want {
				t.Errorf("Classify(%q).Cues = %+v; want %+v", tt.text, got, tt.want)
			}
		})
	}
	// implication questions are motive questions
	for _, s := range []string{"What happens if nothing changes?", "如果不解决会怎样？", "每拖一个月损失多少？"} {
		if a := c.Classify(s, LangAuto); !a.Has(ActAskMotive) {
			t.Errorf("Classify(%q).Acts = %v; want ask_motive", s, a.Acts)
		}
	}
}

func TestClassifyLangDetection(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		text string
		lang Lang
		want Lang
	}{
		{"Hello, do you have a minute?", LangAuto, LangEN},
		{"您好，方便说话吗？", LangAuto, LangZH},
		{"您好，方便说话吗？", "", LangZH},
		{"我们的CRM系统很好用", LangAuto, LangZH},
		{"OK 好的", LangAuto, LangZH},
		{"ok", LangAuto, LangEN},
		{"", LangAuto, LangEN},
		{"我们的CRM系统很好用", LangEN, LangEN}, // an explicit language is kept
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
		{"We have 20 reps", 0, false, 4},
		{"打九折", 0, false, 2},
		{"下周一开始", 0, false, 3},
		{"How many reps do you have?", 0, false, 6},
		{"   ", 0, false, 0},
		{"?", 0, false, 1},
	}
	for _, tt := range tests {
		a := c.Classify(tt.text, LangAuto)
		if a.HasAmount != tt.hasAmount || math.Abs(a.Amount-tt.amount) > 1e-9 {
			t.Errorf("Classify(%q) amount = %v, %v; want %v, %v", tt.text, a.Amount, a.HasAmount, tt.amount, tt.hasAmount)
		}
		if a.Units != tt.units {
			t.Errorf("Classify(%q).Units = %d; want %d", tt.text, a.Units, tt.units)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		norm     string
		priceCtx bool
		want     float64
		ok       bool
	}{
		{"5000", true, 5000, true},
		{"5000", false, 0, false},
		{"5,000", true, 5000, true},
		{"$5k", false, 5000, true},
		{"5k", false, 5000, true},
		{"3万", false, 30000, true},
		{"三万", false, 30000, true},
		{"2.5万元", false, 25000, true},
		{"八千", false, 8000, true},
		{"29800元", false, 29800, true},
		{"三千六", false, 3600, true},
		{"一万二", false, 12000, true},
		{"四十九块", false, 49, true},
		{"九十九", true, 99, true},
		{"十二万", false, 120000, true},
		{"£2.50 a cup", false, 2.5, true},
		{"50 bucks", false, 50, true},
		{"15% off", true, 0, false},
		{"march 1", true, 0, false},
		{"10:30", true, 0, false},
		{"负责哪一块", true, 0, false},
	}
	for _, tt := range tests {
		got, ok := parseAmount(tt.norm, tt.priceCtx)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("parseAmount(%q, %v) = %v, %v; want %v, %v", tt.norm, tt.priceCtx, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct{ in, want string }{
		{"  Hello   WORLD ", "hello world"},
		{"這個價格已經是最優惠的了", "这个价格已经是最优惠的了"},
		{"銷售培訓 第一講 里程碑", "销售培训 第一讲 里程碑"},
		{"你好，请问？", "你好,请问?"},
		{"ＡＢＣ１２３", "abc123"},
		{"don’t", "don't"},
		{"a\tb\nc", "a b c"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := c.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	// every traditional character of the lecture's key terms folds
	for _, s := range []string{"里程碑的三個含義", "電話銷售人員", "認可價格和時間", "挖需求", "要承諾", "急迫動機"} {
		for _, r := range c.Normalize(s) {
			if r >= foldLo && r <= foldHi && c.fold[r-foldLo] != 0 {
				t.Errorf("Normalize(%q) keeps traditional %q", s, r)
			}
		}
	}
}

func TestMentions(t *testing.T) {
	c := mustClassifier(t)
	tests := []struct {
		text  string
		words []string
		want  bool
	}{
		{"We need to hit our target next month", []string{"target"}, true},
		{"We need to hit our targets", []string{"target"}, false},
		{"Our design team", []string{"sign"}, false},
		{"sales target raised 30%", []string{"Sales Target"}, true},
		{"老闆要求下個月見效果", []string{"老板"}, true},
		{"业绩目标提高了", []string{"業績"}, true},
		{"nothing here", []string{"", "x"}, false},
		{"crm系统", []string{"CRM"}, true}, // a Han character is a boundary
		{"scrm系统", []string{"CRM"}, false},
	}
	for _, tt := range tests {
		if got := c.Mentions(c.Normalize(tt.text), tt.words); got != tt.want {
			t.Errorf("Mentions(%q, %q) = %v; want %v", tt.text, tt.words, got, tt.want)
		}
	}
}

func TestClassifyConcurrent(t *testing.T) {
	c := mustClassifier(t)
	lines := []string{"Hi, this is Li from Acme — do you have two minutes?", "為什麼是現在？", "$5k", "每拖一个月损失多少？"}
	want := make([]Analysis, len(lines))
	for i, l := range lines {
		want[i] = c.Classify(l, LangAuto)
	}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for n := 0; n < 50; n++ {
				for i, l := range lines {
					if got := c.Classify(l, LangAuto); !slices.Equal(got.Acts, want[i].Acts) || got.Cues != want[i].Cues {
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
