package sim

import (
	"slices"
	"strings"
	"unicode"
)

// Say plays one trainee line and returns the customer's reply: the heart of
// the simulation (DOMAIN section 4). The customer reacts to what the line
// does — its acts and cues — never to magic words.
func (d *Deal) Say(text string) (Reply, error) {
	switch {
	case d.over:
		return Reply{}, Errorf(EINVALID, "the deal is over")
	case !d.live:
		return Reply{}, Errorf(EINVALID, "no call in progress: dial first")
	case strings.TrimSpace(text) == "":
		return Reply{}, Errorf(EINVALID, "empty line")
	}
	a := d.ear.Understand(text, LangAuto)
	c := d.call()
	c.turns++
	c.trUnits += a.Units
	t := &turnCtx{a: a, call: len(d.calls), turn: c.turns}
	r := d.cfg.Rules
	if a.Unsure {
		// Nothing was understood with confidence: the customer asks what
		// the trainee means rather than react to a guess, and the line
		// counts for nothing, good or bad.
		t.say(d, SitClarify)
		return d.finishTurn(t, text), nil
	}
	if a.Question {
		c.questions++
	}
	if slices.ContainsFunc(a.Acts, Act.IsDiscovery) {
		c.discovery++
	}
	t.stage = d.stageOf(a)
	if t.stage != "" && !slices.Contains(c.stages, t.stage) {
		c.stages = append(c.stages, t.stage)
	}

	// Patience: every turn costs, monologues and repeats cost more.
	c.patience -= r.TurnCost
	if a.Units > r.MonologueUnits {
		c.patience -= r.MonologueCost
		d.find(FindMonologue, t.turn, a.Units)
	}
	if a.Has(ActGreet) {
		d.introduced = true
	}
	if a.Has(ActPurpose) || d.companyIntro(a) {
		// 抓开场: a greeting alone is not an opening; the reason for the
		// call (and a moment of the customer's time) is.
		c.opened = true
		d.purposed = true
	}
	if a.HasAmount && d.plausiblePrice(a.Amount) {
		d.priceNamed = true
	}
	if a.Has(ActPrice) && a.HasAmount && d.plausiblePrice(a.Amount) && a.Amount < d.priceFloor()-0.005 {
		// Offering below what the company allows is a mistake whatever the
		// customer answers.
		d.overDiscount(t.turn, a.Amount)
	}
	if a.Cues.Implication && d.trust >= r.TrustToTell {
		// The cost of waiting made concrete, asked or told.
		d.implication = true
	}

	d.react(t)
	if a.Has(ActNextStep) && t.agreeable() {
		c.nextStep = true
	}

	// Limits: the customer's patience, then the call's length. A customer
	// that has just accepted something or asked a buying question is
	// engaged again: it gives the trainee one more turn rather than hang
	// up in the same breath.
	if t.progressed() {
		// A turn that got somewhere costs the customer no patience: it is
		// the turns that get nowhere that wear it out.
		c.patience += r.TurnCost
	}
	if !t.ended && c.patience <= 0 {
		if t.progressed() {
			c.patience = r.TurnCost
		} else {
			t.say(d, SitHangupPatience)
			d.find(FindCustomerHungUp, t.turn, d.hangupReason(SitHangupPatience))
			t.end(EndedByCustomer, "patience")
		}
	}
	return d.finishTurn(t, text), nil
}

// finishTurn applies the call's length limit, ends the call when the turn
// ended it, and records the turn in the transcript.
func (d *Deal) finishTurn(t *turnCtx, text string) Reply {
	c, a := d.call(), t.a
	if len(d.calls) == 1 && c.turns == 2 && !c.opened {
		d.find(FindWeakOpening, 1, nil)
	}
	if !t.ended && c.turns >= d.cfg.Rules.MaxTurns {
		t.end(EndedByLimit, "max_turns")
	}
	if t.ended {
		d.endCall(t.endedBy, t.reason)
		d.closeCallFindings(c)
	}
	text2 := strings.Join(t.lines, " ")
	c.cuUnits += spokenUnits(text2)
	d.transcript = append(d.transcript, TranscriptTurn{
		Call: t.call, Turn: t.turn, Trainee: text, Acts: a.Acts, Customer: text2,
		Situation: t.sit, Stage: t.stage, Milestones: t.milestones, Trust: d.trust, Patience: max(c.patience, 0),
	})
	return Reply{
		Call: t.call, Turn: t.turn, Text: text2, Situation: t.sit, Acts: a.Acts, Stage: t.stage,
		Milestones: t.milestones, Ended: t.ended, EndedBy: t.endedBy,
	}
}

// companyIntro reports whether a line in the opening of a first call says
// what the trainee's company does along with a greeting: that introduces
// the caller, it is not a premature pitch.
func (d *Deal) companyIntro(a Analysis) bool {
	return len(d.calls) == 1 && d.call().turns <= 2 && a.Has(ActPitch) && a.Has(ActGreet) &&
		!slices.ContainsFunc(a.Acts, func(x Act) bool { return x.Stage() == StageCommitment })
}

// progressed reports whether the customer's reply moved the deal on: it
// accepted something or asked a buying question.
func (t *turnCtx) progressed() bool {
	if len(t.milestones) > 0 || t.agreed {
		return true
	}
	switch t.sit {
	case SitOfferAccept, SitSurfaceAccept, SitPriceAccept, SitTimeAccept, SitDealDone, SitObjectionResolved,
		SitMotive, SitPriceAsk, SitTimeAsk, SitSummaryOK, SitNextStepOK:
		return true
	}
	return false
}

// turnCtx collects what one turn produces.
type turnCtx struct {
	agreed     bool // the customer agreed to the price or the time this turn, whatever it said after
	a          Analysis
	call, turn int
	stage      Stage
	sit        Situation // the main situation of the reply
	lines      []string
	milestones []Milestone
	ended      bool
	endedBy    string
	reason     string
	// timeAnswered: the reply already says the time on the table stands
	// (the line of a concern it was held up on, now answered).
	timeAnswered bool
	// offerAnswered: the reply already says what the customer accepts of
	// the offer (a gatekeeper's answered concern: it takes it to the boss).
	offerAnswered bool
}

func (t *turnCtx) say(d *Deal, sit Situation) {
	t.sit = sit
	if l := d.line(sit); l != "" {
		t.lines = append(t.lines, l)
	}
}

// agreeable reports whether the customer's reply went along with the line
// rather than rejecting it or hanging up.
func (t *turnCtx) agreeable() bool {
	switch t.sit {
	case SitSurfaceRejection, SitDecline, SitHangupPatience, SitHangupPressure, SitPressureWarn, SitLowTrust, SitNotYet:
		return false
	}
	return t.endedBy != EndedByCustomer
}

func (t *turnCtx) end(by, reason string) {
	t.ended, t.endedBy, t.reason = true, by, reason
}

// stageOf is the furthest stage among a line's acts.
func (d *Deal) stageOf(a Analysis) Stage {
	var s Stage
	for _, act := range a.Acts {
		if st := act.Stage(); st != "" && (s == "" || slices.Index(Stages, st) > slices.Index(Stages, s)) {
			s = st
		}
	}
	return s
}

// react decides the customer's reaction, most decisive act first.
func (d *Deal) react(t *turnCtx) {
	a := t.a
	switch {
	case a.Has(ActPressure):
		d.onPressure(t)
	case a.Has(ActCloseCall) && (d.reached[MilestoneDeal] != nil || !a.Has(ActPrice) && !a.Has(ActAskCommitment)) &&
		!(a.Question && slices.ContainsFunc(a.Acts, Act.IsDiscovery)):
		// A goodbye — not a "thank you" before a question.
		// A goodbye, perhaps naming the next call's day ("see you Tuesday"),
		// or the step that answers the concern on the table ("ask your
		// boss, and I'll call you back").
		if a.Has(ActNextStep) && d.openObj >= 0 && d.resolves(d.openObj, a) {
			d.onObjectionAnswer(t)
		}
		t.say(d, SitGoodbye)
		t.end(EndedByTrainee, "goodbye")
	case d.asksSeen(a):
		// "Hi, it's Anna again. Did you get a chance to look at the
		// proposal?" asks a yes or no, in the opening or later.
		if t.turn == 1 {
			d.onOpening(t)
			return
		}
		d.call().seenAsked = true
		t.say(d, SitFollowupSeen)
	case t.turn == 1 && (a.Has(ActGreet) || a.Has(ActPurpose)) && !slices.ContainsFunc(a.Acts, Act.IsDiscovery) &&
		!slices.ContainsFunc(a.Acts, func(x Act) bool { return x.Stage() == StageCommitment }):
		// The first line of a call opens it ("it's Li again, I sent the
		// proposal this morning, have you got ten minutes?"), whatever it
		// mentions of what was done since.
		d.onOpening(t)
	case d.openObj >= 0 && d.asksOwnView(a, d.openObj) && !d.resolves(d.openObj, a):
		// "And you yourself, would it suit you?" to a receptionist who
		// said the owner decides asks for her view, not about the office.
		t.restateConcern(d, d.openObj)
	case a.Has(ActNextStep) && !a.Has(ActAskCommitment) && (!a.Has(ActPrice) ||
		!a.HasAmount && !a.Has(ActProposeTime) && nextStepKind(a.Norm, d.cfg.Lang) == "send"):
		// A follow-up call or meeting is a next step, even when it names a
		// day, and so is sending the price ("a one-page summary with the
		// price for the owner"); it may answer the concern on the table (a
		// meeting with the boss).
		if d.openObj >= 0 && d.resolves(d.openObj, a) {
			d.onObjectionAnswer(t)
			return
		}
		if d.reached[MilestoneDeal] == nil && d.ear.Mentions(a, []string{"@contract"}) {
			// "I'll send the contract over": that presumes a decision; the
			// customer answers it as an ask for one.
			d.onCommitment(t)
			return
		}
		d.onNextStep(t)
	case a.Question && a.Has(ActAskSituation) && a.Topic == "topic.decider" && !a.HasAmount:
		// "Who signs off on this?" asks about the customer, not for the
		// signature.
		d.onDiscovery(t)
	case a.Question && a.Has(ActPrice) && !a.HasAmount && !a.Has(ActProposeTime) && !a.Has(ActAskCommitment) &&
		(d.reached[MilestoneOffer] == nil || a.Has(ActAskMotive)):
		// "What budget do you have for this?" before anything was
		// presented is a question about the customer's situation; "how
		// much would that cost you in a year?" asks what waiting costs,
		// at any time.
		d.onDiscovery(t)
	case d.reached[MilestoneOffer] == nil && (a.Has(ActProposeTime) || a.Has(ActAskCommitment)) && !a.Has(ActPrice) &&
		d.ear.Mentions(a, []string{"@meeting"}):
		// "Could our consultant come over on Tuesday for the survey?"
		// before anything was accepted proposes a meeting, not the deal.
		d.onNextStep(t)
	case a.Has(ActSummarize) && a.Question && d.reached[MilestoneNeed] != nil && d.openObj < 0 &&
		!a.Has(ActPrice) && !a.Has(ActProposeTime) && !a.Has(ActAskCommitment):
		// "So the real issue is …, did I get that right?" checks the need
		// in the customer's words; it presents nothing.
		d.summarized = true
		d.trust = clamp(d.trust+d.cfg.Rules.TrustSummary, 0, 100)
		t.say(d, SitSummaryOK)
	case d.raisedAnswered(a) >= 0:
		// A concern the customer raised is answered, whatever else the
		// line goes on to ask — in this call or a later one.
		d.openObj = d.raisedAnswered(a)
		d.onObjectionAnswer(t)
	case d.reached[MilestoneOffer] == nil && (a.Has(ActPitch) || a.Has(ActHandleObjection)) &&
		(a.Has(ActPrice) || a.Has(ActProposeTime) || a.Has(ActAskCommitment)):
		// "Here is what we do … shall we start Friday?": the customer
		// weighs the presentation first, and the price and time only once
		// it has accepted it.
		d.onPitch(t)
		if d.reached[MilestoneOffer] != nil && !t.ended {
			d.onCommitment(t)
		} else if d.fit() {
			// The price or the date went with a presentation the customer
			// did not accept: asked too early, as on its own.
			d.find(FindPrematureClose, t.turn, nil)
		}
	case a.Has(ActPrice) || a.Has(ActProposeTime) || a.Has(ActAskCommitment) ||
		d.reached[MilestoneOffer] != nil && a.HasAmount && !a.Question && d.plausiblePrice(a.Amount):
		d.onCommitment(t)
	case d.companyIntro(a):
		// "Hi, I'm Tom from X, we help clinics cut no-shows": an opening.
		d.onOpening(t)
	case a.Question && slices.ContainsFunc(a.Acts, Act.IsDiscovery) &&
		(!d.needMet() || d.reached[MilestoneOffer] == nil && !a.Has(ActPitch)):
		// A line that presents a little and then asks about the customer
		// is answered as the question it ends with; so is a question that
		// offers reassurance before anything was presented.
		d.onDiscovery(t)
	case d.openObj >= 0 && (a.Has(ActHandleObjection) || d.resolves(d.openObj, a)):
		d.onObjectionAnswer(t)
	case a.Has(ActPitch) || a.Has(ActHandleObjection):
		d.onPitch(t)
	case a.Has(ActSummarize) && d.reached[MilestoneNeed] != nil:
		d.summarized = true
		d.trust = clamp(d.trust+d.cfg.Rules.TrustSummary, 0, 100)
		t.say(d, SitSummaryOK)
	case slices.ContainsFunc(a.Acts, Act.IsDiscovery) || a.Has(ActSummarize):
		d.onDiscovery(t)
	case a.Has(ActNextStep):
		d.onNextStep(t)
	case a.Has(ActPurpose) || a.Has(ActGreet):
		d.onOpening(t)
	case a.Has(ActRapport):
		d.onRapport(t)
	default:
		t.say(d, SitFiller)
	}
}

func (d *Deal) hangupReason(sit Situation) string {
	lang := d.cfg.Lang
	switch sit {
	case SitHangupPressure:
		return map[Lang]string{LangEN: "pressured twice", LangZH: "两次被施压"}[lang]
	case SitHangupPatience:
		return map[Lang]string{LangEN: "out of patience", LangZH: "失去耐心"}[lang]
	}
	return map[Lang]string{LangEN: "not interested", LangZH: "不感兴趣"}[lang]
}

func (d *Deal) onOpening(t *turnCtx) {
	r := d.cfg.Rules
	if i := d.openObj; i >= 0 && d.call().turns > 2 && !t.a.Has(ActGreet) {
		// "Does it suit you, or should we raise it with your boss?" in the
		// middle of a call is no new opening: the open concern stands.
		t.restateConcern(d, i)
		return
	}
	if t.a.Has(ActGreet) {
		d.trust = clamp(d.trust+r.TrustGreet, 0, 100)
	}
	if len(d.calls) > 1 && d.purposed {
		// A follow-up: the customer knows the caller and the matter.
		if t.a.Has(ActPurpose) {
			d.trust = clamp(d.trust+r.TrustPurpose, 0, 100)
		}
		if d.asksSeen(t.a) {
			d.call().seenAsked = true
			t.say(d, SitFollowupSeen)
			return
		}
		t.say(d, SitFollowupOpening)
		return
	}
	if t.a.Has(ActPurpose) || d.companyIntro(t.a) {
		d.trust = clamp(d.trust+r.TrustPurpose, 0, 100)
		t.say(d, SitOpeningOK)
		return
	}
	if t.turn == 1 && len(d.calls) == 1 {
		t.say(d, SitNoPurpose)
		return
	}
	t.say(d, SitOpeningOK)
}

func (d *Deal) onRapport(t *turnCtx) {
	c := d.call()
	if c.rapport < d.cfg.Rules.RapportPerCall {
		c.rapport++
		d.trust = clamp(d.trust+d.cfg.Rules.TrustRapport, 0, 100)
	}
	t.say(d, SitSmallTalk)
}

func (d *Deal) onPressure(t *turnCtx) {
	d.pressure++
	d.trust = clamp(d.trust-d.cfg.Rules.TrustPressure, 0, 100)
	d.find(FindPressure, t.turn, nil)
	if d.pressure >= d.cfg.Rules.PressureLimit {
		t.say(d, SitHangupPressure)
		d.find(FindCustomerHungUp, t.turn, d.hangupReason(SitHangupPressure))
		t.end(EndedByCustomer, "pressure")
		return
	}
	t.say(d, SitPressureWarn)
}

func (d *Deal) onNextStep(t *turnCtx) {
	if !d.fit() && d.noNeedSaid && t.stepKind(d) == "meet" {
		// A customer that has said it needs nothing does not book a visit
		// or a session for it; it takes a brochure or a call some day.
		t.say(d, SitNoNeed)
		return
	}
	if !d.fit() && d.noNeedSaid || d.trust >= d.cfg.Rules.TrustToTell/2 {
		t.sayNextStep(d)
		return
	}
	t.say(d, SitLowTrust)
}

// needRequired reports whether the scenario asks for the need milestone.
func (d *Deal) needRequired() bool { return d.sc.Discovery }

// needMet reports whether the need milestone no longer stands in the way.
func (d *Deal) needMet() bool { return !d.needRequired() || d.reached[MilestoneNeed] != nil }

// fit reports whether the persona can buy at all: it has a motive.
func (d *Deal) fit() bool { return d.p.Hidden.HasMotive() }

func (d *Deal) reach(t *turnCtx, m Milestone, quote string) {
	if d.reached[m] != nil {
		return
	}
	d.reached[m] = &MilestoneResult{Reached: true, Call: t.call, Turn: t.turn, Quote: quote}
	t.milestones = append(t.milestones, m)
	d.call().milestones = append(d.call().milestones, m)
	switch m {
	case MilestoneNeed:
		d.find(FindNeedEstablished, t.turn, nil)
		if o := d.reached[MilestoneOffer]; o != nil {
			// An offer made on the surface need now rests on the motive.
			o.Surface = false
		}
	case MilestoneDeal:
		d.find(FindDealClosed, t.turn, nil)
	}
}

// lastLine returns the last line the customer said this turn.
func (t *turnCtx) last() string {
	if len(t.lines) == 0 {
		return ""
	}
	return t.lines[len(t.lines)-1]
}

func (d *Deal) onDiscovery(t *turnCtx) {
	a, r, c := t.a, d.cfg.Rules, d.call()
	if a.Question && d.repeated(a.Norm) {
		c.patience -= r.RepeatCost
		d.find(FindRepeatedQuestion, t.turn, nil)
		t.say(d, SitRepeat)
		return
	}
	if i := d.openObj; i >= 0 && a.Has(ActAskProblem) && !a.Has(ActAskMotive) &&
		(d.reached[MilestoneNeed] != nil || d.ear.Mentions(a, []string{"@cue.concern"})) {
		// "What exactly is still bothering you?" while a concern is open:
		// the customer says the concern again, in words not used yet. Before
		// the need is voiced, a question about the customer's problems ("is
		// your supplier ever late?") after a premature presentation is the
		// way back to discovery, and is answered as one.
		t.restateConcern(d, i)
		return
	}
	if sit := d.situationAsked(a); d.reached[MilestoneNeed] != nil && (d.pitchWeighed || d.reached[MilestoneOffer] != nil) &&
		sit != SitSituation && !a.Has(ActAskProblem) && !a.Has(ActAskMotive) && d.unsaid(sit) {
		// "How many bottles do you get through a month?", asked once the
		// offer is on the table to fit it or to weigh the price, is a fact
		// the customer gives, once: it is not digging for pain again.
		t.sayAsked(d, sit, nil)
		return
	}
	if d.reached[MilestoneNeed] != nil {
		// The need was voiced: digging on drains patience.
		c.overProbes++
		c.patience -= r.OverProbeCost
		if c.overProbes >= r.OverProbeAfter {
			d.find(FindOverProbing, t.turn, c.overProbes)
		}
		t.say(d, SitOverProbe)
		return
	}
	if d.trust < r.TrustToTell {
		// Not yet trusted enough to answer, but a caller who asks about
		// the customer, rather than talks at it, is warming it up.
		d.trust = clamp(d.trust+r.TrustListen, 0, 100)
		t.say(d, SitLowTrust)
		return
	}
	if a.Cues.WhyNow {
		d.whyNow = true
	}
	if a.Cues.Implication {
		d.implication = true
	}
	d.probes++
	if !d.fit() {
		if !d.noNeedSaid && !d.known() && (d.probes >= r.NoNeedAfter || a.Has(ActAskMotive) && d.probes > 1) {
			// It cannot tell a stranger what it does not need before it
			// knows what the stranger offers.
			t.say(d, SitNoPurpose)
			return
		}
		if sit := d.situationAsked(a); !a.Has(ActAskProblem) && !a.Has(ActAskMotive) && d.known() &&
			(d.unsaid(sit) || d.unsaid(SitSituation)) {
			// "Who are your customers, how do they order?" is answered with
			// the facts, need or no need: a customer with nothing to fix
			// says how things are, not "we have no use for it" to every
			// question.
			d.answerProbe(t)
			return
		}
		if d.noNeedSaid || d.probes >= r.NoNeedAfter || a.Has(ActAskMotive) && d.probes > 1 {
			d.noNeedSaid = true
			t.say(d, SitNoNeed)
			return
		}
		d.answerProbe(t)
		return
	}
	motiveQ := a.Has(ActAskMotive) || a.Has(ActAskProblem)
	var voiced bool
	switch d.p.Hidden.Urgency {
	case UrgencyHigh:
		voiced = motiveQ
	case UrgencyMedium:
		voiced = d.probes >= r.MediumProbes && (d.whyNow || d.implication) && motiveQ
	case UrgencyLow:
		voiced = d.probes >= r.LowProbes && d.implication && motiveQ
	}
	if voiced && !d.known() {
		// The customer tells why it matters only to a caller who has said
		// who they are and why they call.
		t.say(d, SitNoPurpose)
		return
	}
	if voiced {
		t.say(d, SitMotive)
		d.reach(t, MilestoneNeed, t.last())
		return
	}
	d.answerProbe(t)
}

// answerProbe answers a discovery question without voicing the motive.
func (d *Deal) answerProbe(t *turnCtx) {
	a := t.a
	switch {
	case a.Has(ActAskMotive) || a.Has(ActSummarize):
		t.say(d, SitHint)
	case a.Has(ActAskProblem):
		if !d.problemTold || !d.fit() {
			d.problemTold = true
			t.sayAsked(d, SitProblem, nil)
			if d.problemTurn == nil {
				d.problemTurn = &Evidence{Call: t.call, Turn: t.turn, Quote: t.last()}
			}
		} else {
			t.say(d, SitHint)
		}
	default:
		sit := d.situationAsked(a)
		alts := []Situation{SitSituation}
		for _, st := range SituationTopics {
			alts = append(alts, st.Situation)
		}
		t.sayAsked(d, sit, alts)
	}
}

// unsaid reports whether the persona has a line of its own for sit that
// the customer has not said yet in this deal.
func (d *Deal) unsaid(sit Situation) bool {
	for _, l := range d.p.Lines[sit][d.cfg.Lang] {
		if d.said[l] == 0 {
			return true
		}
	}
	return false
}

// situationAsked is the situation answering a situation question: the
// topic the question asks about (team, current tool, process, who
// decides, volumes), or the general situation.
func (d *Deal) situationAsked(a Analysis) Situation {
	if a.Has(ActPrice) && a.Topic == "topic.volume" {
		// "What do you pay a month for it now?" asks about money, not volumes.
		return SitSituation
	}
	for _, st := range SituationTopics {
		if st.Topic == a.Topic {
			return st.Situation
		}
	}
	return SitSituation
}

// repeated reports whether a discovery question was asked before in this
// deal, and remembers it.
func (d *Deal) repeated(norm string) bool {
	key := strings.Join(strings.FieldsFunc(norm, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}), " ")
	if key == "" {
		return false
	}
	for _, prev := range d.lastAsked {
		if similar(prev, key) {
			return true
		}
	}
	d.lastAsked = append(d.lastAsked, key)
	return false
}

// similar reports whether two normalised questions use nearly the same
// words (Chinese characters count as words): a Jaccard overlap of 0.8.
func similar(a, b string) bool {
	if a == b {
		return true
	}
	ta, tb := tokenSet(a), tokenSet(b)
	if len(ta) < 3 || len(tb) < 3 {
		return false
	}
	inter := 0
	for w := range ta {
		if tb[w] {
			inter++
		}
	}
	return float64(inter) >= 0.8*float64(len(ta)+len(tb)-inter)
}

// tokenSet is the words of a question, and the pairs of consecutive
// characters of its Chinese: single characters repeat across any two
// questions (什么, 你们), pairs tell them apart.
func tokenSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
			set[f] = true
			continue
		}
		rs := []rune(f)
		if len(rs) == 1 {
			set[f] = true
		}
		for i := 0; i+1 < len(rs); i++ {
			set[string(rs[i:i+2])] = true
		}
	}
	return set
}

func (d *Deal) onPitch(t *turnCtx) {
	a := t.a
	if !d.fit() && d.noNeedSaid && a.Question && !a.Has(ActPrice) && !a.Has(ActProposeTime) && !a.Has(ActAskCommitment) {
		// A question after "we don't need it" is no push.
		t.say(d, SitNoNeed)
		return
	}
	if !d.fit() && d.noNeedSaid {
		d.pushedNoFit++
		d.find(FindForcedClose, t.turn, nil)
		t.say(d, SitDecline)
		t.end(EndedByCustomer, "no_need")
		return
	}
	if !d.needMet() && d.surfaceOfferable() {
		// The customer said what it readily wants, and this presentation
		// answers it: "sounds good" — an offer on the surface need.
		d.pitchWeighed = true
		d.advanceOffer(t)
		return
	}
	if !d.needMet() || !d.fit() {
		d.trust = clamp(d.trust-d.cfg.Rules.TrustPrematurePitch, 0, 100)
		d.find(FindPrematurePitch, t.turn, nil)
		t.say(d, SitSurfaceRejection)
		return
	}
	if d.reached[MilestoneOffer] != nil {
		// Accepted already: more presentation only delays the deal.
		d.askNextCommitment(t)
		return
	}
	if !d.needRequired() && !d.introduced {
		// A simple product may be presented straight after the opening, but
		// not instead of it: nobody agrees to anything from a caller who
		// has not said who they are.
		t.say(d, SitNoPurpose)
		return
	}
	// A simple product goes straight to the presentation: any pitch will
	// do. Otherwise the pitch must speak to the need that was voiced.
	onNeed := !d.needRequired() || d.mentionsNeed(a) || a.Has(ActSummarize) || d.summarized
	if !onNeed {
		d.find(FindPitchNotOnNeed, t.turn, nil)
		t.say(d, SitPitchVague)
		return
	}
	d.pitchWeighed = true
	d.advanceOffer(t)
}

func (d *Deal) mentionsNeed(a Analysis) bool {
	kw := d.p.Hidden.NeedKeywords
	if len(kw) == 0 {
		return !d.needRequired()
	}
	return d.ear.Mentions(a, kw[LangZH]) || d.ear.Mentions(a, kw[LangEN])
}

// advanceOffer raises the next offer-phase objection or, with none left,
// reaches the offer milestone.
func (d *Deal) advanceOffer(t *turnCtx) {
	if d.reached[MilestoneOffer] != nil {
		d.askNextCommitment(t)
		return
	}
	for i := d.nextObjection(PhaseOffer); i >= 0; i = d.nextObjection(PhaseOffer) {
		if d.openObj != i && d.resolves(i, t.a) {
			// The presentation already answers this concern.
			d.objections[i].resolved = true
			if o := d.p.Objections[i]; o.Kind == "authority" && !d.p.Hidden.DecidesAlone {
				// "Listen, and tell your boss if it suits": a customer
				// that cannot decide alone says it will take it there.
				t.lines = append(t.lines, d.objLine(o.Resolved, i, true))
				t.offerAnswered = true
			}
			continue
		}
		d.raise(t, i)
		return
	}
	if !d.needMet() {
		t.say(d, SitSurfaceAccept)
		d.reach(t, MilestoneOffer, t.last())
		d.reached[MilestoneOffer].Surface = true
		return
	}
	if t.offerAnswered {
		// The customer's answer to its concern ("I'll set up a time for you
		// with the owner") is its acceptance: it does not add "let's try
		// yours" to it.
		t.sit = SitOfferAccept
	} else {
		t.say(d, SitOfferAccept)
	}
	d.reach(t, MilestoneOffer, t.last())
}

// askNextCommitment asks for what is missing of the deal: the price, then
// the time.
func (d *Deal) askNextCommitment(t *turnCtx) {
	if i := d.openObj; i >= 0 && d.p.Objections[i].At == PhaseDeal {
		// A concern about the deal is open (the price quoted is too
		// high): the customer comes back to it, not to "how is it priced?".
		t.restateConcern(d, i)
		return
	}
	switch {
	case !d.commitment.Price:
		t.say(d, SitPriceAsk)
	case !d.commitment.Time:
		t.say(d, SitTimeAsk)
	default:
		t.say(d, SitDealDone)
	}
}

// surfaceOfferable reports whether the customer would accept a
// presentation of its surface need before voicing its motive: a customer
// with a motive of an urgency the rules name, in a scenario with
// discovery, that has said what it readily wants to a caller who said who
// they are and why they call, with enough trust.
func (d *Deal) surfaceOfferable() bool {
	r, h := d.cfg.Rules, d.p.Hidden
	if !d.fit() || !d.needRequired() || d.problemTurn == nil || !slices.Contains(r.SurfaceOfferUrgencies, h.Urgency) ||
		!d.introduced || !d.purposed {
		return false
	}
	need := r.SurfaceOfferTrust
	if h.SurfaceOfferTrust > 0 {
		need = h.SurfaceOfferTrust
	}
	return d.trust >= need
}

// raisedAnswered returns the offer-phase objection the customer raised,
// still unresolved, that the line answers (the one on the table first),
// or -1.
func (d *Deal) raisedAnswered(a Analysis) int {
	if i := d.openObj; i >= 0 && d.p.Objections[i].At == PhaseOffer && d.resolves(i, a) {
		return i
	}
	for i, o := range d.p.Objections {
		if o.At == PhaseOffer && d.objections[i].raised && !d.objections[i].resolved && d.resolves(i, a) {
			return i
		}
	}
	return -1
}

// nextObjection returns the first unresolved objection of a phase, or -1.
func (d *Deal) nextObjection(ph ObjectionPhase) int {
	for i, o := range d.p.Objections {
		if o.At == ph && !d.objections[i].resolved {
			return i
		}
	}
	return -1
}

func (d *Deal) raise(t *turnCtx, i int) {
	d.objections[i].raised = true
	d.openObj = i
	t.sit = SitObjection
	t.lines = append(t.lines, d.objLine(d.p.Objections[i].Lines, i, false))
}

func (d *Deal) objLine(l Lines, i int, resolved bool) string {
	vs := l[d.cfg.Lang]
	if len(vs) == 0 {
		return ""
	}
	b := uint64(0)
	if resolved {
		b = 1
	}
	h := mix(uint64(d.cfg.Seed), uint64(len(d.calls)), uint64(d.call().turns), uint64(i), b)
	return d.pick(vs, int(h%uint64(len(vs))))
}

// resolves reports whether a line answers objection i: one of its acts and,
// when the objection names keywords, one of those.
func (d *Deal) resolves(i int, a Analysis) bool {
	o := d.p.Objections[i]
	by := o.ResolvedBy
	if d.objections[i].raised {
		// A concern the customer raised is answered by answering it, in
		// whatever act the persona names besides ("we split them into two
		// groups of ten" answers "taking twenty out breaks the rota"), and
		// the answer is often phrased as a presentation: "onboarding is
		// included, we train your people on site".
		by = append(slices.Clone(by), ActHandleObjection, ActPitch)
	}
	if !slices.ContainsFunc(by, a.Has) {
		return false
	}
	if len(o.Keywords) == 0 {
		return true
	}
	if o.Kind == "price" && a.HasAmount && d.plausiblePrice(a.Amount) && a.Amount < d.quoted {
		// A lower price is the answer to "too expensive", in any words.
		return true
	}
	// The persona's keywords widen what answers the concern; what answers
	// any concern of its kind (a discount for price, a meeting with the
	// boss for authority…) counts as well.
	return d.ear.Mentions(a, o.Keywords[LangZH]) || d.ear.Mentions(a, o.Keywords[LangEN]) ||
		d.ear.Mentions(a, []string{"@kind." + o.Kind})
}

func (d *Deal) onObjectionAnswer(t *turnCtx) {
	i := d.openObj
	if !d.resolves(i, t.a) {
		if d.asksOwnView(t.a, i) && d.hasLines(SitOwnView) {
			t.say(d, SitOwnView)
			return
		}
		t.say(d, SitObjectionHold)
		return
	}
	d.objections[i].resolved = true
	d.openObj = -1
	d.trust = clamp(d.trust+d.cfg.Rules.TrustObjection, 0, 100)
	o := d.p.Objections[i]
	if o.At == PhaseDeal && o.Kind != "price" && d.timeProposed && !d.urgent() {
		// The concern is settled, but without an urgent motive the
		// customer still postpones the time: it does not say "let's keep
		// that timing" first.
		d.settleCommitment(t, false, true)
		return
	}
	t.sit = SitObjectionResolved
	t.lines = append(t.lines, d.objLine(o.Resolved, i, true))
	if o.At == PhaseOffer {
		// A customer that cannot decide alone accepts what it can: to take
		// the matter to whoever decides.
		t.offerAnswered = o.Kind == "authority" && !d.p.Hidden.DecidesAlone
		if d.pitchWeighed {
			d.advanceOffer(t)
		}
		return
	}
	// A deal-phase objection: the customer comes back to what was on the
	// table — the quoted price after a price objection, else the time.
	if o.Kind == "price" {
		d.priceStretch = true
		d.settleCommitment(t, true, false)
		return
	}
	t.timeAnswered = d.timeProposed
	d.settleCommitment(t, false, d.timeProposed)
}
