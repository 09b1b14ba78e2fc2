package main

import (
	"github.com/spf13/viper"

	"github.com/callsim/callsim/sim"
)

// EngineConfig is the engine section: the customer engine's tunable numbers.
type EngineConfig struct{}

// ScoreConfig is the score section: the weights of the 0–100 score.
type ScoreConfig struct{}

func setEngineDefaults(v *viper.Viper) {}

func (e EngineConfig) validate() error { return nil }

// Rules converts the engine section to the engine's rules.
func (c Config) Rules() sim.Rules { return sim.DefaultRules() }

// Weights converts the score section to the scorer's weights.
func (c Config) Weights() sim.Weights { return sim.DefaultWeights() }
