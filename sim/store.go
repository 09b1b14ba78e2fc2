package sim

import (
	"context"
	"time"
)

// User is a person who logs in: a trainee, a coach or an admin.
type User struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Team      string    `json:"team"`
	CreatedAt time.Time `json:"created_at"`
}

// UserFilter selects users; zero fields match everything.
type UserFilter struct {
	Team string
	Role Role
}

// UserUpdate changes some fields of a user; nil fields stay as they are.
type UserUpdate struct {
	Name     *string
	Role     *Role
	Team     *string
	Password *string
	// KeepSession is the token of the session making a password change;
	// when Password is set, every other session of the user ends and this
	// one stays valid. Empty ends them all.
	KeepSession string
}

// UserService stores users and their login sessions.
type UserService interface {
	// CreateUser stores u with a bcrypt hash of password and sets u.ID.
	CreateUser(ctx context.Context, u *User, password string) error
	// Authenticate returns the user whose username and password match, or
	// an EUNAUTHORIZED error that does not say which one was wrong.
	Authenticate(ctx context.Context, username, password string) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	DeleteUser(ctx context.Context, id int64) error
	// CountUsers counts all users (zero on a fresh database).
	CountUsers(ctx context.Context) (int, error)

	// CreateSession starts a login session and returns its secret token.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token string, err error)
	// FindSession returns the user of a live session, or EUNAUTHORIZED.
	FindSession(ctx context.Context, token string) (*User, error)
	DeleteSession(ctx context.Context, token string) error
}

// EventKind says what happened in a deal.
type EventKind string

// Deal events: the only inputs of the engine, so a deal is rebuilt exactly
// by replaying them.
const (
	EventDial   EventKind = "dial"   // the trainee dials a call with a goal
	EventSay    EventKind = "say"    // the trainee says a line
	EventHangup EventKind = "hangup" // the trainee hangs up
	EventFinish EventKind = "finish" // the trainee ends the deal: hidden state revealed
)

// Event is one input to a deal's engine.
type Event struct {
	Seq  int       `json:"seq"` // 1, 2, 3… within the deal
	Kind EventKind `json:"kind"`
	Goal Milestone `json:"goal,omitempty"`
	Text string    `json:"text,omitempty"`
	At   time.Time `json:"at"`
	// Shown is the customer's answer as the trainee was shown it, when a
	// voice reworded the engine's line; VoiceReason says why a voicing was
	// dropped (the engine's line was shown) and VoiceMillis how long the
	// voice took. None of them is an input of the engine.
	Shown       string `json:"shown,omitempty"`
	VoiceReason string `json:"voice_reason,omitempty"`
	VoiceMillis int    `json:"voice_ms,omitempty"`
	VoiceTokens int    `json:"voice_tokens,omitempty"` // what the voice's model spent
}

// VoiceNote is what the LLM voice did for one customer line.
type VoiceNote struct {
	Shown  string // the words shown, when not the engine's
	Reason string // why a voicing was dropped, if it was
	Millis int    // how long the voice took
	Tokens int    // what the voice's model spent, when it says
}

// DealRecord is a stored deal: who practised which persona, with what seed,
// the engine inputs and the latest scorecard.
type DealRecord struct {
	ID        string    `json:"id"`
	UserID    int64     `json:"user_id"`
	Team      string    `json:"team"`
	PersonaID string    `json:"persona_id"`
	Scenario  string    `json:"scenario"`
	Lang      Lang      `json:"lang"`
	Seed      int64     `json:"seed"`
	Over      bool      `json:"over"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Scorecard is the latest stored scorecard, with the engine version
	// that made it; nil before the first call ended. Only FindDealByID
	// reads it; lists read the Summary.
	Scorecard *Scorecard `json:"scorecard,omitempty"`
	// ScorecardSeq is the event the stored scorecard was made after, and
	// LastSeq the deal's last event: when ScorecardSeq < LastSeq the
	// scorecard is behind and is rebuilt from the events to be read.
	ScorecardSeq int `json:"-"`
	LastSeq      int `json:"-"`
	// Summary is the deal's summary after its last event.
	Summary DealSummary `json:"-"`
	// Score is the effective score: the latest override if any, else the
	// scorecard's.
	Score int `json:"score"`
}

// DealFilter selects deals; zero fields match everything.
type DealFilter struct {
	UserID    int64
	Teams     []string
	PersonaID string
	From, To  time.Time
	Outcome   string // "", "deal", "offer", "need", "none"
	Sort      string // "date" (default, newest first), "score", "user"
	// After, when set, is the id of the last deal of the previous page:
	// the page holds the deals after it in the sort order (keyset paging,
	// as cheap deep down a list as at its top). It must match the filter.
	After  string
	Offset int // counted from the start, or from After
	Limit  int
}

// Comment is a coach's remark on one turn of a deal.
type Comment struct {
	ID        int64     `json:"id"`
	DealID    string    `json:"deal_id"`
	Call      int       `json:"call"`
	Turn      int       `json:"turn"`
	AuthorID  int64     `json:"author_id"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// Override replaces a deal's score with a coach's, with a reason. The
// original scorecard stays.
type Override struct {
	ID        int64     `json:"id"`
	DealID    string    `json:"deal_id"`
	AuthorID  int64     `json:"author_id"`
	Author    string    `json:"author"`
	Score     int       `json:"score"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// DealService stores deals, their events, scorecards, comments and overrides.
type DealService interface {
	CreateDeal(ctx context.Context, d *DealRecord) error
	FindDealByID(ctx context.Context, id string) (*DealRecord, error)
	FindDeals(ctx context.Context, f DealFilter) ([]*DealRecord, int, error)
	// AppendEvent commits e as event e.Seq of the deal, together with the
	// scorecard after it. It fails with ECONFLICT if that seq exists.
	AppendEvent(ctx context.Context, dealID string, e Event, sc *Scorecard) error
	// AppendTurn commits e with the deal's summary after it; the stored
	// scorecard stays that of an earlier event.
	AppendTurn(ctx context.Context, dealID string, e Event, sum DealSummary) error
	Events(ctx context.Context, dealID string) ([]Event, error)

	AddComment(ctx context.Context, c *Comment) error
	Comments(ctx context.Context, dealID string) ([]*Comment, error)
	AddOverride(ctx context.Context, o *Override) error
	Overrides(ctx context.Context, dealID string) ([]*Override, error)

	TeamStats(ctx context.Context, teams []string, from, to time.Time) (*TeamStats, error)
	// Pace returns the team's median calls and turns to each milestone on
	// one persona, over all of the team's deals on it (live ones included).
	Pace(ctx context.Context, team, personaID string) (*PersonaPace, error)
}

// TeamStats summarises the deals of one or more teams.
type TeamStats struct {
	Funnel   Funnel         `json:"funnel"`
	Trainees []TraineeStats `json:"trainees"`
	Trend    []TrendPoint   `json:"trend"`
	// Pace is, per persona played in range, the calls and turns the team
	// took to each milestone (the lecture: unclear milestones make more and
	// longer calls), by persona id.
	Pace []PersonaPace `json:"pace"`
}

// PersonaPace is how fast a team reaches each milestone on one persona:
// medians over the deals that reached it.
type PersonaPace struct {
	PersonaID string `json:"persona_id"`
	Deals     int    `json:"deals"` // the team's deals on the persona
	// Milestones holds need, offer and deal, in that order.
	Milestones []MilestonePace `json:"milestones"`
}

// MilestonePace is the team's median calls and turns to one milestone.
// The medians are 0 when no deal reached it.
type MilestonePace struct {
	Milestone   Milestone `json:"milestone"`
	Reached     int       `json:"reached"` // deals that reached it
	MedianCalls float64   `json:"median_calls"`
	MedianTurns float64   `json:"median_turns"`
}

// DealPace is one deal's calls and turns to a milestone (0, 0 when not
// reached), as the deal list and the scorecard show it beside the team's.
type DealPace struct {
	Call  int `json:"call"`
	Turns int `json:"turns"`
}

// Funnel counts deals by the furthest milestone reached.
type Funnel struct {
	Deals int `json:"deals"`
	Need  int `json:"need"`
	Offer int `json:"offer"`
	Deal  int `json:"deal"`
}

// TraineeStats is one row of a team's table.
type TraineeStats struct {
	UserID      int64          `json:"user_id"`
	Username    string         `json:"username"`
	Name        string         `json:"name"`
	Deals       int            `json:"deals"`
	AvgCalls    float64        `json:"avg_calls"`
	AvgTurns    float64        `json:"avg_turns"`
	AvgScore    float64        `json:"avg_score"`
	TopFindings []FindingCount `json:"top_findings"`
	// Stalled counts the trainee's deals in which the customer accepted the
	// price but postponed the time for lack of an urgent motive
	// (time_stalled_no_urgency): the lecture's main coaching signal.
	Stalled int `json:"stalled_no_urgency"`
}

// FindingCount counts one finding code.
type FindingCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// TrendPoint is the average score of the deals of one day.
type TrendPoint struct {
	Day      string  `json:"day"` // YYYY-MM-DD
	Deals    int     `json:"deals"`
	AvgScore float64 `json:"avg_score"`
}

// TeamSettings are a coach's choices for a team.
type TeamSettings struct {
	Team string `json:"team"`
	// HintsDisabled stops trainees of the team from turning on live hints.
	HintsDisabled bool      `json:"hints_disabled"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// TeamService stores team settings.
type TeamService interface {
	// TeamSettings returns a team's settings (defaults for an unknown team).
	TeamSettings(ctx context.Context, team string) (*TeamSettings, error)
	SetTeamSettings(ctx context.Context, s *TeamSettings) error
}

// TokenAccess says what an API token may do.
type TokenAccess string

// Token access levels.
const (
	// TokenRead may only read: GET requests.
	TokenRead TokenAccess = "read"
	// TokenReadWrite may also comment, override and change team settings,
	// as a coach of the token's teams may.
	TokenReadWrite TokenAccess = "read_write"
)

// Valid reports whether a is a known access level.
func (a TokenAccess) Valid() bool { return a == TokenRead || a == TokenReadWrite }

// AllTeams is the Team of an API token that reaches every team (only an
// admin makes one).
const AllTeams = "*"

// APIToken is a credential for another tool: it acts as a coach of its
// team (or of every team), read-only or read-write, on behalf of the user
// who made it. Its secret is shown once, when it is made; only a hash of
// it is stored.
type APIToken struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Prefix is how the secret token begins ("cs_12"), to recognise it;
	// it is not secret.
	Prefix string `json:"prefix"`
	// Team is the one team the token reaches, or AllTeams.
	Team       string      `json:"team"`
	Access     TokenAccess `json:"access"`
	CreatedBy  int64       `json:"created_by"`
	CreatedAt  time.Time   `json:"created_at"`
	LastUsedAt *time.Time  `json:"last_used_at"` // nil until first used
}

// TokenService stores API tokens.
type TokenService interface {
	// CreateToken stores t, sets its ID, Prefix and CreatedAt, and returns
	// the secret token, which is not stored and cannot be read again.
	CreateToken(ctx context.Context, t *APIToken) (token string, err error)
	// FindToken returns the token whose secret this is, or EUNAUTHORIZED
	// for one unknown, malformed or revoked. It records the use.
	FindToken(ctx context.Context, token string) (*APIToken, error)
	FindTokenByID(ctx context.Context, id int64) (*APIToken, error)
	// FindTokens returns every token, newest first.
	FindTokens(ctx context.Context) ([]*APIToken, error)
	// DeleteToken revokes a token at once (ENOTFOUND if there is none).
	DeleteToken(ctx context.Context, id int64) error
}

// WebhookEvent names what a webhook is told about.
type WebhookEvent string

// Webhook events.
const (
	// WebhookDealScored: a deal finished and its final scorecard is stored.
	WebhookDealScored WebhookEvent = "deal.scored"
	// WebhookDealOverridden: a coach overrode a deal's score.
	WebhookDealOverridden WebhookEvent = "deal.overridden"
)

// Valid reports whether e is a known event.
func (e WebhookEvent) Valid() bool { return e == WebhookDealScored || e == WebhookDealOverridden }

// Webhook is a URL that callsim POSTs signed events to.
type Webhook struct {
	ID     int64          `json:"id"`
	URL    string         `json:"url"`
	Events []WebhookEvent `json:"events"`
	// Team, when set, limits the hook to the deals of that team.
	Team string `json:"team"`
	// Secret keys the HMAC signature of every delivery. It is shown once,
	// when the hook is made, and never in a list.
	Secret    string    `json:"-"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Wants reports whether the hook is told about event on a deal of team.
func (h *Webhook) Wants(event WebhookEvent, team string) bool {
	if h.Team != "" && h.Team != team {
		return false
	}
	for _, e := range h.Events {
		if e == event {
			return true
		}
	}
	return false
}

// DeliveryState is where a webhook delivery stands.
type DeliveryState string

// Delivery states.
const (
	DeliveryPending   DeliveryState = "pending"   // being tried, or waiting to be tried again
	DeliveryDelivered DeliveryState = "delivered" // the receiver answered 2xx
	DeliveryFailed    DeliveryState = "failed"    // given up
)

// WebhookDelivery is one event sent (or being sent) to one hook: the log
// line an admin reads.
type WebhookDelivery struct {
	ID        int64         `json:"id"`
	WebhookID int64         `json:"webhook_id"`
	Event     WebhookEvent  `json:"event"`
	DealID    string        `json:"deal_id"`
	State     DeliveryState `json:"state"`
	Attempts  int           `json:"attempts"`
	// StatusCode is the receiver's answer to the last attempt (0: none).
	StatusCode int `json:"status_code"`
	// Error says why the last attempt failed ("" when it did not).
	Error     string    `json:"error"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"` // the last attempt
}

// WebhookService stores webhooks and their delivery log.
type WebhookService interface {
	// CreateWebhook stores h with a new random Secret and sets its ID,
	// Secret and CreatedAt.
	CreateWebhook(ctx context.Context, h *Webhook) error
	FindWebhookByID(ctx context.Context, id int64) (*Webhook, error)
	// FindWebhooks returns every hook with its secret, oldest first.
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	// DeleteWebhook deletes a hook with its log (ENOTFOUND if none).
	DeleteWebhook(ctx context.Context, id int64) error

	// CreateDelivery logs a new delivery and sets its ID and times.
	CreateDelivery(ctx context.Context, d *WebhookDelivery) error
	// UpdateDelivery stores a delivery's state, attempts, status and
	// error; ENOTFOUND when its hook was deleted meanwhile.
	UpdateDelivery(ctx context.Context, d *WebhookDelivery) error
	// Deliveries returns a hook's latest deliveries, newest first.
	Deliveries(ctx context.Context, webhookID int64, limit int) ([]*WebhookDelivery, error)
}
