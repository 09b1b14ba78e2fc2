package understand

import (
	"slices"
	"strings"

	"github.com/callsim/callsim/sim"
)

// lexReader turns trainee lines into acts (DOMAIN section 3) and the cues
// the engine needs. It is deterministic, uses only the standard library and
// is safe for concurrent use: all its tables are built by newLexReaderFrom
// from the lexicon files (lexicon/) and only read afterwards.
//
// A line is normalised (Normalize), split into tokens (English words,
// single Han characters, numbers, clause and sentence breaks) and scanned
// with the lexicons for features (a topic word, a question form, a
// negator…). Acts are then decided per clause and sentence from the
// features and from whether the sentence is a question.
type lexReader struct {
	fold  []rune // traditional → simplified, indexed by rune-foldLo
	canon map[string]string
	m     matcher
	words map[string]wordClass
}

// wordClass tags the English words that matter for question detection.
type wordClass uint8

const (
	wcWh      wordClass = 1 << iota // what, how, why, when, where, who, which
	wcAux                           // can, could, would, shall, should, may, might
	wcAuxSubj                       // do, is, are, have…: a question only before a subject
	wcSubj                          // you, we, it, this, there…
	wcFiller                        // so, ok, well, um… skipped at a clause start
	wcNotSo                         // words after "so" that do not start a summary
)

// newLexReader builds a reader from the embedded lexicon files. They are
// part of the program and every test loads them, so an error in them is a
// programming error here; New reports it as an error instead.
func newLexReader() *lexReader {
	c, err := newLexReaderFrom(lexiconFiles)
	if err != nil {
		panic("understand: " + err.Error())
	}
	return c
}

// newBareReader returns a reader with the informal spellings canon and no
// patterns yet: compileLexicon adds them.
func newBareReader(canon map[string]string) *lexReader {
	c := &lexReader{
		fold:  newFoldTable(),
		canon: canon,
		words: make(map[string]wordClass, 128),
		m:     newMatcher(),
	}
	for cls, list := range map[wordClass]string{
		wcWh:      "what how why when where who which whose whom",
		wcAux:     "can could would shall should may might will any anything anyone anybody",
		wcAuxSubj: "do does did is are was were have has am",
		wcSubj:    "you your we they i it this that there he she the anyone anything any now everything everyone someone something our my these those",
		wcFiller:  "so and but roughly approximately ok well um uh umm uhh er erm also all right oh hey hi hello great cool sorry hmm yes actually anyway then just look listen perfect awesome sure alright and mr ms mrs",
		wcNotSo:   "we i our let us um uh if that this what how why when where who which do does did is are was were can could would shall should will may ok and here there first next then far yes thanks sorry please",
	} {
		for _, w := range strings.Fields(list) {
			c.words[w] |= cls
		}
	}
	return c
}

// newMatcher returns an empty matcher sized for the lexicons.
func newMatcher() matcher {
	return matcher{
		ids:    make(map[string]int32, 4096),
		exact2: make(map[uint64][]int32, 4096),
		prefix: make(map[string][]int32, 128),
	}
}

// clauseInfo holds the features found in one clause.
type clauseInfo struct {
	bits, neg uint64
	sent      int32
	wh        bool // asks with a question word of its own
	asks      bool // asks itself: a question word or auxiliary first, or a question mark after it
}

func bit(f feature) uint64 { return 1 << f }

func has(bits uint64, fs ...feature) bool {
	for _, f := range fs {
		if bits&bit(f) != 0 {
			return true
		}
	}
	return false
}

// Classify analyses one trainee line. lang may be sim.LangZH, sim.LangEN, or
// sim.LangAuto / "" to detect the language: a line with at least as many Han
// characters as other words is Chinese.
func (c *lexReader) Classify(text string, lang sim.Lang) sim.Analysis {
	norm := c.Normalize(text)
	var tokBuf [128]token
	toks, st := c.tokenize(tokBuf[:0], norm)
	c.m.setIDs(toks)
	var hitBuf [64]hit
	hits := c.m.scan(hitBuf[:0], toks)

	a := sim.Analysis{Text: text, Norm: norm, Lang: lang}
	if !lang.Valid() {
		a.Lang = sim.LangEN
		if st.han > 0 && st.han >= st.words {
			a.Lang = sim.LangZH
		}
	}
	a.Units = st.words + (st.han+1)/2
	if a.Units == 0 && strings.TrimSpace(text) != "" {
		a.Units = 1 // punctuation or symbols only: still a turn
	}

	// negation: a negator shortly before a negatable feature in the same clause
	for j := range hits {
		h := &hits[j]
		if !h.f.negatable() {
			continue
		}
		for k := j - 1; k >= 0 && hits[k].clause == h.clause; k-- {
			if hits[k].f == fNeg && h.pos-hits[k].end <= 3 {
				h.neg = true
				break
			}
		}
	}

	// features per clause
	nClauses := 1
	for _, t := range toks {
		if t.isBreak() {
			nClauses++
		}
	}
	var clBuf [24]clauseInfo
	cls := clBuf[:0]
	if nClauses > len(clBuf) {
		cls = make([]clauseInfo, 0, nClauses)
	}
	cls = cls[:nClauses]
	for i := range cls {
		cls[i] = clauseInfo{}
	}
	{
		ci, si := 0, int32(0)
		for i, t := range toks {
			cls[ci].sent = si
			if t.isBreak() {
				if t.s == "?" {
					cls[ci].asks = true
				}
				ci++
				if t.kind == tkSent {
					si++
				}
				continue
			}
			if t.kind == tkNum && strings.IndexByte(t.s, ':') > 0 {
				cls[ci].bits |= bit(fDate) // 10:30
			}
			if t.kind == tkHan {
				if q, wh := hanQuestion(toks, i); q {
					cls[ci].asks = true
					cls[ci].wh = cls[ci].wh || wh
				}
			} else if w := c.words[t.s]; t.kind == tkWord && w&(wcWh|wcAux|wcAuxSubj) != 0 && c.clauseStart(toks, i) {
				switch {
				case w&wcWh != 0:
					if c.whAsks(toks, i) {
						cls[ci].wh, cls[ci].asks = true, true
					}
				case w&wcAux != 0:
					cls[ci].asks = true
				case i+1 < len(toks) && c.words[toks[i+1].s]&wcSubj != 0:
					cls[ci].asks = true
				}
			}
			if t.s == "so" && c.sentenceStart(toks, i) && i+1 < len(toks) && !toks[i+1].isBreak() &&
				c.words[toks[i+1].s]&wcNotSo == 0 {
				cls[ci].bits |= bit(fSoYou)
			}
		}
		if ci < len(cls) {
			cls[ci].sent = si
		}
	}
	for _, h := range hits {
		if h.neg {
			cls[h.clause].neg |= bit(h.f)
		} else {
			cls[h.clause].bits |= bit(h.f)
		}
	}

	var acts, sacts uint32 // the line's acts, the sentence's acts
	set := func(x sim.Act) { sacts |= 1 << actIndex(x) }
	var lineBits, all uint64
	for _, cl := range cls {
		all |= cl.bits
	}
	hear := has(all, fHear)
	// "We help shops look after their members" introduces the company in
	// an opening that asks for time; anywhere else it pitches
	opening := has(all, fGreet, fIntro) && has(all, fPurpose)
	var thanks, ack, summaryLine bool
	// sentences
	for s0 := 0; s0 < len(cls); {
		s1 := s0
		for s1 < len(cls) && cls[s1].sent == cls[s0].sent {
			s1++
		}
		sc := cls[s0:s1]
		var S, N uint64
		for _, cl := range sc {
			S |= cl.bits
			N |= cl.neg
		}
		lineBits |= S
		// "…, right?" asks; "Right, ok." acknowledges
		for _, cl := range sc[1:] {
			if has(cl.bits, fTagWord) {
				S |= bit(fTag)
			}
		}
		q, wh := c.question(toks, cls[s0].sent, S)
		if q {
			a.Question = true
		}
		// "talk to you Thursday", 周二见: a goodbye that names the next
		// contact, not a time to negotiate; asked, it proposes the meeting
		if has(S, fSeeYou) {
			if q {
				S |= bit(fMeet)
			} else {
				S = S&^bit(fDate) | bit(fClose) | bit(fNext)
			}
		}
		// "ready for the demo?", 约好今天给您演示: the meeting is this call
		agreed := has(S, fAgreed) && !has(S, fDate)
		if agreed {
			S &^= bit(fMeet)
			if !has(S, fSend) {
				S &^= bit(fNext)
			}
		}
		motiveS := has(S, fMotive, fWhyNow, fDeadline, fImplic, fIfNot, fConseq)
		// "X, right?" about the customer restates what they said
		tagSummary := has(S, fTag) && !wh &&
			!has(S, fPitch, fProduct, fPropose, fDate, fCommit, fPrice, fPriceTopic, fNext, fMeet, fPurpose, fObjection)
		// "So ClearSpring is one of the biggest…" opens a presentation
		summaryS := has(S, fSummary) || has(S, fSoYou) && !has(S, fPitch, fCompany) || tagSummary
		summaryLine = summaryLine || summaryS
		// a question about a problem or motive: the other clauses set it up
		deeper := q && has(S, fProblem, fMotive, fWhyNow, fDeadline, fImplic, fIfNot, fConseq)
		sacts = 0
		if agreed {
			set(sim.ActPurpose)
		}

		if has(S, fIntro) || has(S, fGreet) && !hear {
			set(sim.ActGreet)
		}
		if has(N, fSell) {
			set(sim.ActPurpose)
		}
		if has(S, fRapport) || has(N, fPressure) {
			set(sim.ActRapport)
		}
		if summaryS {
			set(sim.ActSummarize)
		}
		for _, cl := range sc {
			b := cl.bits
			if has(b, fCompany) && !opening {
				b |= bit(fPitch)
			}
			// in a summary, only a clause with its own question word asks
			if q && (!summaryS || cl.wh && !has(b, fSummary, fSoYou)) {
				switch {
				case has(b, fMotive, fWhyNow, fDeadline, fImplic, fIfNot, fConseq):
					set(sim.ActAskMotive)
				case has(b, fProblem):
					set(sim.ActAskProblem)
				// "hope it's not too crazy today, can I grab 3 minutes?": a
				// sentence that asks for time asks nothing of a clause that
				// does not ask itself
				case has(b, fSituation) && !has(b, fCommit, fPurpose, fNext, fMeet, fHear, fPropose, fDate, fStart, fIntro, fGreet, fCompany, fProduct, fPitch) &&
					(!deeper || cl.wh) && (cl.asks || !has(S, fPurpose) || has(b, fTag, fAsk)):
					set(sim.ActAskSituation)
				}
			}
			// "what's your process for following up on leads?" is discovery, not purpose
			if has(b, fPurpose) && !(cl.wh && has(b, fSituation, fProblem, fMotive)) ||
				has(b, fWeakPurpose) && !has(S, fMeet, fNext) {
				set(sim.ActPurpose)
			}
			// a summary that asks for confirmation restates, it does not present
			if has(b, fPitch) && !has(b, fObjection, fCommit) && !(has(b, fObjWeak) && !q) &&
				!(q && has(b, fPropose, fNext, fMeet, fProblem, fSituation, fMotive)) && !(summaryS && q) ||
				has(b, fProduct) && !q && !has(b, fPurpose, fNext, fMeet, fPrice, fPriceTopic, fObjection, fCommit, fSummary, fSoYou, fPropose, fDate) {
				// after "I hear you", "理解", explaining the product answers the concern
				if ack {
					set(sim.ActHandleObjection)
				} else {
					set(sim.ActPitch)
				}
			}
			if has(b, fObjection) || has(b, fObjWeak) && !q && !summaryS {
				set(sim.ActHandleObjection)
			}
			if has(b, fAck) && !has(b, fPitch, fProduct, fObjection) {
				ack = true
			}
			// a summary may name the price without talking price
			// "价格上您放心，很多客户三个月就回本了" answers a price concern
			// and "我是上次给您报价的小刘" introduces
			// "what's driving the push to cut delivery fees?" asks why
			if has(b, fPrice) && !summaryS || has(b, fPriceTopic) && !summaryS && !has(S, fObjection) && !has(b, fIntro) &&
				!(q && has(b, fMotive, fWhyNow, fImplic, fIfNot, fConseq)) ||
				has(b, fCost) && !summaryS && !has(S, fNext, fSend, fObjection) && !has(b, fIntro) &&
					!has(b, fMotive, fImplic, fIfNot, fConseq, fSituation) {
				set(sim.ActPrice)
			}
			// "I can do 10% off if you sign this month" and "签两年的话，价格可以降到…" offer a price
			if has(b, fCommit) && !(has(S, fPrice, fPriceTopic, fCost) && !q) && !has(b, fPressure) {
				set(sim.ActAskCommitment)
			}
		}
		// a date proposes a time unless it is past, the end of an offer, the
		// customer's deadline, when material is sent, or restated in a summary
		// or small talk and wishes ("年底谁都忙", "have a good service tonight")
		ctx := has(S, fStart, fMeet, fAction, fPropose, fCommit)
		if has(S, fDate) && !has(S, fPast, fExpire) && (ctx || !motiveS && !(q && has(S, fProblem, fSituation))) &&
			!(has(S, fSend, fNext, fPurpose) && !ctx) && !(summaryS && !has(S, fPropose)) &&
			!(has(S, fClose, fRapport) && !q && !ctx && !has(S, fNext)) ||
			has(S, fTimeQ) && q && ctx && !has(S, fDeadline) {
			set(sim.ActProposeTime)
		}
		// "calling about the webinar you signed up for" names a past meeting
		if has(S, fNext) && !has(S, fCommit, fPast) && !(wh && !has(S, fPropose)) ||
			has(S, fMeet) && !(has(S, fPast) && !has(S, fDate, fPropose)) {
			set(sim.ActNextStep)
		}
		if has(S, fClose) {
			set(sim.ActCloseCall)
		}
		if has(S, fPressure) {
			set(sim.ActPressure)
		}
		if has(S, fThanks) {
			thanks = true
		}
		// a question about the customer that no lexicon recognises is still discovery
		if sacts == 0 && q && (wh || has(S, fYou)) && !has(S, fHear) && c.contentTokens(toks, cls[s0].sent) >= 3 {
			set(sim.ActAskSituation)
		}
		acts |= sacts
		// cues
		if has(S, fWhyNow) || q && has(S, fDeadline) && !summaryS {
			a.Cues.WhyNow = true
		}
		if has(S, fImplic) || has(S, fIfNot) && (q || has(S, fConseq)) || q && has(S, fConseq) {
			a.Cues.Implication = true
		}
		if has(S, fDate) && !has(S, fPast) {
			a.Cues.Date = true
		}
		s0 = s1
	}
	set = func(x sim.Act) { acts |= 1 << actIndex(x) }
	if thanks {
		if acts == 0 {
			set(sim.ActCloseCall)
		} else if acts&(1<<actIndex(sim.ActCloseCall)) == 0 {
			set(sim.ActRapport)
		}
	}

	a.Amount, a.HasAmount = parseAmount(norm, has(lineBits, fPrice, fPriceTopic, fCost, fMoney))
	// a summary may restate a figure ("少收两百万") without quoting a price
	if a.HasAmount && !has(lineBits, fImplic, fConseq) && !(summaryLine && !has(lineBits, fPrice, fPriceTopic)) {
		set(sim.ActPrice)
	}
	if acts == 0 && !a.Question && !has(all, fPast) && (weSpeak(norm) || promisesBenefit(norm)) {
		// A statement about what "we" or "our" product does, or what the
		// customer will get ("that way your team…", "这样您就…"), in words
		// the lexicons do not know, is still the company presenting itself.
		set(sim.ActPitch)
	}
	if acts == 0 {
		set(sim.ActOther)
	}
	a.Acts = make([]sim.Act, 0, popcount(acts))
	for i, x := range sim.Acts {
		if acts&(1<<i) != 0 {
			a.Acts = append(a.Acts, x)
		}
	}
	return a
}

func popcount(x uint32) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// actIndex returns the position of x in sim.Acts.
func actIndex(x sim.Act) int { return slices.Index(sim.Acts, x) }

// weLeads are the words that open a line about the trainee's company: "we",
// "our", 我们, after any fillers.
var (
	weFillers = []string{"so ", "well ", "basically ", "actually ", "yeah ", "yes ", "and ", "also ", "plus ", "ok ", "okay ", "right ", "now ",
		"嗯", "那", "其实", "另外", "而且", "还有", "对", "是的", "好", "就是"}
	weLeads = []string{"we ", "we'", "our ", "我们", "咱们", "我司", "本公司"}
)

// weSpeak reports whether a normalised line opens with the trainee's
// company as its subject.
func weSpeak(norm string) bool {
	s := strings.TrimLeft(norm, " ,.!-—…，。！、")
	for again := true; again; {
		again = false
		for _, f := range weFillers {
			if strings.HasPrefix(s, f) {
				s = strings.TrimLeft(s[len(f):], " ,.!-—…，。！、")
				again = true
			}
		}
	}
	for _, w := range weLeads {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// benefitCues frame a statement as what the customer will get.
var benefitCues = []string{
	"with this ", "with that ", "with it ", "that way ", "this way ", "you'd ", "you'll ", "you will ", "you would ",
	"you won't ", "you wouldn't ", "you never have", "you'd never", "your team will", "your reps will", "your staff will",
	"your people will", "it comes with", "it saves you", "it gives you", "no more ",
	"这样", "用了", "有了", "再也不用", "不用再", "您就能", "你就能", "您就可以", "你就可以", "就能", "省去", "省掉", "免得",
}

// promisesBenefit reports whether a normalised line promises the customer
// something.
func promisesBenefit(norm string) bool {
	for _, c := range benefitCues {
		if strings.Contains(norm, c) {
			return true
		}
	}
	return false
}
