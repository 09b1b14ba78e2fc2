package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/callsim/callsim/sim"
	"github.com/callsim/callsim/sim/live"
)

// newDealID returns a fresh random deal id.
func newDealID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "d_" + hex.EncodeToString(b[:])
}

// liveService builds the live-call service the websocket drives.
func (s *Server) liveService() *live.Service {
	return live.New(live.Config{
		Store: s.Deals, Catalog: s.Catalog, Ear: s.Ear, Rules: s.Rules, Weights: s.Weights, Limits: s.Limits,
		Voice: s.Voice, VoiceTimeout: s.VoiceTimeout, Observer: liveObserver{s.metrics}, Logger: s.Logger,
		Now: s.now, NewSeed: s.NewSeed, NewID: newDealID,
		CanView:  func(u *sim.User, rec *sim.DealRecord) bool { return canDeal(u, permView, rec) },
		Finished: s.NotifyDealScored,
	})
}

func (s *Server) isLive(id string) bool { return s.live != nil && s.live.IsLive(id) }

// liveObserver keeps the live-call metrics.
type liveObserver struct{ m *metrics }

func (o liveObserver) Turn(d time.Duration) {
	o.m.turns.Inc()
	o.m.turnSeconds.Observe(d.Seconds())
}

func (o liveObserver) LiveCalls(delta int) { o.m.liveCalls.Add(float64(delta)) }

// frame turns a live event into the message of docs/protocol.md the
// client is sent, as the user may see it.
func (c *wsConn) frame(e live.Event) any {
	switch e := e.(type) {
	case live.DealOpened:
		labels := map[sim.Milestone]string{}
		for _, m := range sim.Milestones {
			labels[m] = e.Scenario.Milestones[m].Label.In(e.Record.Lang)
		}
		return dealMsg{Type: "deal", Re: e.Re, Resumed: e.Resumed, Deal: &dealInfo{
			ID: e.ID, PersonaID: e.Record.PersonaID, Scenario: e.Record.Scenario, Lang: e.Record.Lang,
			Over: e.Over, CreatedAt: e.Record.CreatedAt, Persona: e.Persona.Public(), Milestones: labels, Hints: e.Hints}}
	case live.CallStarted:
		return callMsg{Type: "call", Re: e.Re, Seq: e.Seq, Call: e.Call, Goal: e.Goal, GoalLabel: e.GoalLabel,
			Text: e.Text, Situation: e.Situation, Followup: e.Call > 1, Duplicate: e.Duplicate}
	case live.Replied:
		r := e.Reply
		return replyMsg{Type: "reply", Re: e.Re, Seq: e.Seq, Call: r.Call, Turn: r.Turn, Text: r.Text,
			Situation: r.Situation, Acts: nonNil(r.Acts), Stage: r.Stage, Milestones: nonNil(r.Milestones),
			Ended: r.Ended, EndedBy: r.EndedBy, Duplicate: e.Duplicate, Replaced: e.Replaced}
	case live.ReplyDelta:
		return replyDeltaMsg{Type: "reply_delta", Re: e.Re, Seq: e.Seq, Text: e.Text}
	case live.CallEnded:
		return endedMsg{Type: "ended", Re: e.Re, Seq: e.Seq, Call: e.Call, EndedBy: e.EndedBy, Text: e.Text,
			DealOver: e.DealOver, Duplicate: e.Duplicate}
	case live.ScorecardReady:
		return scorecardMsg{Type: "scorecard", Re: e.Re, Seq: e.Seq, Scorecard: viewScorecard(c.user, e.Scorecard)}
	case live.Transcript:
		view := viewScorecard(c.user, e.Scorecard)
		tm := transcriptMsg{Type: "transcript", Re: e.Re, NextSeq: e.NextSeq, InCall: e.InCall, Call: e.Call,
			Goal: e.Goal, Over: e.Over, Turns: nonNil(view.Transcript)}
		card := *view
		card.Transcript = nil // sent once, as turns
		tm.Scorecard = &card
		return tm
	case live.Hint:
		p := e.Progress
		h := hintMsg{Type: "hint", Re: e.Re, Call: p.Call, Goal: p.Goal, GoalReached: p.GoalReached, Stage: p.Stage,
			Milestones: map[sim.Milestone]bool{}}
		for _, m := range sim.Milestones {
			h.Milestones[m] = false
		}
		for _, m := range p.Milestones {
			h.Milestones[m] = true
		}
		h.Commitment.Price, h.Commitment.Time = p.Price, p.Time
		return h
	case live.Failed:
		return errorMsg{Type: "error", Re: e.Re, Code: e.Code, Message: e.Message, Fatal: e.Fatal}
	case live.TakenOver:
		return errorMsg{Type: "error", Code: wsDealTaken, Message: "deal " + e.DealID + " was taken over by another connection", Fatal: true}
	case live.Note:
		return e.V
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
