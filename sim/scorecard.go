package sim

// Scorecard is the result of a deal and of each of its calls (DOMAIN
// section 6). Its JSON is a public contract.
type Scorecard struct {
	EngineVersion string `json:"engine_version"`
	Persona       string `json:"persona"`
	Scenario      string `json:"scenario"`
	Lang          Lang   `json:"lang"`
	Seed          int64  `json:"seed"`
	// PersonaVersion fingerprints the persona and scenario files the deal
	// was played on ("persona+scenario"); a deal is continued only on the
	// same versions.
	PersonaVersion string `json:"persona_version,omitempty"`
	// Over is true once the deal has ended; only then is Hidden filled in.
	Over bool `json:"over"`

	Milestones map[Milestone]*MilestoneResult `json:"milestones"`
	Commitment Commitment                     `json:"commitment"`
	// Outcome is the furthest milestone reached ("none", "need", "offer",
	// "deal"), or "qualified_out" when the trainee rightly let a customer
	// with no motive go.
	Outcome string `json:"outcome"`

	Calls       int           `json:"calls"`
	Turns       int           `json:"turns"`
	DurationSec float64       `json:"duration_sec"`
	CallsDetail []*CallDetail `json:"calls_detail"`

	Talk Talk `json:"talk"`

	Findings   []Finding        `json:"findings"`
	Score      int              `json:"score"`
	Breakdown  []ScoreLine      `json:"score_breakdown"`
	Hidden     *HiddenReveal    `json:"hidden"`
	Transcript []TranscriptTurn `json:"transcript"`
}

// DealSummary is what lists, filters and team views read of a deal: a few
// figures of its scorecard, stored after every turn (the full scorecard is
// stored when a call ends).
type DealSummary struct {
	EngineVersion  string `json:"engine_version"`
	PersonaVersion string `json:"persona_version,omitempty"`
	Over           bool   `json:"over"`
	Outcome        string `json:"outcome"`
	Furthest       int    `json:"-"` // 0 none, 1 need, 2 offer, 3 deal
	Score          int    `json:"score"`
	Calls          int    `json:"calls"`
	Turns          int    `json:"turns"`
	// InCall is true while a call of the deal is in progress.
	InCall bool `json:"in_call"`
	// Price and Time are the two parts of the deal's commitment.
	Price bool `json:"price"`
	Time  bool `json:"time"`
	// Pace is the call and the deal's turns to each milestone reached.
	Pace map[Milestone]DealPace `json:"pace"`
	// With an LLM voice: the customer lines it reworded, those whose
	// rewording the guard dropped, and the time it took in all.
	VoicedTurns  int `json:"voiced_turns,omitempty"`
	VoiceDropped int `json:"voice_dropped,omitempty"`
	VoiceMillis  int `json:"voice_ms,omitempty"`
	VoiceTokens  int `json:"voice_tokens,omitempty"`
}

// Summary returns the scorecard's summary.
func (s *Scorecard) Summary() DealSummary {
	sum := DealSummary{EngineVersion: s.EngineVersion, PersonaVersion: s.PersonaVersion, Over: s.Over, Outcome: s.Outcome, Score: s.Score, Calls: s.Calls, Turns: s.Turns,
		Price: s.Commitment.Price, Time: s.Commitment.Time, Pace: map[Milestone]DealPace{}}
	if sum.Outcome == "" {
		sum.Outcome = "none"
	}
	for i, m := range Milestones {
		if r := s.Milestones[m]; r != nil && r.Reached {
			sum.Furthest = i + 1
			sum.Pace[m] = DealPace{Call: r.Call, Turns: r.TurnsTo}
		}
	}
	if n := len(s.CallsDetail); n > 0 && !s.Over {
		sum.InCall = s.CallsDetail[n-1].EndedBy == ""
	}
	return sum
}

// Evidence points at the turn where something happened, with the
// customer's words.
type Evidence struct {
	Call  int    `json:"call"`
	Turn  int    `json:"turn"`
	Quote string `json:"quote"`
}

// MilestoneResult says whether and where a milestone was reached.
type MilestoneResult struct {
	Label    string `json:"label"` // the scenario's name for it, in the deal's language
	Required bool   `json:"required"`
	Reached  bool   `json:"reached"`
	Call     int    `json:"call"` // 0 when not reached
	Turn     int    `json:"turn"`
	// TurnsTo counts the deal's turns up to and including that turn, over
	// all its calls (0 when not reached).
	TurnsTo int    `json:"turns_to"`
	Quote   string `json:"quote,omitempty"`
	// Surface is true for an offer accepted on the surface need alone,
	// before the customer voiced its motive (DOMAIN section 4): the road to
	// a postponed time.
	Surface bool `json:"surface,omitempty"`
}

// Commitment records the two parts of the deal milestone separately.
type Commitment struct {
	Price         bool      `json:"price"`
	Time          bool      `json:"time"`
	AgreedPrice   float64   `json:"agreed_price,omitempty"`
	PriceEvidence *Evidence `json:"price_evidence,omitempty"`
	TimeEvidence  *Evidence `json:"time_evidence,omitempty"`
	// Postponed counts the times the customer accepted the price but put
	// off the time.
	Postponed int `json:"postponed"`
}

// CallDetail is the per-call part of the scorecard.
type CallDetail struct {
	Call          int         `json:"call"`
	Goal          Milestone   `json:"goal"`
	GoalLabel     string      `json:"goal_label"`
	GoalReached   bool        `json:"goal_reached"`
	EndedBy       string      `json:"ended_by"` // customer, trainee, limit; "" while live
	EndReason     string      `json:"end_reason,omitempty"`
	Turns         int         `json:"turns"`
	DurationSec   float64     `json:"duration_sec"`
	Stages        []Stage     `json:"stages"` // stages in the order first reached
	StagesInOrder bool        `json:"stages_in_order"`
	Milestones    []Milestone `json:"milestones"` // reached during this call
	NextStep      bool        `json:"next_step"`  // ended on an agreed next step
	Talk          Talk        `json:"talk"`
}

// Talk compares the trainee's share of talking and questions with the
// published reference for top sales calls.
type Talk struct {
	TraineeShare   float64 `json:"trainee_share"` // 0..1 of spoken time
	ReferenceShare float64 `json:"reference_share"`
	Questions      int     `json:"questions"`           // questions asked
	Discovery      int     `json:"discovery_questions"` // discovery questions asked
	// ReferenceMin and ReferenceMax are the published 11–14 questions of a
	// 30–60-minute discovery call, scaled to this call's speaking time.
	ReferenceMin int    `json:"reference_questions_min"`
	ReferenceMax int    `json:"reference_questions_max"`
	Source       string `json:"reference_source"`
	// SpeakingSec is the estimated speaking time the reference is scaled
	// to (the same figure as the calls' duration_sec).
	SpeakingSec float64 `json:"speaking_sec"`
}

// Finding is one coaching observation with a stable code.
type Finding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"` // info, warning, problem, good
	Call     int    `json:"call"`
	Turn     int    `json:"turn"`
	Message  string `json:"message"`
	Advice   string `json:"advice"`
	Points   int    `json:"points"` // effect on the score (negative: deducted)
	// Texts holds the message and advice in every language, so that a
	// reader sees them in their own (Message and Advice are the deal's).
	Texts map[Lang]FindingText `json:"texts,omitempty"`
}

// FindingText is a finding's message and advice in one language.
type FindingText struct {
	Message string `json:"message"`
	Advice  string `json:"advice"`
}

// ScoreLine explains part of the score.
type ScoreLine struct {
	Item   string `json:"item"`
	Label  string `json:"label"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
}

// HiddenReveal is the persona's hidden state, revealed once the deal is
// over (always visible to a coach through the persona).
type HiddenReveal struct {
	Urgency      Urgency             `json:"urgency"`
	Motive       string              `json:"motive"`
	SurfaceNeed  string              `json:"surface_need"`
	Budget       float64             `json:"budget"`
	MaxBudget    float64             `json:"max_budget"`
	DecidesAlone bool                `json:"decides_alone"`
	Objections   []RevealedObjection `json:"objections"`
}

// RevealedObjection is one of the persona's objections as the scorecard
// reveals it: what it was and whether the trainee met and answered it.
type RevealedObjection struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Line     string `json:"line"` // how the customer voices it
	Raised   bool   `json:"raised"`
	Resolved bool   `json:"resolved"`
}

// TranscriptTurn is one turn: the trainee's line and the customer's reply.
type TranscriptTurn struct {
	Call     int    `json:"call"`
	Turn     int    `json:"turn"` // within the call, from 1; 0 is the customer's pickup
	Trainee  string `json:"trainee"`
	Acts     []Act  `json:"acts"`
	Customer string `json:"customer"`
	// Shown is what the trainee was shown instead of Customer, when a
	// voice reworded it.
	Shown string `json:"shown,omitempty"`
	// VoiceReason says why the voice's rewording was dropped (the engine's
	// line was shown); VoiceMillis how long the voice took.
	VoiceReason string      `json:"voice_reason,omitempty"`
	VoiceMillis int         `json:"voice_ms,omitempty"`
	VoiceTokens int         `json:"voice_tokens,omitempty"`
	Situation   Situation   `json:"situation"`
	Stage       Stage       `json:"stage,omitempty"`
	Milestones  []Milestone `json:"milestones,omitempty"` // reached on this turn
	Trust       int         `json:"trust"`
	Patience    int         `json:"patience"`
}
