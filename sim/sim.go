// Package sim is callsim's domain: trainee acts, personas and scenarios, the
// deterministic customer engine and the scorecard. It imports only the
// standard library; adapters for storage, transport, configuration and LLMs
// live in subpackages and in cmd/callsim.
package sim

import (
	"fmt"
	"slices"
)

// EngineVersion identifies the behaviour of the classifier, the customer
// engine and the scorer. It is stored with every scorecard so that a stored
// result is never silently recalculated by a different engine.
const EngineVersion = "2.3.0"

// Lang is a language a persona speaks and a trainee writes in.
type Lang string

// Languages callsim understands. LangAuto asks the classifier to detect it.
const (
	LangZH   Lang = "zh"
	LangEN   Lang = "en"
	LangAuto Lang = "auto"
)

// Valid reports whether l is zh or en.
// Langs are the languages callsim speaks.
var Langs = []Lang{LangZH, LangEN}

func (l Lang) Valid() bool { return l == LangZH || l == LangEN }

// ParseLang parses "zh", "en" or, when allowAuto, "auto" (and "").
func ParseLang(s string, allowAuto bool) (Lang, error) {
	switch Lang(s) {
	case LangZH, LangEN:
		return Lang(s), nil
	case LangAuto, "":
		if allowAuto {
			return LangAuto, nil
		}
	}
	return "", Errorf(EINVALID, "unknown language %q (want zh or en)", s)
}

// Act is what a trainee line does (DOMAIN section 3). Act ids are a public
// contract: they appear in the API, the CLI and stored data.
type Act string

// The trainee acts.
const (
	ActGreet           Act = "greet"
	ActPurpose         Act = "purpose"
	ActRapport         Act = "rapport"
	ActAskSituation    Act = "ask_situation"
	ActAskProblem      Act = "ask_problem"
	ActAskMotive       Act = "ask_motive"
	ActSummarize       Act = "summarize"
	ActPitch           Act = "pitch"
	ActHandleObjection Act = "handle_objection"
	ActPrice           Act = "price"
	ActProposeTime     Act = "propose_time"
	ActAskCommitment   Act = "ask_commitment"
	ActNextStep        Act = "next_step"
	ActCloseCall       Act = "close_call"
	ActPressure        Act = "pressure"
	ActOther           Act = "other"
)

// Acts lists every act in the order of DOMAIN section 3.
var Acts = []Act{
	ActGreet, ActPurpose, ActRapport, ActAskSituation, ActAskProblem, ActAskMotive,
	ActSummarize, ActPitch, ActHandleObjection, ActPrice, ActProposeTime,
	ActAskCommitment, ActNextStep, ActCloseCall, ActPressure, ActOther,
}

// Valid reports whether a is one of Acts.
func (a Act) Valid() bool { return slices.Contains(Acts, a) }

// Stage returns the call stage an act belongs to, or "" for acts that belong
// to any stage (rapport, next_step, close_call) or none (pressure, other).
func (a Act) Stage() Stage {
	switch a {
	case ActGreet, ActPurpose:
		return StageOpening
	case ActAskSituation, ActAskProblem, ActAskMotive, ActSummarize:
		return StageDiscovery
	case ActPitch, ActHandleObjection:
		return StageSolution
	case ActPrice, ActProposeTime, ActAskCommitment:
		return StageCommitment
	}
	return ""
}

// IsDiscovery reports whether a is a discovery question.
func (a Act) IsDiscovery() bool {
	return a == ActAskSituation || a == ActAskProblem || a == ActAskMotive
}

// Stage is one of the four key points of the call process.
type Stage string

// The call stages in their proper order.
const (
	StageOpening    Stage = "opening"
	StageDiscovery  Stage = "discovery"
	StageSolution   Stage = "solution"
	StageCommitment Stage = "commitment"
)

// Stages lists the stages in their proper order.
var Stages = []Stage{StageOpening, StageDiscovery, StageSolution, StageCommitment}

// Milestone is one of the customer's three buying milestones.
type Milestone string

// The milestones in order.
const (
	MilestoneNeed  Milestone = "need"
	MilestoneOffer Milestone = "offer"
	MilestoneDeal  Milestone = "deal"
)

// Milestones lists the milestones in order.
var Milestones = []Milestone{MilestoneNeed, MilestoneOffer, MilestoneDeal}

// ParseMilestone parses a milestone id.
func ParseMilestone(s string) (Milestone, error) {
	m := Milestone(s)
	if slices.Contains(Milestones, m) {
		return m, nil
	}
	return "", Errorf(EINVALID, "unknown milestone %q (want need, offer or deal)", s)
}

// Urgency is how pressing the customer's motive is.
type Urgency string

// Urgency levels.
const (
	UrgencyLow    Urgency = "low"
	UrgencyMedium Urgency = "medium"
	UrgencyHigh   Urgency = "high"
)

// Valid reports whether u is low, medium or high.
func (u Urgency) Valid() bool {
	return u == UrgencyLow || u == UrgencyMedium || u == UrgencyHigh
}

// Role is what a user may do.
type Role string

// User roles.
const (
	RoleTrainee Role = "trainee"
	RoleCoach   Role = "coach"
	RoleAdmin   Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleTrainee || r == RoleCoach || r == RoleAdmin }

// Text is a short text in several languages.
type Text map[Lang]string

// In returns the text in lang, falling back to English, then Chinese.
func (t Text) In(lang Lang) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s := t[LangEN]; s != "" {
		return s
	}
	return t[LangZH]
}

// Lines holds variants of one customer line per language.
type Lines map[Lang][]string

// Words holds keyword lists per language.
type Words map[Lang][]string

func (l Lang) String() string { return string(l) }

var _ fmt.Stringer = LangZH
