package sim

// DealConfig sets up a deal.
type DealConfig struct {
	Seed    int64
	Lang    Lang
	Rules   Rules
	Weights Weights
}

// Reply is what happens after one engine input.
type Reply struct {
	Call      int       `json:"call"`
	Turn      int       `json:"turn"`
	Text      string    `json:"text"` // the customer's words; may be empty
	Situation Situation `json:"situation"`
	Acts      []Act     `json:"acts,omitempty"`
	Stage     Stage     `json:"stage,omitempty"`
	// Milestones reached on this turn.
	Milestones []Milestone `json:"milestones,omitempty"`
	// Ended is true when this input ended the call.
	Ended   bool   `json:"ended"`
	EndedBy string `json:"ended_by,omitempty"`
}

// Deal is one trainee working one persona instance across calls. It is not
// safe for concurrent use: one goroutine owns a deal.
type Deal struct {
	// filled in by the engine
	st state
}

// NewDeal starts a deal with a persona. The first input must be a dial.
func NewDeal(c *Classifier, p *Persona, sc *Scenario, cfg DealConfig) (*Deal, error) {
	panic("todo")
}

// Apply feeds one stored event to the deal; it is how a deal is rebuilt.
func (d *Deal) Apply(e Event) (Reply, error) { panic("todo") }

// Dial starts a call with a goal milestone chosen before dialling and
// returns the customer's pickup line.
func (d *Deal) Dial(goal Milestone) (Reply, error) { panic("todo") }

// Say plays one trainee line and returns the customer's reply.
func (d *Deal) Say(text string) (Reply, error) { panic("todo") }

// Hangup ends the current call on the trainee's side.
func (d *Deal) Hangup() (Reply, error) { panic("todo") }

// Finish ends the deal: no more calls, the hidden state is revealed.
func (d *Deal) Finish() (Reply, error) { panic("todo") }

// InCall reports whether a call is live.
func (d *Deal) InCall() bool { panic("todo") }

// Over reports whether the deal has ended.
func (d *Deal) Over() bool { panic("todo") }

// Scorecard returns the scorecard as of now (a fresh value each time).
func (d *Deal) Scorecard() *Scorecard { panic("todo") }

type state struct{}

// Rules are the engine's tunable numbers (config.yaml "engine").
type Rules struct{}

// Weights are the score weights (config.yaml "score").
type Weights struct{}

// DefaultRules returns the rules callsim ships with.
func DefaultRules() Rules { return Rules{} }

// DefaultWeights returns the weights callsim ships with.
func DefaultWeights() Weights { return Weights{} }
