package understand

// feature is a signal the lexicons find in a line. Acts are decided from the
// features of each clause and sentence (classifier.go), never from whole
// sentences, so that new wording with known parts is understood.
type feature uint8

const (
	fNone        feature = iota
	fNeg                 // not, don't, never, 不, 没, 别
	fBlock               // consumes words that would otherwise mislead ("this is a", "一点")
	fGreet               // hi, hello, good morning, 你好
	fIntro               // this is Li from, my name is, 我是
	fPurpose             // I'm calling about, do you have a minute, 打扰您两分钟
	fSell                // sell, sales call, 推销: pitch, or purpose when negated
	fRapport             // empathy, acknowledgement, small talk
	fSituation           // facts of the current situation (team, system, process)
	fProblem             // difficulties, dissatisfaction, wishes
	fMotive              // why, what's driving it, importance, priority
	fWhyNow              // why now, why this year, 为什么是现在
	fDeadline            // by when, deadline, 什么时候之前, 最晚
	fImplic              // the cost of waiting made concrete: 每拖一个月, cost of doing nothing
	fIfNot               // if nothing changes, if you don't, 如果不, 一直这样
	fConseq              // what happens, impact, lose, 损失, 影响, 后果
	fSummary             // so what I'm hearing, in other words, 您的意思是
	fSoYou               // a clause opening "so you / so the" (weak summary)
	fTag                 // is that right?, 对吧, 是吧
	fTagWord             // a clause of just "right" or "correct": a tag unless it opens the sentence
	fPitch               // we offer, it helps, our X automatically, 我们提供
	fProduct             // our product, 我们的系统 (weak pitch)
	fObjection           // guarantee, trial, case study, don't worry, 放心, 退款
	fObjWeak             // results, 效果: objection handling only in statements
	fPrice               // price, discount, per month, 价格, 打折
	fPriceTopic          // price, 价格, 费用: price, unless the sentence answers a concern with evidence
	fCost                // cost, how much, 多少钱 (weak price)
	fMoney               // $, bucks, 元, 块 (marks an amount as money)
	fDate                // a concrete date or time: Monday, March 1, 下周一, 3点
	fPast                // last week, yesterday, 上周, 上次
	fExpire              // until, expires, ends, 只到: a date that is a deadline of an offer
	fTimeQ               // when, what day, 什么时候, 哪天, 几点
	fStart               // start, kick off, go live, 开始, 上线, 开课
	fMeet                // meet, call you back, demo, 见面, 演示, 拜访
	fAction              // deliver, decide, pay, install, 送到, 答复
	fPropose             // how about, would … work, 怎么样, 可以吗, 方便吗
	fCommit              // sign, go ahead, do we have a deal, 签, 下单, 定下来
	fNext                // I'll send you, follow up, 发给您, 回头再聊
	fSend                // send, email (with fNext: material, not a meeting)
	fClose               // bye, have a nice day, thanks for your time, 再见
	fThanks              // thanks, 谢谢 (close_call when nothing else is said)
	fPressure            // decide now, stupid, last chance, 别犹豫, 你傻啊
	fHear                // can you hear me, say again, 听不清: line trouble
	fAsk                 // tell me about, I'm curious, 请问: asks without a question word
	fQW                  // Chinese question words and particles: 吗, 什么, 哪, 几, 多少
	fYou                 // you, your, 您, 你们, 贵司
	fSeeYou              // a sign-off naming the next contact: talk to you Thursday, 周二见
	fAgreed              // the meeting is this call: as planned, ready for the demo, 约好
	fAck                 // acknowledges a concern: I hear you, makes sense, 理解
	fCompany             // we help…, 我们是做…的: the company in one line (part of an introduction)
	fWeakPurpose         // 调研, 回访: a purpose unless the line plans a visit
	numFeatures
)

// At most 64 features: a clause's features live in a uint64.
var _ = [1]struct{}{}[numFeatures/64]

// negatable reports whether f changes meaning after a negator in the same
// clause ("I'm not calling to sell", "不是推销").
func (f feature) negatable() bool {
	switch f {
	case fSell, fCommit:
		return true
	}
	return false
}

// featureNames are the names the lexicon files give the features, in
// section headers such as [greet +rapport]; lexicon/README.md explains each
// one to the people who edit those files.
var featureNames = [numFeatures]string{
	fNeg:         "negation",
	fBlock:       "block",
	fGreet:       "greet",
	fIntro:       "intro",
	fPurpose:     "purpose",
	fSell:        "sell",
	fRapport:     "rapport",
	fSituation:   "situation",
	fProblem:     "problem",
	fMotive:      "motive",
	fWhyNow:      "why-now",
	fDeadline:    "deadline",
	fImplic:      "implication",
	fIfNot:       "if-not",
	fConseq:      "consequence",
	fSummary:     "summary",
	fSoYou:       "so-you",
	fTag:         "tag",
	fTagWord:     "tag-word",
	fPitch:       "pitch",
	fProduct:     "product",
	fObjection:   "objection",
	fObjWeak:     "objection-weak",
	fPrice:       "price",
	fPriceTopic:  "price-topic",
	fCost:        "cost",
	fMoney:       "money",
	fDate:        "date",
	fPast:        "past",
	fExpire:      "expire",
	fTimeQ:       "time-question",
	fStart:       "start",
	fMeet:        "meet",
	fAction:      "action",
	fPropose:     "propose",
	fCommit:      "commit",
	fNext:        "next",
	fSend:        "send",
	fClose:       "close",
	fThanks:      "thanks",
	fPressure:    "pressure",
	fHear:        "hear",
	fAsk:         "ask",
	fQW:          "question-word",
	fYou:         "you",
	fSeeYou:      "see-you",
	fAgreed:      "agreed",
	fAck:         "acknowledge",
	fCompany:     "company",
	fWeakPurpose: "purpose-weak",
}

// String returns the feature's name in the lexicon files.
func (f feature) String() string {
	if f < numFeatures && featureNames[f] != "" {
		return featureNames[f]
	}
	return "none"
}

// featureNamed returns the feature a lexicon file calls name.
func featureNamed(name string) (feature, bool) {
	for f, n := range featureNames {
		if n != "" && n == name {
			return feature(f), true
		}
	}
	return fNone, false
}
