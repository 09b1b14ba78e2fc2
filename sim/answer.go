package sim

import (
	"slices"
	"strings"
	"unicode"
)

// What a discovery question asks about decides which of the customer's
// lines answers it: asked how many members the shops have, the customer
// talks about its members, not about the bread it sells, even when both
// lines answer "volumes". The line is chosen by the words it shares with
// the question (English word stems, Chinese character pairs), among the
// lines of the topic asked, the general situation and the other topics.

// answerKeys are the content keys of a text: English words of four letters
// or more with a plural or tense ending cut, and pairs of Chinese
// characters, without those that any question or answer is made of.
func answerKeys(s string) map[string]bool {
	keys := map[string]bool{}
	var han []rune
	flush := func() {
		for i := 0; i+1 < len(han); i++ {
			if k := string(han[i : i+2]); !zhFunctionPair[k] {
				keys[k] = true
			}
		}
		han = han[:0]
	}
	var word []rune
	flushWord := func() {
		if len(word) >= 4 {
			w := string(word)
			for _, suf := range []string{"ing", "ies", "es", "ed", "s"} {
				if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
					w = strings.TrimSuffix(w, suf)
					break
				}
			}
			if !enFunctionWord[w] {
				keys[w] = true
			}
		}
		word = word[:0]
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r):
			flush()
			word = append(word, r)
		default:
			flush()
			flushWord()
		}
	}
	flush()
	flushWord()
	return keys
}

// Words and character pairs that carry no topic of their own.
var (
	enFunctionWord = map[string]bool{
		"what": true, "have": true, "your": true, "about": true, "there": true, "does": true, "that": true,
		"this": true, "with": true, "they": true, "many": true, "much": true, "right": true, "moment": true,
		"currently": true, "today": true, "would": true, "could": true, "should": true, "were": true, "been": true,
		"from": true, "into": true, "when": true, "where": true, "which": true, "their": true, "them": true,
		"some": true, "just": true, "like": true, "then": true, "than": true, "will": true, "also": true,
		"know": true, "tell": true, "more": true, "most": true, "very": true, "really": true, "thing": true,
		"around": true, "roughly": true, "usual": true, "usually": true, "normally": true,
	}
	zhFunctionPair = map[string]bool{
		"现在": true, "大概": true, "多少": true, "怎么": true, "什么": true, "你们": true, "咱们": true,
		"我们": true, "平时": true, "这个": true, "那个": true, "有没": true, "没有": true, "一下": true,
		"是不": true, "不是": true, "情况": true, "这块": true, "一般": true, "目前": true, "请问": true,
		"您们": true, "的话": true, "还是": true, "比较": true, "知道": true, "了解": true, "问问": true,
		"想问": true, "这边": true, "那边": true, "就是": true, "可以": true, "一个": true, "这样": true,
	}
)

// overlap counts the keys of line found in q.
func overlap(q map[string]bool, line string) int {
	n := 0
	for k := range answerKeys(line) {
		if q[k] {
			n++
		}
	}
	return n
}

// sayAsked answers a question with the persona's line for situation sit,
// unless a line of the general situation or another topic shares more
// with the question's words; among equals it prefers the topic's own
// lines and then the one said least often, so the customer answers what
// was asked and does not repeat itself while it has something else to say.
func (t *turnCtx) sayAsked(d *Deal, sit Situation, alts []Situation) {
	q := answerKeys(t.a.Norm)
	if len(q) == 0 {
		t.say(d, sit)
		return
	}
	bestSit, best, bestScore := Situation(""), "", 0
	for k, s := range append([]Situation{sit}, alts...) {
		if k > 0 && s == sit {
			continue
		}
		for _, l := range d.p.LinesFor(d.sc, s, d.cfg.Lang) {
			if d.said[l] > 0 {
				continue
			}
			n := overlap(q, l)
			if n == 0 || k > 0 && n < 2 {
				// Another topic's line must share more than one word with
				// the question: one ("店里", "shop") is often chance.
				continue
			}
			score := 2 * n
			if k == 0 {
				score += 2 // the topic asked about
			}
			if score > bestScore {
				bestSit, best, bestScore = s, l, score
			}
		}
	}
	if best == "" {
		t.say(d, sit)
		return
	}
	t.sayLine(d, bestSit, best)
}

// sayLine says line, one of the customer's lines for sit, and counts it as
// said.
func (t *turnCtx) sayLine(d *Deal, sit Situation, line string) {
	d.said[line]++
	d.lastSaid = line
	t.sit = sit
	t.lines = append(t.lines, line)
}

// restateConcern says open concern i again, in the words said least often.
// Asked what it thinks itself while the decision is someone else's, a
// customer that cannot decide alone says so instead (own_view).
func (t *turnCtx) restateConcern(d *Deal, i int) {
	if d.asksOwnView(t.a, i) && d.hasLines(SitOwnView) {
		t.say(d, SitOwnView)
		return
	}
	t.sit = SitObjectionHold
	t.lines = append(t.lines, d.pick(d.p.Objections[i].Lines[d.cfg.Lang], 0))
}

// What a next step proposes — to meet (or book a demo, a visit), to send
// something, to call again — decides which of the customer's agreements
// answers it: "Would Tuesday or Thursday suit for the demo?" is not
// answered with "send me the details". The words that tell the kinds apart
// are the same for the trainee's line and the customer's.
var nextStepKinds = []struct {
	kind  string
	words map[Lang][]string
}{
	{"send", map[Lang][]string{
		LangEN: {"send", "email", "e-mail", "wechat", "whatsapp", "text you", "details", "brochure", "material", "quote over", "proposal over", "link"},
		LangZH: {"发", "资料", "微信", "邮箱", "邮件", "短信", "链接", "报价单"},
	}},
	{"meet", map[Lang][]string{
		LangEN: {"book", "date", "set that up", "set it up", "meet", "demo", "visit", "come over", "come by", "see you", "pencil",
			"on site", "on-site", "in person", "drop by", "stop by", "swing by", "pop in", "survey", "walk you through"},
		LangZH: {"约", "见面", "演示", "上门", "拜访", "我过来", "我过去", "过来一趟", "过去一趟", "过去找您", "过来找您", "到店", "当面", "到您那", "去您那", "调研"},
	}},
	{"call", map[Lang][]string{
		LangEN: {"call", "ring", "get in touch", "phone"},
		LangZH: {"打过来", "打给", "再打", "回电", "联系", "电话"},
	}},
}

// nextStepKind is the kind whose words s names last, or "": a line
// proposes its step at the end ("the customer records stay in the system…
// shall I book a demo for Thursday?" books a demo, it sends no details).
func nextStepKind(s string, lang Lang) string {
	s = strings.ToLower(s)
	kind, at := "", -1
	for _, k := range nextStepKinds {
		for _, w := range k.words[lang] {
			if i := strings.LastIndex(s, w); i > at {
				kind, at = k.kind, i
			}
		}
	}
	return kind
}

// stepKind is the kind of next step the trainee's line proposes: "send",
// "meet", "call", or "" when it does not say.
func (t *turnCtx) stepKind(d *Deal) string {
	kind := nextStepKind(t.a.Norm, d.cfg.Lang)
	if (t.a.Cues.Date || d.ear.Mentions(t.a, []string{"@meeting"})) && kind != "send" {
		// A step with a day or a time ("Thursday at three, or Friday at
		// ten?") is booked, not answered with "send me the details".
		kind = "meet"
	}
	return kind
}

// sayNextStep agrees to the next step proposed with the line of the same
// kind (meeting, material, call), said least often, else any.
func (t *turnCtx) sayNextStep(d *Deal) {
	kind := t.stepKind(d)
	if kind == "" {
		t.say(d, SitNextStepOK)
		return
	}
	vs := d.p.LinesFor(d.sc, SitNextStepOK, d.cfg.Lang)
	least := -1
	for _, l := range vs {
		if least < 0 || d.said[l] < least {
			least = d.said[l]
		}
	}
	best := ""
	for _, l := range vs {
		// Not a line said more often than another it could say instead.
		if nextStepKind(l, d.cfg.Lang) == kind && d.said[l] == least {
			best = l
			break
		}
	}
	if best == "" {
		t.say(d, SitNextStepOK)
		return
	}
	t.sayLine(d, SitNextStepOK, best)
}

// asksOwnView reports whether line a, while concern i (that someone else
// decides) is open, asks the customer what it thinks of what was presented
// ("And you yourself, do you think it would fit?"). A customer that
// cannot decide alone still has a view of its own.
func (d *Deal) asksOwnView(a Analysis, i int) bool {
	o := d.p.Objections[i]
	if o.Kind != "authority" || d.p.Hidden.DecidesAlone || !d.pitchWeighed || !a.Question {
		return false
	}
	return d.ear.Mentions(a, []string{"@cue.own_view"})
}

// hasLines reports whether the persona or its scenario has lines for sit.
func (d *Deal) hasLines(sit Situation) bool {
	return len(d.p.LinesFor(d.sc, sit, d.cfg.Lang)) > 0
}

// asksSeen reports whether line a, in a follow-up call, asks whether the
// customer looked at what was sent or passed it on ("Did you get a chance
// to look at the quote?", 资料您转给老板了吗), once a call, and asks
// nothing more decisive (a price, a date, a presentation).
func (d *Deal) asksSeen(a Analysis) bool {
	if len(d.calls) < 2 || d.call().seenAsked || !a.Question || a.Has(ActPitch) ||
		slices.ContainsFunc(a.Acts, func(x Act) bool { return x.Stage() == StageCommitment && x != ActNextStep }) {
		return false
	}
	return d.ear.Mentions(a, []string{"@cue.material_seen"})
}
