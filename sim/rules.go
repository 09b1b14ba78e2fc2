package sim

import (
	"fmt"
	"slices"
)

// Rules are the customer engine's tunable numbers. Coaches tune them in the
// engine section of config.yaml; DefaultRules documents the shipped values.
type Rules struct {
	// MaxTurns ends a call (ended_by "limit") after this many trainee lines.
	MaxTurns int
	// TurnCost is the patience every turn costs; a persona's patience of N
	// gives N ordinary turns.
	TurnCost int
	// MonologueUnits: a line longer than this (words, or Chinese characters
	// / 2) is a monologue and costs MonologueCost more patience.
	MonologueUnits int
	MonologueCost  int
	// RepeatCost is the extra patience a repeated question costs.
	RepeatCost int
	// OverProbeCost is the extra patience each discovery question costs
	// once the need was voiced; OverProbeAfter questions after the need
	// make the over_probing finding.
	OverProbeCost  int
	OverProbeAfter int
	// TrustToTell is the trust a customer needs before answering a
	// discovery question with anything but a dodge.
	TrustToTell int
	// Trust gained by a greeting, a stated purpose, rapport (at most
	// RapportPerCall times a call), a confirmed summary, a resolved
	// objection; lost by a premature pitch or pressure.
	TrustGreet          int
	TrustPurpose        int
	TrustRapport        int
	RapportPerCall      int
	TrustSummary        int
	TrustObjection      int
	TrustPrematurePitch int
	TrustPressure       int
	// TrustListen is the trust a discovery question earns while the
	// customer does not trust the trainee enough to answer it: a customer
	// warms to a caller who asks about it.
	TrustListen int
	// SurfaceOfferTrust is the trust a customer needs to accept a
	// presentation of its surface need alone (DOMAIN section 4, surface
	// offer); SurfaceOfferUrgencies are the urgencies that do. A persona
	// may set its own trust (hidden.surface_offer_trust).
	SurfaceOfferTrust     int
	SurfaceOfferUrgencies []Urgency
	// Follow-up calls start warmer after an agreed next step and colder
	// after a call the customer cut off.
	TrustWarmFollowup int
	TrustColdFollowup int
	// MediumProbes and LowProbes are how many discovery questions a medium
	// or low urgency customer needs before voicing the motive (a medium one
	// also needs a why-now question, a low one an implication question).
	MediumProbes int
	LowProbes    int
	// NoNeedAfter is how many discovery questions a customer without a
	// motive answers before saying there is no real need.
	NoNeedAfter int
	// PressureLimit: pressured this often, the customer hangs up.
	PressureLimit int
	// LongCallTurns: a call longer than this that misses its goal makes the
	// long_call finding.
	LongCallTurns int
	// TalkShareMax: a trainee share of talk above it makes talks_too_much.
	TalkShareMax float64
}

// DefaultRules returns the rules callsim ships with.
func DefaultRules() Rules {
	return Rules{
		MaxTurns:              40,
		TurnCost:              10,
		MonologueUnits:        60,
		MonologueCost:         10,
		RepeatCost:            10,
		OverProbeCost:         15,
		OverProbeAfter:        2,
		TrustToTell:           30,
		TrustGreet:            5,
		TrustPurpose:          10,
		TrustRapport:          5,
		RapportPerCall:        2,
		TrustSummary:          10,
		TrustListen:           3,
		SurfaceOfferTrust:     40,
		SurfaceOfferUrgencies: []Urgency{UrgencyMedium, UrgencyLow},
		TrustObjection:        5,
		TrustPrematurePitch:   10,
		TrustPressure:         20,
		TrustWarmFollowup:     10,
		TrustColdFollowup:     10,
		MediumProbes:          2,
		LowProbes:             3,
		NoNeedAfter:           3,
		PressureLimit:         2,
		LongCallTurns:         20,
		TalkShareMax:          0.65,
	}
}

// Validate checks that the rules make sense.
func (r Rules) Validate() error {
	pos := []struct {
		name string
		v    int
	}{
		{"max_turns", r.MaxTurns}, {"turn_cost", r.TurnCost}, {"monologue_units", r.MonologueUnits},
		{"medium_probes", r.MediumProbes}, {"low_probes", r.LowProbes}, {"no_need_after", r.NoNeedAfter},
		{"pressure_limit", r.PressureLimit}, {"long_call_turns", r.LongCallTurns}, {"over_probe_after", r.OverProbeAfter},
	}
	for _, p := range pos {
		if p.v < 1 {
			return fmt.Errorf("engine.%s must be at least 1, not %d", p.name, p.v)
		}
	}
	nonneg := []struct {
		name string
		v    int
	}{
		{"monologue_cost", r.MonologueCost}, {"repeat_cost", r.RepeatCost}, {"over_probe_cost", r.OverProbeCost},
		{"trust_to_tell", r.TrustToTell}, {"trust_greet", r.TrustGreet}, {"trust_purpose", r.TrustPurpose},
		{"trust_rapport", r.TrustRapport}, {"rapport_per_call", r.RapportPerCall}, {"trust_summary", r.TrustSummary},
		{"trust_objection", r.TrustObjection}, {"trust_premature_pitch", r.TrustPrematurePitch},
		{"trust_pressure", r.TrustPressure}, {"trust_warm_followup", r.TrustWarmFollowup},
		{"trust_cold_followup", r.TrustColdFollowup}, {"trust_listen", r.TrustListen},
		{"surface_offer_trust", r.SurfaceOfferTrust},
	}
	for _, p := range nonneg {
		if p.v < 0 || p.v > 100 && p.name != "monologue_cost" {
			return fmt.Errorf("engine.%s must be between 0 and 100, not %d", p.name, p.v)
		}
	}
	for _, u := range r.SurfaceOfferUrgencies {
		if !u.Valid() {
			return fmt.Errorf("engine.surface_offer_urgencies: %q is not low, medium or high", u)
		}
	}
	if r.TalkShareMax <= 0 || r.TalkShareMax > 1 {
		return fmt.Errorf("engine.talk_share_max must be above 0 and at most 1, not %g", r.TalkShareMax)
	}
	return nil
}

// Weights are the points of the 0–100 score. Need, Offer, Price, Time, Goal
// and Process add up to 100; Penalties deduct points per finding code.
type Weights struct {
	Need    int
	Offer   int
	Price   int
	Time    int
	Goal    int
	Process int
	// Penalties maps a finding code to the points each such finding costs.
	Penalties map[string]int
}

// DefaultWeights returns the weights callsim ships with.
func DefaultWeights() Weights {
	return Weights{
		Need: 25, Offer: 20, Price: 15, Time: 15, Goal: 10, Process: 15,
		Penalties: map[string]int{
			FindPrematurePitch:   5,
			FindPitchNotOnNeed:   3,
			FindOverProbing:      5,
			FindRepeatedQuestion: 2,
			FindMonologue:        2,
			FindPressure:         10,
			FindCustomerHungUp:   5,
			FindPrematureClose:   3,
			FindOverDiscount:     10,
			FindForcedClose:      10,
			FindMissedGoal:       5,
			FindLongCall:         3,
			FindWeakOpening:      0,
			FindTimeStalled:      0,
			FindNoNextStep:       2,
		},
	}
}

// Validate checks that the weights add up to 100 and name known findings.
func (w Weights) Validate() error {
	for _, v := range []int{w.Need, w.Offer, w.Price, w.Time, w.Goal, w.Process} {
		if v < 0 {
			return fmt.Errorf("score weights must not be negative")
		}
	}
	if sum := w.Need + w.Offer + w.Price + w.Time + w.Goal + w.Process; sum != 100 {
		return fmt.Errorf("score weights need+offer+price+time+goal+process must add up to 100, not %d", sum)
	}
	for code, p := range w.Penalties {
		if !slices.Contains(FindingCodes, code) {
			return fmt.Errorf("score.penalties.%s: unknown finding code", code)
		}
		if p < 0 || p > 100 {
			return fmt.Errorf("score.penalties.%s must be between 0 and 100, not %d", code, p)
		}
	}
	return nil
}
