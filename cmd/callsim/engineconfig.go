package main

import (
	"github.com/spf13/viper"

	"github.com/callsim/callsim/sim"
)

// EngineConfig is the engine section of config.yaml: the customer engine's
// tunable numbers (see sim.Rules for what each does).
type EngineConfig struct {
	MaxTurns              int      `mapstructure:"max_turns"`
	TurnCost              int      `mapstructure:"turn_cost"`
	MonologueUnits        int      `mapstructure:"monologue_units"`
	MonologueCost         int      `mapstructure:"monologue_cost"`
	RepeatCost            int      `mapstructure:"repeat_cost"`
	OverProbeCost         int      `mapstructure:"over_probe_cost"`
	OverProbeAfter        int      `mapstructure:"over_probe_after"`
	TrustToTell           int      `mapstructure:"trust_to_tell"`
	TrustGreet            int      `mapstructure:"trust_greet"`
	TrustPurpose          int      `mapstructure:"trust_purpose"`
	TrustRapport          int      `mapstructure:"trust_rapport"`
	RapportPerCall        int      `mapstructure:"rapport_per_call"`
	TrustSummary          int      `mapstructure:"trust_summary"`
	TrustListen           int      `mapstructure:"trust_listen"`
	SurfaceOfferTrust     int      `mapstructure:"surface_offer_trust"`
	SurfaceOfferUrgencies []string `mapstructure:"surface_offer_urgencies"`
	TrustObjection        int      `mapstructure:"trust_objection"`
	TrustPrematurePitch   int      `mapstructure:"trust_premature_pitch"`
	TrustPressure         int      `mapstructure:"trust_pressure"`
	TrustWarmFollowup     int      `mapstructure:"trust_warm_followup"`
	TrustColdFollowup     int      `mapstructure:"trust_cold_followup"`
	MediumProbes          int      `mapstructure:"medium_probes"`
	LowProbes             int      `mapstructure:"low_probes"`
	NoNeedAfter           int      `mapstructure:"no_need_after"`
	PressureLimit         int      `mapstructure:"pressure_limit"`
	LongCallTurns         int      `mapstructure:"long_call_turns"`
	TalkShareMax          float64  `mapstructure:"talk_share_max"`
}

// ScoreConfig is the score section: the weights of the 0–100 score and the
// points each finding costs.
type ScoreConfig struct {
	Need      int            `mapstructure:"need"`
	Offer     int            `mapstructure:"offer"`
	Price     int            `mapstructure:"price"`
	Time      int            `mapstructure:"time"`
	Goal      int            `mapstructure:"goal"`
	Process   int            `mapstructure:"process"`
	Penalties map[string]int `mapstructure:"penalties"`
}

func setEngineDefaults(v *viper.Viper) {
	r := sim.DefaultRules()
	for k, val := range map[string]any{
		"max_turns": r.MaxTurns, "turn_cost": r.TurnCost, "monologue_units": r.MonologueUnits,
		"monologue_cost": r.MonologueCost, "repeat_cost": r.RepeatCost, "over_probe_cost": r.OverProbeCost,
		"over_probe_after": r.OverProbeAfter, "trust_to_tell": r.TrustToTell, "trust_greet": r.TrustGreet,
		"trust_purpose": r.TrustPurpose, "trust_rapport": r.TrustRapport, "rapport_per_call": r.RapportPerCall,
		"trust_summary": r.TrustSummary, "trust_objection": r.TrustObjection,
		"trust_listen": r.TrustListen, "surface_offer_trust": r.SurfaceOfferTrust,
		"surface_offer_urgencies": urgencyStrings(r.SurfaceOfferUrgencies),
		"trust_premature_pitch":   r.TrustPrematurePitch, "trust_pressure": r.TrustPressure,
		"trust_warm_followup": r.TrustWarmFollowup, "trust_cold_followup": r.TrustColdFollowup,
		"medium_probes": r.MediumProbes, "low_probes": r.LowProbes, "no_need_after": r.NoNeedAfter,
		"pressure_limit": r.PressureLimit, "long_call_turns": r.LongCallTurns, "talk_share_max": r.TalkShareMax,
	} {
		v.SetDefault("engine."+k, val)
	}
	w := sim.DefaultWeights()
	v.SetDefault("score.need", w.Need)
	v.SetDefault("score.offer", w.Offer)
	v.SetDefault("score.price", w.Price)
	v.SetDefault("score.time", w.Time)
	v.SetDefault("score.goal", w.Goal)
	v.SetDefault("score.process", w.Process)
	for code, p := range w.Penalties {
		v.SetDefault("score.penalties."+code, p)
	}
}

// Rules converts the engine section to the engine's rules.
func (c Config) Rules() sim.Rules {
	e := c.Engine
	return sim.Rules{
		MaxTurns: e.MaxTurns, TurnCost: e.TurnCost, MonologueUnits: e.MonologueUnits,
		MonologueCost: e.MonologueCost, RepeatCost: e.RepeatCost, OverProbeCost: e.OverProbeCost,
		OverProbeAfter: e.OverProbeAfter, TrustToTell: e.TrustToTell, TrustGreet: e.TrustGreet,
		TrustPurpose: e.TrustPurpose, TrustRapport: e.TrustRapport, RapportPerCall: e.RapportPerCall,
		TrustSummary: e.TrustSummary, TrustObjection: e.TrustObjection,
		TrustListen: e.TrustListen, SurfaceOfferTrust: e.SurfaceOfferTrust,
		SurfaceOfferUrgencies: urgencies(e.SurfaceOfferUrgencies),
		TrustPrematurePitch:   e.TrustPrematurePitch, TrustPressure: e.TrustPressure,
		TrustWarmFollowup: e.TrustWarmFollowup, TrustColdFollowup: e.TrustColdFollowup,
		MediumProbes: e.MediumProbes, LowProbes: e.LowProbes, NoNeedAfter: e.NoNeedAfter,
		PressureLimit: e.PressureLimit, LongCallTurns: e.LongCallTurns, TalkShareMax: e.TalkShareMax,
	}
}

// Weights converts the score section to the scorer's weights.
func (c Config) Weights() sim.Weights {
	s := c.Score
	return sim.Weights{Need: s.Need, Offer: s.Offer, Price: s.Price, Time: s.Time, Goal: s.Goal, Process: s.Process, Penalties: s.Penalties}
}

func urgencyStrings(us []sim.Urgency) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = string(u)
	}
	return out
}

func urgencies(ss []string) []sim.Urgency {
	out := make([]sim.Urgency, len(ss))
	for i, s := range ss {
		out[i] = sim.Urgency(s)
	}
	return out
}
