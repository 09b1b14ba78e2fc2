package sim

import (
	"fmt"
	"slices"
)

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

// Who ended a call.
const (
	EndedByCustomer = "customer"
	EndedByTrainee  = "trainee"
	EndedByLimit    = "limit"
)

// Deal is one trainee working one persona instance across calls: the hidden
// state, carried from call to call, and everything the scorecard needs. It
// is not safe for concurrent use: one goroutine owns a deal. Given the same
// persona, scenario, config and inputs, a deal always comes out the same.
type Deal struct {
	ear Understander
	p   *Persona
	sc  *Scenario
	cfg DealConfig

	over bool
	live bool // a call is in progress

	// Hidden state carried across calls.
	trust        int
	pressure     int
	probes       int  // discovery questions answered towards the need
	whyNow       bool // a why-now question was asked
	implication  bool // the cost of waiting was made concrete
	noNeedSaid   bool // a no-motive customer said there is no need
	pushedNoFit  int  // pushes after no_need
	pitchWeighed bool // a presentation the customer is weighing: on the need, or on the surface need
	summarized   bool // the trainee confirmed the need in the customer's words
	problemTold  bool // the customer has voiced its surface need
	objections   []objState
	openObj      int // index of the objection on the table, -1 if none
	quoted       float64
	priceStretch bool      // a price objection was answered: budget stretches
	priceNamed   bool      // the trainee has said what it costs, in this deal
	priceRefused bool      // the customer turned the price on the table down, and has not accepted one since
	timeProposed bool      // a time is on the table
	lastAsked    []string  // normalised discovery questions asked, for repeats
	introduced   bool      // the trainee has said who they are (a greeting)
	purposed     bool      // the trainee has said why they call
	problemTurn  *Evidence // where the customer voiced its surface need

	reached    map[Milestone]*MilestoneResult
	commitment Commitment

	calls      []*callState
	transcript []TranscriptTurn
	findings   []rawFinding
	said       map[string]int // how often the customer said each line in this deal
	lastSaid   string         // the line the customer said last
}

type objState struct {
	raised, resolved bool
}

type callState struct {
	goal       Milestone
	turns      int
	patience   int
	rapport    int
	endedBy    string
	endReason  string
	stages     []Stage
	milestones []Milestone
	nextStep   bool
	opened     bool // stated the purpose of the call
	trUnits    int  // trainee's spoken units
	cuUnits    int  // customer's spoken units
	questions  int
	discovery  int
	overProbes int
	seenAsked  bool            // asked whether the customer looked at what was sent
	flagged    map[string]bool // findings already made this call
}

// rawFinding is a finding before it is rendered in the trainee's language.
type rawFinding struct {
	code   string
	call   int
	turn   int
	detail any
}

// NewDeal starts a deal with a persona. The first input must be a dial.
func NewDeal(ear Understander, p *Persona, sc *Scenario, cfg DealConfig) (*Deal, error) {
	if ear == nil || p == nil || sc == nil {
		return nil, Errorf(EINVALID, "new deal: understander, persona and scenario are required")
	}
	if sc.ID != p.Scenario {
		return nil, Errorf(EINVALID, "new deal: persona %q belongs to scenario %q, not %q", p.ID, p.Scenario, sc.ID)
	}
	if !p.Speaks(cfg.Lang) {
		return nil, Errorf(EINVALID, "persona %q does not speak %q", p.ID, cfg.Lang)
	}
	if err := cfg.Rules.Validate(); err != nil {
		return nil, fmt.Errorf("new deal: %w", err)
	}
	if err := cfg.Weights.Validate(); err != nil {
		return nil, fmt.Errorf("new deal: %w", err)
	}
	d := &Deal{
		ear: ear, p: p, sc: sc, cfg: cfg,
		trust:      p.Hidden.Trust,
		openObj:    -1,
		quoted:     sc.ListPrice,
		objections: make([]objState, len(p.Objections)),
		reached:    map[Milestone]*MilestoneResult{},
		said:       map[string]int{},
	}
	return d, nil
}

// Apply feeds one stored event to the deal; it is how a deal is rebuilt.
func (d *Deal) Apply(e Event) (Reply, error) {
	switch e.Kind {
	case EventDial:
		r, err := d.Dial(e.Goal)
		d.noteShown(err, r, e)
		return r, err
	case EventSay:
		r, err := d.Say(e.Text)
		d.noteShown(err, r, e)
		return r, err
	case EventHangup:
		return d.Hangup()
	case EventFinish:
		return d.Finish()
	}
	return Reply{}, Errorf(EINVALID, "unknown event kind %q", e.Kind)
}

func (d *Deal) noteShown(err error, r Reply, e Event) {
	if err == nil && (e.Shown != "" || e.VoiceReason != "" || e.VoiceMillis != 0 || e.VoiceTokens != 0) {
		d.Voiced(r.Call, r.Turn, VoiceNote{Shown: e.Shown, Reason: e.VoiceReason, Millis: e.VoiceMillis, Tokens: e.VoiceTokens})
	}
}

// Voiced records what the LLM voice did for the customer's answer on a
// turn: the words the trainee was shown, why a rewording was dropped, how
// long it took. It changes nothing the engine decides.
func (d *Deal) Voiced(call, turn int, n VoiceNote) {
	for i := len(d.transcript) - 1; i >= 0; i-- {
		if t := &d.transcript[i]; t.Call == call && t.Turn == turn {
			if n.Shown != t.Customer {
				t.Shown = n.Shown
			}
			t.VoiceReason, t.VoiceMillis, t.VoiceTokens = n.Reason, n.Millis, n.Tokens
			return
		}
	}
}

// Dial starts a call with a goal milestone chosen before dialling and
// returns the customer's pickup line.
func (d *Deal) Dial(goal Milestone) (Reply, error) {
	switch {
	case d.over:
		return Reply{}, Errorf(EINVALID, "the deal is over")
	case d.live:
		return Reply{}, Errorf(EINVALID, "a call is already in progress")
	}
	if _, err := ParseMilestone(string(goal)); err != nil {
		return Reply{}, err
	}
	sit := SitPickup
	if n := len(d.calls); n > 0 {
		prev := d.calls[n-1]
		if prev.nextStep {
			sit = SitFollowupWarm
			d.trust = clamp(d.trust+d.cfg.Rules.TrustWarmFollowup, 0, 100)
		} else {
			sit = SitFollowupCold
			if prev.endedBy == EndedByCustomer {
				d.trust = clamp(d.trust-d.cfg.Rules.TrustColdFollowup, 0, 100)
			}
		}
	}
	c := &callState{goal: goal, patience: d.p.Hidden.Patience * d.cfg.Rules.TurnCost, flagged: map[string]bool{}}
	d.calls = append(d.calls, c)
	d.live = true
	text := d.line(sit)
	c.cuUnits += spokenUnits(text)
	d.transcript = append(d.transcript, TranscriptTurn{
		Call: len(d.calls), Turn: 0, Customer: text, Situation: sit, Trust: d.trust, Patience: c.patience,
	})
	return Reply{Call: len(d.calls), Turn: 0, Text: text, Situation: sit}, nil
}

// Hangup ends the current call on the trainee's side.
func (d *Deal) Hangup() (Reply, error) {
	if !d.live {
		return Reply{}, Errorf(EINVALID, "no call in progress")
	}
	c := d.call()
	d.endCall(EndedByTrainee, "hangup")
	d.closeCallFindings(c)
	return Reply{Call: len(d.calls), Turn: c.turns, Ended: true, EndedBy: EndedByTrainee}, nil
}

// Finish ends the deal: no more calls, the hidden state is revealed. A live
// call is hung up first.
func (d *Deal) Finish() (Reply, error) {
	if d.over {
		return Reply{}, Errorf(EINVALID, "the deal is over")
	}
	var r Reply
	if d.live {
		r, _ = d.Hangup()
	}
	d.over = true
	return r, nil
}

// InCall reports whether a call is live.
func (d *Deal) InCall() bool { return d.live }

// Over reports whether the deal has ended.
func (d *Deal) Over() bool { return d.over }

// Calls returns how many calls the deal has had.
func (d *Deal) Calls() int { return len(d.calls) }

// Persona returns the deal's persona.
func (d *Deal) Persona() *Persona { return d.p }

// Progress is what a live hint may show: the current stage and the
// milestones reached so far.
type Progress struct {
	Call        int         `json:"call"`
	Goal        Milestone   `json:"goal"`
	GoalReached bool        `json:"goal_reached"` // the call's goal, so far
	Stage       Stage       `json:"stage"`
	Milestones  []Milestone `json:"milestones"`
	Price       bool        `json:"price"`
	Time        bool        `json:"time"`
}

// Progress returns the deal's progress for live hints.
func (d *Deal) Progress() Progress {
	pr := Progress{Call: len(d.calls), Price: d.commitment.Price, Time: d.commitment.Time}
	if c := d.call(); c != nil {
		pr.Goal, pr.GoalReached = c.goal, d.goalReached(len(d.calls))
		if n := len(c.stages); n > 0 {
			pr.Stage = c.stages[n-1]
		}
	}
	for _, m := range Milestones {
		if d.reached[m] != nil {
			pr.Milestones = append(pr.Milestones, m)
		}
	}
	return pr
}

func (d *Deal) call() *callState {
	if len(d.calls) == 0 {
		return nil
	}
	return d.calls[len(d.calls)-1]
}

func (d *Deal) endCall(by, reason string) {
	c := d.call()
	c.endedBy, c.endReason = by, reason
	d.live = false
	if d.openObj >= 0 && !c.flagged[FindUnresolved] {
		d.find(FindUnresolved, c.turns, nil)
	}
	d.openObj = -1
}

// find records a finding once per call and code.
// overDiscount records an offer below the company's floor: the call's
// over_discount finding lists every such price offered in it.
func (d *Deal) overDiscount(turn int, amount float64) {
	s := formatMoney(amount, d.sc.Currency)
	if d.call().flagged[FindOverDiscount] {
		for k := len(d.findings) - 1; k >= 0; k-- {
			if f := &d.findings[k]; f.code == FindOverDiscount && f.call == len(d.calls) {
				if od := f.detail.(overDiscounts); !slices.Contains(od, s) {
					f.detail = append(od, s)
				}
				return
			}
		}
	}
	d.find(FindOverDiscount, turn, overDiscounts{s})
}

func (d *Deal) find(code string, turn int, detail any) {
	c := d.call()
	if c.flagged[code] {
		if code == FindTimeStalled {
			// The count of postponements grows within the call.
			for k := len(d.findings) - 1; k >= 0; k-- {
				if f := &d.findings[k]; f.code == code && f.call == len(d.calls) {
					f.detail = detail
					break
				}
			}
		}
		return
	}
	c.flagged[code] = true
	d.findings = append(d.findings, rawFinding{code: code, call: len(d.calls), turn: turn, detail: detail})
}

// line picks the persona's line for a situation, deterministically from the
// seed, the call, the turn and the situation. A customer does not repeat
// itself word for word: among the variants it picks one it has said least
// often in this deal, starting from the seeded one.
func (d *Deal) line(sit Situation) string {
	vs := d.p.LinesFor(d.sc, sit, d.cfg.Lang)
	if len(vs) == 0 {
		if fb := fallbackSituation(sit); fb != "" {
			return d.line(fb)
		}
		return ""
	}
	c := d.call()
	h := mix(uint64(d.cfg.Seed), uint64(len(d.calls)), uint64(c.turns), hashString(string(sit)))
	return d.pick(vs, int(h%uint64(len(vs))))
}

// pick returns the variant said least often so far, the first from start
// on among equals but never the line said last when another will do, and
// counts it as said.
func (d *Deal) pick(vs []string, start int) string {
	best := -1
	for k := range vs {
		i := (start + k) % len(vs)
		if best < 0 || d.said[vs[i]] < d.said[vs[best]] ||
			d.said[vs[i]] == d.said[vs[best]] && vs[best] == d.lastSaid && vs[i] != d.lastSaid {
			best = i
		}
	}
	d.said[vs[best]]++
	d.lastSaid = vs[best]
	return vs[best]
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix combines values with splitmix64 steps.
func mix(vs ...uint64) uint64 {
	var h uint64 = 0x9e3779b97f4a7c15
	for _, v := range vs {
		h ^= v
		h += 0x9e3779b97f4a7c15
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
		h = (h ^ (h >> 27)) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// known reports whether the trainee has said who they are and why they
// call: the customer tells its motive, or that it has none, only then.
func (d *Deal) known() bool { return d.introduced && d.purposed }

// letGoPolitely reports whether a customer without a motive was qualified
// out as the method wants: a proper opening, the customer's "no real
// need" heard, no push, no pressure and no question asked twice.
func (d *Deal) letGoPolitely() bool {
	return !d.fit() && d.noNeedSaid && d.pushedNoFit == 0 && d.pressure == 0 && d.known() &&
		!d.hasFinding(FindRepeatedQuestion)
}
