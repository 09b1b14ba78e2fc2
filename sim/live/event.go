package live

import (
	"time"

	"github.com/callsim/callsim/sim"
)

// Event is what a session receives, in order, from the deal it drives
// (and from its transport, through Session.Post).
type Event interface{ event() }

// DealOpened: the session now drives a deal, new or resumed.
type DealOpened struct {
	Re       string
	Resumed  bool
	ID       string
	Record   *sim.DealRecord
	Persona  *sim.Persona
	Scenario *sim.Scenario
	Over     bool
	Hints    bool // hints are on for this session
}

// CallStarted: a call was dialled; Text is the customer's pickup.
type CallStarted struct {
	Re        string
	Seq       int
	Call      int
	Goal      sim.Milestone
	GoalLabel string
	Text      string
	Situation sim.Situation
	Duplicate bool
}

// Replied: the customer answered a trainee line. Reply.Text is the voiced
// text when a voice is set.
type Replied struct {
	Re        string
	Seq       int
	Reply     sim.Reply
	Duplicate bool
	// Replaced is true when streamed pieces were sent that Reply.Text does
	// not begin with: the client replaces what it showed.
	Replaced bool
}

// ReplyDelta: a piece of the customer's reworded answer, streamed before
// its Replied (a voice that streams). Replied carries the whole text.
type ReplyDelta struct {
	Re   string
	Seq  int
	Text string
}

// CallEnded: a call ended, by the customer, the trainee or the limit.
type CallEnded struct {
	Re        string
	Seq       int
	Call      int
	EndedBy   string
	Text      string
	DealOver  bool
	Duplicate bool
}

// ScorecardReady: the deal's scorecard after a call ended or the deal
// finished. Its Transcript is empty: the turns came as replies.
type ScorecardReady struct {
	Re        string
	Seq       int
	Scorecard *sim.Scorecard
}

// Transcript: everything so far, after a resume.
type Transcript struct {
	Re        string
	NextSeq   int
	InCall    bool
	Call      int
	Goal      sim.Milestone
	Over      bool
	Scorecard *sim.Scorecard // with its transcript
}

// Hint: live coaching progress, for a session that asked for hints.
type Hint struct {
	Re       string
	Progress sim.Progress
}

// Failed: a command was refused or failed. Fatal ends the session.
type Failed struct {
	Re      string
	Code    string
	Message string
	Fatal   bool
}

// TakenOver: another session took the deal over; this one drives nothing.
type TakenOver struct {
	DealID string
}

// Note is a message the transport posts to its own session queue
// (Session.Post), so that it is delivered in order with the deal's events.
type Note struct {
	V any
	// Close, when not zero, asks the transport to close after delivering V.
	Close int
	// Why goes with Close.
	Why string
}

func (DealOpened) event()     {}
func (CallStarted) event()    {}
func (Replied) event()        {}
func (ReplyDelta) event()     {}
func (CallEnded) event()      {}
func (ScorecardReady) event() {}
func (Transcript) event()     {}
func (Hint) event()           {}
func (Failed) event()         {}
func (TakenOver) event()      {}
func (Note) event()           {}

// Error codes of the service (docs/protocol.md), beside the domain codes.
const (
	CodeNoDeal         = "no_deal"
	CodeNoCall         = "no_call"
	CodeCallLive       = "call_live"
	CodeDealOver       = "deal_over"
	CodeDealBusy       = "deal_busy"
	CodeEngineChanged  = "engine_changed"
	CodePersonaChanged = "persona_changed"
	CodeStore          = "store"
	CodeShuttingDown   = "shutting_down"
	CodeCallLimit      = "call_limit"
	CodeDealLimit      = "deal_limit"
)

// Limits bound what one trainee may run. Zero means no limit.
type Limits struct {
	// CallsPerDeal is how many calls one deal may have.
	CallsPerDeal int
	// DealsPerHour is how many deals one trainee may start in an hour
	// (coaches and admins are not limited).
	DealsPerHour int
}

// Observer hears what the service does, for metrics. Its methods must not
// block.
type Observer interface {
	// Turn: a trainee line was answered and committed in d.
	Turn(d time.Duration)
	// LiveCalls: the number of calls in progress changed by delta.
	LiveCalls(delta int)
}
