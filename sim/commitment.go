package sim

import (
	"strconv"
)

// Situations of replies built from a persona's objection lines rather than
// its situation lines.
const (
	SitObjection         Situation = "objection"          // raises one of its objections
	SitObjectionResolved Situation = "objection_resolved" // accepts the answer to it
)

// onCommitment handles price, time and the ask for the decision.
func (d *Deal) onCommitment(t *turnCtx) {
	a := t.a
	if !d.fit() {
		if d.noNeedSaid {
			d.pushedNoFit++
			d.find(FindForcedClose, t.turn, nil)
			t.say(d, SitDecline)
			t.end(EndedByCustomer, "no_need")
			return
		}
		d.find(FindPrematureClose, t.turn, nil)
		t.say(d, SitSurfaceRejection)
		return
	}
	if d.reached[MilestoneDeal] != nil {
		t.say(d, SitDealDone)
		return
	}
	if d.reached[MilestoneOffer] == nil {
		// A concern about the offer may be open: the customer takes a line
		// that answers it as the answer ("I'll run it by the owner, then"),
		// and answers price and dates with the concern ("the owner must OK
		// it").
		i := d.openObj
		open := i >= 0 && d.p.Objections[i].At == PhaseOffer
		if open && d.needMet() && d.resolves(i, a) {
			d.onObjectionAnswer(t)
			return
		}
		d.find(FindPrematureClose, t.turn, nil)
		if !d.needMet() {
			d.trust = clamp(d.trust-d.cfg.Rules.TrustPrematurePitch, 0, 100)
			d.find(FindPrematurePitch, t.turn, nil)
			t.say(d, SitSurfaceRejection)
			return
		}
		if open {
			// The concern still stands: the customer says it again, in the
			// words it has not used yet.
			t.restateConcern(d, i)
			return
		}
		t.say(d, SitNotYet)
		return
	}
	heldTime := false // a time on the table that the answered concern held up
	if d.openObj >= 0 && d.resolves(d.openObj, a) && !d.stillTooDear(d.openObj, a) {
		i := d.openObj
		o := d.p.Objections[i]
		d.objections[i].resolved = true
		d.openObj = -1
		d.trust = clamp(d.trust+d.cfg.Rules.TrustObjection, 0, 100)
		heldTime = o.At == PhaseDeal && o.Kind != "price" && d.timeProposed
		if !heldTime || d.urgent() {
			// Without an urgent motive the customer postpones the time it
			// was held up on: it does not say "let's keep that timing" first.
			t.sit = SitObjectionResolved
			t.lines = append(t.lines, d.objLine(o.Resolved, i, true))
			t.timeAnswered = heldTime
		}
		if o.Kind == "price" {
			d.priceStretch = true
		}
	}
	priceNow := a.Has(ActPrice) || a.HasAmount && d.plausiblePrice(a.Amount)
	timeNow := heldTime || a.Has(ActProposeTime) || a.Has(ActAskCommitment) && a.Cues.Date
	if timeNow {
		d.timeProposed = true
	}
	if !priceNow && !timeNow {
		d.askNextCommitment(t)
		return
	}
	d.settleCommitment(t, priceNow, timeNow)
	if len(t.lines) == 0 {
		// Nothing new to weigh ("so Thursday at three, as agreed?" once the
		// time stands): the customer goes on to what is still missing.
		d.askNextCommitment(t)
	}
}

// stillTooDear reports whether an answer to a price objection names a
// price the customer cannot reach even with its budget stretched: then the
// concern is not resolved, whatever else the answer offers.
func (d *Deal) stillTooDear(i int, a Analysis) bool {
	if d.p.Objections[i].Kind != "price" {
		return false
	}
	amount := d.quoted
	if a.HasAmount && d.plausiblePrice(a.Amount) {
		amount = a.Amount
	}
	return amount > d.p.Hidden.MaxBudget
}

// minPriceShare is the smallest share of the list price a number must
// reach to be taken for the price of the deal: below it, it counts
// bottles, people, minutes or a price per unit ("24 bottles", "20 yuan a
// bottle"), not what the customer pays.
const minPriceShare = 0.3

// priceFloor is the lowest price the company allows.
func (d *Deal) priceFloor() float64 { return d.sc.ListPrice * (1 - d.sc.MaxDiscount) }

// plausiblePrice tells the price of the deal from other numbers.
func (d *Deal) plausiblePrice(v float64) bool { return v >= d.sc.ListPrice*minPriceShare }

// urgent reports whether an urgent motive is established, so that the
// customer commits to a time: the need is met (the motive voiced, or a
// product that needs none) and the urgency is medium or high, or the cost
// of waiting was made concrete. A customer that accepted only on its
// surface need is not urgent: it postpones the time.
func (d *Deal) urgent() bool {
	if !d.fit() || !d.needMet() {
		return false
	}
	return d.implication || d.p.Hidden.Urgency != UrgencyLow
}

// settleCommitment weighs the price and/or time on the table.
func (d *Deal) settleCommitment(t *turnCtx, priceNow, timeNow bool) {
	a := t.a
	if priceNow && !d.commitment.Price && !d.priceNamed {
		// "Shall we go ahead at the usual price?" before anyone said what
		// it costs: the customer asks, it does not accept a number it has
		// not heard.
		t.say(d, SitPriceAsk)
		return
	}
	if priceNow && !d.commitment.Price {
		amount := d.quoted
		if a.HasAmount && d.plausiblePrice(a.Amount) {
			amount = a.Amount
		}
		d.quoted = amount
		// An urgent customer stretches to its maximum budget, like a patient
		// with swine flu; one with a price objection only once it was answered.
		budget := d.p.Hidden.Budget
		if d.priceStretch || d.urgent() && d.objectionOfKind("price") < 0 {
			budget = d.p.Hidden.MaxBudget
		}
		if amount > budget {
			d.priceRefused = true
			if i := d.objectionOfKind("price"); i >= 0 && !d.objections[i].resolved && d.openObj != i {
				d.raise(t, i)
			} else {
				t.say(d, SitPriceHigh)
			}
			return
		}
		floor := d.priceFloor()
		d.priceRefused = false
		t.say(d, SitPriceAccept)
		if amount < floor-0.005 {
			// The customer is happy; the company would not approve it.
			d.overDiscount(t.turn, amount)
		} else {
			d.commitment.Price = true
			d.commitment.AgreedPrice = amount
			d.commitment.PriceEvidence = &Evidence{Call: t.call, Turn: t.turn, Quote: t.last()}
		}
	}
	if timeNow && !d.commitment.Time {
		for i, o := range d.p.Objections {
			if o.At != PhaseDeal || o.Kind == "price" || d.objections[i].resolved {
				continue
			}
			if d.resolves(i, a) {
				// The proposal already answers the concern: no need to raise it.
				d.objections[i].resolved = true
				if d.openObj == i {
					d.openObj = -1
				}
				continue
			}
			if d.openObj != i {
				d.raise(t, i)
			} else {
				t.say(d, SitObjectionHold)
			}
			return
		}
		if !d.urgent() {
			d.commitment.Postponed++
			st := stalled{times: d.commitment.Postponed}
			if o := d.reached[MilestoneOffer]; o != nil && o.Surface {
				st.surface = d.problemTurn
			}
			d.find(FindTimeStalled, t.turn, st)
			t.say(d, SitTimePostpone)
			return
		}
		if t.timeAnswered {
			t.sit = SitTimeAccept
		} else {
			t.say(d, SitTimeAccept)
		}
		d.commitment.Time = true
		d.commitment.TimeEvidence = &Evidence{Call: t.call, Turn: t.turn, Quote: t.last()}
		t.agreed = true
		if !priceNow && d.priceRefused && !d.commitment.Price {
			// "Fine, Monday then." is not the whole answer while the price
			// it turned down is still on the table: it says that too.
			t.say(d, SitPriceHigh)
		}
	}
	if d.commitment.Price && d.commitment.Time && d.reached[MilestoneDeal] == nil {
		t.say(d, SitDealDone)
		d.reach(t, MilestoneDeal, t.last())
		return
	}
	if priceNow && d.commitment.Price && !timeNow && !d.commitment.Time {
		t.say(d, SitTimeAsk)
	}
}

func (d *Deal) objectionOfKind(kind string) int {
	for i, o := range d.p.Objections {
		if o.Kind == kind && o.At == PhaseDeal {
			return i
		}
	}
	return -1
}

func formatMoney(v float64, cur string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if cur != "" {
		s += " " + cur
	}
	return s
}

// closeCallFindings makes the findings that are known when a call ends.
func (d *Deal) closeCallFindings(c *callState) {
	n := len(d.calls)
	if !d.fit() {
		if c.endedBy == EndedByTrainee && d.letGoPolitely() {
			d.find(FindQualifiedOut, c.turns, nil)
		}
	} else {
		if !d.goalReached(n) {
			d.find(FindMissedGoal, c.turns, missedGoal{call: n, nextStep: c.nextStep})
			if c.turns > d.cfg.Rules.LongCallTurns {
				d.find(FindLongCall, c.turns, n)
			}
		}
		if c.endedBy == EndedByTrainee && d.reached[MilestoneDeal] == nil && !c.nextStep {
			d.find(FindNoNextStep, c.turns, n)
		}
	}
	if total := c.trUnits + c.cuUnits; c.turns >= 4 && total > 0 {
		if share := float64(c.trUnits) / float64(total); share > d.cfg.Rules.TalkShareMax {
			d.find(FindTalksTooMuch, c.turns, strconv.Itoa(int(share*100+0.5))+"%")
		}
	}
}

// goalReached reports whether call n (from 1) reached its goal by its end.
func (d *Deal) goalReached(n int) bool {
	c := d.calls[n-1]
	if !d.fit() {
		return d.letGoPolitely() && c.endedBy != EndedByCustomer
	}
	if c.goal == MilestoneNeed && !d.needRequired() {
		return true
	}
	r := d.reached[c.goal]
	return r != nil && r.Call <= n
}
