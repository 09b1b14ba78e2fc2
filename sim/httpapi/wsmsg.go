package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

// Protocol is the websocket subprotocol of docs/protocol.md.
const Protocol = "callsim.v1"

// Client message types.
const (
	msgStart  = "start"
	msgDial   = "dial"
	msgResume = "resume"
	msgSay    = "say"
	msgHangup = "hangup"
	msgFinish = "finish"
	msgHints  = "hints"
	msgPing   = "ping"
)

// Websocket error codes beside the domain codes (docs/protocol.md).
const (
	wsBadJSON     = "bad_json"
	wsTooLarge    = "too_large"
	wsUnknownType = "unknown_type"
	wsNoDeal      = "no_deal"
	wsNoCall      = "no_call"
	wsCallLive    = "call_live"
	wsDealOver    = "deal_over"
	wsDealBusy    = "deal_busy"
	wsDealTaken   = "deal_taken"
	// wsSessionEnded: the login session of the connection ended.
	wsSessionEnded  = "session_ended"
	wsHintsOff      = "hints_disabled"
	wsEngineChanged = "engine_changed"
	// wsPersonaChanged: the persona or scenario file changed since the deal was played.
	wsPersonaChanged = "persona_changed"
	wsStore          = "store"
	wsShuttingDown   = "shutting_down"
)

const (
	maxIDLen   = 64
	maxTextLen = 2000 // characters of one trainee line
)

// clientMsg is any client message; which fields matter depends on Type.
type clientMsg struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	Seq      *int   `json:"seq"`
	Persona  string `json:"persona"`
	Goal     string `json:"goal"`
	Lang     string `json:"lang"`
	Hints    *bool  `json:"hints"`
	Seed     *int64 `json:"seed"`
	Deal     string `json:"deal"`
	Takeover bool   `json:"takeover"`
	Text     string `json:"text"`
	On       *bool  `json:"on"`

	goal sim.Milestone
	lang sim.Lang
}

// protoError is an error answered over the websocket.
type protoError struct {
	Code    string
	Message string
	Fatal   bool
}

func (e *protoError) Error() string { return e.Code + ": " + e.Message }

func perr(code, msg string) *protoError { return &protoError{Code: code, Message: msg} }

// decodeClientMsg parses and checks one client message. It never panics
// and rejects anything that is not a well-formed message of a known type;
// the returned message's ID is set whenever it could be read, so that an
// error can still answer it.
func decodeClientMsg(data []byte) (*clientMsg, *protoError) {
	var m clientMsg
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return &m, perr(wsBadJSON, "a message must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, &m); err != nil {
		// Try to read the id alone, so the error can name the message.
		var idOnly struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(trimmed, &idOnly) == nil && len(idOnly.ID) <= maxIDLen {
			m = clientMsg{ID: idOnly.ID}
		} else {
			m = clientMsg{}
		}
		return &m, perr(wsBadJSON, "malformed JSON: "+jsonErrorText(err))
	}
	if len(m.ID) > maxIDLen {
		m.ID = ""
		return &m, perr(sim.EINVALID, "id must be at most 64 characters")
	}
	var err error
	switch m.Type {
	case msgStart:
		if m.Persona == "" {
			return &m, perr(sim.EINVALID, "start needs a persona")
		}
		if m.goal, err = sim.ParseMilestone(m.Goal); err != nil {
			return &m, perr(sim.EINVALID, "goal: "+sim.ErrorMessage(err))
		}
		if m.Lang != "" {
			if m.lang, err = sim.ParseLang(m.Lang, false); err != nil {
				return &m, perr(sim.EINVALID, "lang: "+sim.ErrorMessage(err))
			}
		}
	case msgDial:
		if m.goal, err = sim.ParseMilestone(m.Goal); err != nil {
			return &m, perr(sim.EINVALID, "goal: "+sim.ErrorMessage(err))
		}
	case msgResume:
		if m.Deal == "" || len(m.Deal) > 128 {
			return &m, perr(sim.EINVALID, "resume needs a deal id")
		}
	case msgSay:
		m.Text = strings.TrimSpace(m.Text)
		if m.Text == "" {
			return &m, perr(sim.EINVALID, "say needs a non-empty text")
		}
		if utf8.RuneCountInString(m.Text) > maxTextLen {
			return &m, perr(sim.EINVALID, "a line may have at most 2000 characters")
		}
	case msgHints:
		if m.On == nil {
			return &m, perr(sim.EINVALID, "hints needs on: true or false")
		}
	case msgHangup, msgFinish, msgPing:
	case "":
		return &m, perr(wsUnknownType, "the message has no type")
	default:
		t := m.Type
		if len(t) > 32 {
			t = t[:32] + "…"
		}
		return &m, perr(wsUnknownType, "unknown message type "+quote(t))
	}
	if m.Seq != nil && *m.Seq < 1 {
		return &m, perr(sim.EINVALID, "seq must be at least 1")
	}
	return &m, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + quote(te.Field) + " must be a " + te.Type.String()
	}
	return err.Error()
}

// Server messages (docs/protocol.md).

type helloMsg struct {
	Type            string    `json:"type"`
	Protocol        string    `json:"protocol"`
	EngineVersion   string    `json:"engine_version"`
	User            *sim.User `json:"user"`
	HintsAllowed    bool      `json:"hints_allowed"`
	MaxMessageBytes int64     `json:"max_message_bytes"`
}

type dealInfo struct {
	ID         string                   `json:"id"`
	PersonaID  string                   `json:"persona_id"`
	Scenario   string                   `json:"scenario"`
	Lang       sim.Lang                 `json:"lang"`
	Over       bool                     `json:"over"`
	CreatedAt  time.Time                `json:"created_at"`
	Persona    sim.PublicPersona        `json:"persona"`
	Milestones map[sim.Milestone]string `json:"milestones"`
	Hints      bool                     `json:"hints"`
}

type dealMsg struct {
	Type    string    `json:"type"`
	Re      string    `json:"re,omitempty"`
	Resumed bool      `json:"resumed"`
	Deal    *dealInfo `json:"deal"`
}

type callMsg struct {
	Type      string        `json:"type"`
	Re        string        `json:"re,omitempty"`
	Seq       int           `json:"seq"`
	Call      int           `json:"call"`
	Goal      sim.Milestone `json:"goal"`
	GoalLabel string        `json:"goal_label"`
	Text      string        `json:"text"`
	Situation sim.Situation `json:"situation"`
	Followup  bool          `json:"followup"`
	Duplicate bool          `json:"duplicate,omitempty"`
}

type replyMsg struct {
	Type       string          `json:"type"`
	Re         string          `json:"re,omitempty"`
	Seq        int             `json:"seq"`
	Call       int             `json:"call"`
	Turn       int             `json:"turn"`
	Text       string          `json:"text"`
	Situation  sim.Situation   `json:"situation"`
	Acts       []sim.Act       `json:"acts"`
	Stage      sim.Stage       `json:"stage"`
	Milestones []sim.Milestone `json:"milestones"`
	Ended      bool            `json:"ended"`
	EndedBy    string          `json:"ended_by"`
	Duplicate  bool            `json:"duplicate,omitempty"`
	// Replaced: the reply_delta pieces sent are not the start of Text.
	Replaced bool `json:"replaced,omitempty"`
}

type replyDeltaMsg struct {
	Type string `json:"type"`
	Re   string `json:"re,omitempty"`
	Seq  int    `json:"seq"`
	Text string `json:"text"`
}

type hintMsg struct {
	Type        string                 `json:"type"`
	Re          string                 `json:"re,omitempty"`
	Call        int                    `json:"call"`
	Goal        sim.Milestone          `json:"goal"`
	GoalReached bool                   `json:"goal_reached"`
	Stage       sim.Stage              `json:"stage"`
	Milestones  map[sim.Milestone]bool `json:"milestones"`
	Commitment  struct {
		Price bool `json:"price"`
		Time  bool `json:"time"`
	} `json:"commitment"`
}

type endedMsg struct {
	Type      string `json:"type"`
	Re        string `json:"re,omitempty"`
	Seq       int    `json:"seq"`
	Call      int    `json:"call"`
	EndedBy   string `json:"ended_by"`
	Text      string `json:"text"`
	DealOver  bool   `json:"deal_over"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

type scorecardMsg struct {
	Type      string         `json:"type"`
	Re        string         `json:"re,omitempty"`
	Seq       int            `json:"seq"`
	Scorecard *sim.Scorecard `json:"scorecard"`
}

type transcriptMsg struct {
	Type      string               `json:"type"`
	Re        string               `json:"re,omitempty"`
	NextSeq   int                  `json:"next_seq"`
	InCall    bool                 `json:"in_call"`
	Call      int                  `json:"call"`
	Goal      sim.Milestone        `json:"goal,omitempty"`
	Over      bool                 `json:"over"`
	Turns     []sim.TranscriptTurn `json:"turns"`
	Scorecard *sim.Scorecard       `json:"scorecard"`
}

type errorMsg struct {
	Type    string `json:"type"`
	Re      string `json:"re,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Fatal   bool   `json:"fatal"`
}

type simpleMsg struct {
	Type    string `json:"type"`
	Re      string `json:"re,omitempty"`
	Message string `json:"message,omitempty"`
}
