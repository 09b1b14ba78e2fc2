package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/callsim/callsim/sim"
)

// liveDeal is a deal driven by one websocket connection. Its engine and
// everything below mu belong to whoever holds mu; the registry (Server.live)
// makes sure one connection at a time drives a deal.
type liveDeal struct {
	id       string
	owner    *wsConn
	rec      *sim.DealRecord
	persona  *sim.Persona
	scenario *sim.Scenario

	mu      sync.Mutex
	closed  bool // released or taken over: the owner must let go
	deal    *sim.Deal
	events  []sim.Event    // stored events, events[i].Seq == i+1
	replies []sim.Reply    // the engine's answer to each event
	ids     map[string]int // client message id → seq, for this server run
	inCall  bool           // counted in the live calls gauge
	goal    sim.Milestone  // goal of the current (or last) call
	stage   sim.Stage      // stage after the last reply
}

// newDealID returns a fresh random deal id.
func newDealID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "d_" + hex.EncodeToString(b[:])
}

func (s *Server) isLive(id string) bool {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	_, ok := s.live[id]
	return ok
}

// acquire registers c as the driver of deal id and returns the live deal
// with its mu held. Another connection's hold on the deal is an error, or
// with takeover, that connection is told and let go.
func (s *Server) acquire(id string, c *wsConn, takeover bool) (*liveDeal, *protoError) {
	s.liveMu.Lock()
	if s.closing {
		s.liveMu.Unlock()
		return nil, &protoError{Code: wsShuttingDown, Message: "the server is shutting down", Fatal: true}
	}
	old := s.live[id]
	if old != nil && old.owner != c && !takeover {
		s.liveMu.Unlock()
		return nil, perr(wsDealBusy, "another connection is driving this deal; close it, or resume with takeover: true")
	}
	ld := &liveDeal{id: id, owner: c, ids: map[string]int{}}
	ld.mu.Lock()
	s.live[id] = ld
	s.liveMu.Unlock()
	if old != nil {
		// Waits for the old driver's turn in flight to be stored.
		old.mu.Lock()
		s.letGo(old)
		old.mu.Unlock()
		if old.owner != c {
			old.owner.kick(id)
		}
	}
	return ld, nil
}

// letGo marks a live deal as no longer driven; ld.mu is held.
func (s *Server) letGo(ld *liveDeal) {
	ld.closed = true
	s.setInCall(ld, false)
}

// release lets go of a live deal and removes it from the registry.
func (s *Server) release(ld *liveDeal) {
	ld.mu.Lock()
	s.letGo(ld)
	ld.mu.Unlock()
	s.liveMu.Lock()
	if s.live[ld.id] == ld {
		delete(s.live, ld.id)
	}
	s.liveMu.Unlock()
}

// setInCall keeps the live calls gauge in step; ld.mu is held.
func (s *Server) setInCall(ld *liveDeal, in bool) {
	if in != ld.inCall {
		ld.inCall = in
		if in {
			s.metrics.liveCalls.Inc()
		} else {
			s.metrics.liveCalls.Dec()
		}
	}
}

// rebuild replays the stored events through a fresh engine; the
// deterministic engine makes the result exact. ld.mu is held.
func (s *Server) rebuild(ctx context.Context, ld *liveDeal) error {
	events, err := s.Deals.Events(ctx, ld.id)
	if err != nil {
		return fmt.Errorf("rebuild deal %s: %w", ld.id, err)
	}
	deal, err := s.newEngine(ld.rec, ld.persona, ld.scenario)
	if err != nil {
		return fmt.Errorf("rebuild deal %s: %w", ld.id, err)
	}
	replies := make([]sim.Reply, 0, len(events))
	var goal sim.Milestone
	var stage sim.Stage
	for i, e := range events {
		if e.Seq != i+1 {
			return fmt.Errorf("rebuild deal %s: event %d has seq %d", ld.id, i+1, e.Seq)
		}
		r, err := deal.Apply(e)
		if err != nil {
			return fmt.Errorf("rebuild deal %s: replay event %d: %w", ld.id, e.Seq, err)
		}
		replies = append(replies, r)
		if e.Kind == sim.EventDial {
			goal = e.Goal
		}
		if r.Stage != "" {
			stage = r.Stage
		}
	}
	ld.deal, ld.events, ld.replies, ld.goal, ld.stage = deal, events, replies, goal, stage
	s.setInCall(ld, deal.InCall())
	return nil
}

func (s *Server) newEngine(rec *sim.DealRecord, p *sim.Persona, sc *sim.Scenario) (*sim.Deal, error) {
	return sim.NewDeal(s.Ear, p, sc, sim.DealConfig{Seed: rec.Seed, Lang: rec.Lang, Rules: s.Rules, Weights: s.Weights})
}

// detach lets go of the connection's deal, if any; c.mu is held.
func (c *wsConn) detach() {
	if c.live != nil {
		c.s.release(c.live)
		c.live = nil
	}
}

// start creates a deal and dials its first call.
func (c *wsConn) start(ctx context.Context, m *clientMsg) *protoError {
	s := c.s
	cat := s.Catalog()
	if cat == nil {
		return perr(sim.EINTERNAL, "no personas loaded")
	}
	p, sc, err := cat.Persona(m.Persona)
	if err != nil {
		return perr(sim.ENOTFOUND, sim.ErrorMessage(err))
	}
	lang := m.lang
	if lang == "" {
		lang = p.Languages[0]
	}
	if !p.Speaks(lang) {
		return perr(sim.EINVALID, fmt.Sprintf("persona %s does not speak %s", p.ID, lang))
	}
	seed := s.NewSeed()
	if m.Seed != nil {
		seed = *m.Seed
	}
	now := s.now()
	rec := &sim.DealRecord{ID: newDealID(), UserID: c.user.ID, Team: primaryTeam(c.user), PersonaID: p.ID,
		Scenario: p.Scenario, Lang: lang, Seed: seed, CreatedAt: now, UpdatedAt: now}
	deal, err := s.newEngine(rec, p, sc) // refuse before storing anything
	if err != nil {
		return c.internal("new deal", err)
	}
	c.detach()
	if err := s.Deals.CreateDeal(ctx, rec); err != nil {
		return c.storeError("create deal", err)
	}
	ld, pe := s.acquire(rec.ID, c, false)
	if pe != nil {
		return pe
	}
	defer ld.mu.Unlock()
	ld.rec, ld.persona, ld.scenario, ld.deal = rec, p, sc, deal
	c.live = ld
	hintErr := c.wantHints(ctx, m)
	c.sendMsg(dealMsg{Type: "deal", Re: m.ID, Deal: c.dealInfo(ld)})
	if hintErr != nil {
		c.sendError(m.ID, hintErr)
	}
	return c.applyLocked(ctx, ld, m, sim.Event{Kind: sim.EventDial, Goal: m.goal})
}

// wantHints applies the hints field of start and resume.
func (c *wsConn) wantHints(ctx context.Context, m *clientMsg) *protoError {
	if m.Hints == nil {
		return nil
	}
	c.hintsAllowed = c.teamAllowsHints(ctx)
	c.hints = *m.Hints && c.hintsAllowed
	if *m.Hints && !c.hintsAllowed {
		return perr(wsHintsOff, "your team has turned hints off")
	}
	return nil
}

// resume takes up a stored deal: it replays its events and sends the
// transcript so far.
func (c *wsConn) resume(ctx context.Context, m *clientMsg) *protoError {
	s := c.s
	rec, err := s.Deals.FindDealByID(ctx, m.Deal)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			return perr(sim.ENOTFOUND, "deal not found")
		}
		return c.storeError("find deal", err)
	}
	if rec.UserID != c.user.ID {
		if canDeal(c.user, permView, rec) {
			return perr(sim.EFORBIDDEN, "only the trainee who started a deal can drive it")
		}
		return perr(sim.ENOTFOUND, "deal not found")
	}
	if rec.Scorecard != nil && rec.Scorecard.EngineVersion != sim.EngineVersion {
		return perr(wsEngineChanged, fmt.Sprintf("this deal was scored by engine %s and this server runs %s; it can be read but not continued",
			rec.Scorecard.EngineVersion, sim.EngineVersion))
	}
	cat := s.Catalog()
	if cat == nil {
		return perr(sim.EINTERNAL, "no personas loaded")
	}
	p, sc, err := cat.Persona(rec.PersonaID)
	if err != nil {
		return perr(sim.ENOTFOUND, fmt.Sprintf("persona %s no longer exists", rec.PersonaID))
	}
	if rec.Scorecard != nil && rec.Scorecard.PersonaVersion != "" {
		if now := p.Version + "+" + sc.Version; now != rec.Scorecard.PersonaVersion {
			return perr(wsPersonaChanged, fmt.Sprintf("persona %s was edited since this deal was played (%s, now %s); it can be read but not continued",
				rec.PersonaID, rec.Scorecard.PersonaVersion, now))
		}
	}
	c.detach()
	ld, pe := s.acquire(rec.ID, c, m.Takeover)
	if pe != nil {
		return pe
	}
	ld.rec, ld.persona, ld.scenario = rec, p, sc
	if err := s.rebuild(ctx, ld); err != nil {
		ld.mu.Unlock()
		s.release(ld)
		return c.internal("resume", err)
	}
	defer ld.mu.Unlock()
	c.live = ld
	hintErr := c.wantHints(ctx, m)
	c.sendMsg(dealMsg{Type: "deal", Re: m.ID, Resumed: true, Deal: c.dealInfo(ld)})
	if hintErr != nil {
		c.sendError(m.ID, hintErr)
	}
	card := ld.deal.Scorecard()
	view := viewScorecard(c.user, card)
	tm := transcriptMsg{Type: "transcript", Re: m.ID, NextSeq: len(ld.events) + 1, InCall: ld.deal.InCall(),
		Over: ld.deal.Over(), Turns: view.Transcript, Scorecard: view}
	if tm.Turns == nil {
		tm.Turns = []sim.TranscriptTurn{}
	}
	if n := len(card.CallsDetail); n > 0 {
		tm.Call, tm.Goal = card.CallsDetail[n-1].Call, card.CallsDetail[n-1].Goal
	}
	c.sendMsg(tm)
	if len(ld.events) > 0 {
		c.sendHint(m.ID, ld, card)
	}
	return nil
}

// input applies dial, say, hangup or finish to the connection's deal.
func (c *wsConn) input(ctx context.Context, m *clientMsg, e sim.Event) *protoError {
	ld := c.live
	if ld == nil {
		return perr(wsNoDeal, "no deal yet: start or resume one first")
	}
	ld.mu.Lock()
	defer ld.mu.Unlock()
	if ld.closed {
		c.live = nil
		return perr(wsNoDeal, "this connection no longer drives the deal: resume it")
	}
	return c.applyLocked(ctx, ld, m, e)
}

// applyLocked checks an input against the deal, applies it to the engine,
// stores it with the new scorecard and only then answers. If storing
// fails, the engine is rebuilt from the store: nothing is half-applied.
// ld.mu is held.
func (c *wsConn) applyLocked(ctx context.Context, ld *liveDeal, m *clientMsg, e sim.Event) *protoError {
	s := c.s
	if m.ID != "" {
		if seq, ok := ld.ids[m.ID]; ok {
			c.answer(ctx, ld, m.ID, seq, true, nil)
			return nil
		}
	}
	next := len(ld.events) + 1
	if m.Seq != nil && *m.Seq != next {
		if *m.Seq < next && sameInput(ld.events[*m.Seq-1], e) {
			c.answer(ctx, ld, m.ID, *m.Seq, true, nil)
			return nil
		}
		return perr(sim.ECONFLICT, fmt.Sprintf("seq %d does not match: the next event is %d; resume to see the deal", *m.Seq, next))
	}
	d := ld.deal
	switch {
	case d.Over():
		return perr(wsDealOver, "the deal is over: start a new one")
	case e.Kind == sim.EventDial && d.InCall():
		return perr(wsCallLive, "a call is live: hang up first")
	case (e.Kind == sim.EventSay || e.Kind == sim.EventHangup) && !d.InCall():
		return perr(wsNoCall, "no call is live: dial first")
	}

	began := time.Now()
	e.Seq, e.At = next, s.now()
	reply, err := d.Apply(e)
	if err != nil {
		pe := perr(sim.ErrorCode(err), sim.ErrorMessage(err))
		if pe.Code == sim.EINTERNAL {
			pe = c.internal("apply", err)
		}
		c.restore(ctx, ld)
		return pe
	}
	card := d.Scorecard()
	if err := s.Deals.AppendEvent(ctx, ld.id, e, card); err != nil {
		c.log.Error("store turn", slog.String("deal", ld.id), slog.Int("seq", e.Seq), slog.Any("err", err))
		if !c.restore(ctx, ld) {
			return perr(wsStore, "the turn could not be stored and the deal was let go: resume it in a moment")
		}
		return perr(wsStore, "the turn could not be stored; nothing was applied: send it again")
	}
	ld.events = append(ld.events, e)
	ld.replies = append(ld.replies, reply)
	if m.ID != "" {
		ld.ids[m.ID] = e.Seq
	}
	if e.Kind == sim.EventDial {
		ld.goal = e.Goal
	}
	if reply.Stage != "" {
		ld.stage = reply.Stage
	}
	s.setInCall(ld, d.InCall())
	c.answer(ctx, ld, m.ID, e.Seq, false, card)
	if e.Kind == sim.EventSay {
		s.metrics.turns.Inc()
		s.metrics.turnSeconds.Observe(time.Since(began).Seconds())
	}
	return nil
}

// restore rebuilds the engine from the store after a failed input; if
// that fails too, the deal is let go. ld.mu is held.
func (c *wsConn) restore(ctx context.Context, ld *liveDeal) bool {
	if err := c.s.rebuild(ctx, ld); err != nil {
		c.log.Error("rebuild deal after a failed turn", slog.String("deal", ld.id), slog.Any("err", err))
		c.s.letGo(ld)
		c.s.liveMu.Lock()
		if c.s.live[ld.id] == ld {
			delete(c.s.live, ld.id)
		}
		c.s.liveMu.Unlock()
		c.live = nil
		return false
	}
	return true
}

// sameInput reports whether a resent input is the stored event.
func sameInput(stored, e sim.Event) bool {
	return stored.Kind == e.Kind && stored.Text == e.Text && stored.Goal == e.Goal
}

// answer sends the messages that answer event seq (docs/protocol.md).
// card is the deal's scorecard as just stored, or nil to build it (for a
// resent input). ld.mu is held.
func (c *wsConn) answer(ctx context.Context, ld *liveDeal, re string, seq int, dup bool, card *sim.Scorecard) {
	e, r := ld.events[seq-1], ld.replies[seq-1]
	if card == nil {
		card = ld.deal.Scorecard()
	}
	view := viewScorecard(c.user, card)
	text := c.s.voice(ctx, ld, r, card)
	switch e.Kind {
	case sim.EventDial:
		c.sendMsg(callMsg{Type: "call", Re: re, Seq: seq, Call: r.Call, Goal: e.Goal,
			GoalLabel: ld.scenario.Milestones[e.Goal].Label.In(ld.rec.Lang), Text: text,
			Situation: r.Situation, Followup: r.Call > 1, Duplicate: dup})
		if r.Ended {
			c.sendEnded(re, seq, r, text, ld, dup)
			c.sendMsg(scorecardMsg{Type: "scorecard", Re: re, Seq: seq, Scorecard: view})
		}
	case sim.EventSay:
		c.sendMsg(replyMsg{Type: "reply", Re: re, Seq: seq, Call: r.Call, Turn: r.Turn, Text: text,
			Situation: r.Situation, Acts: nonNil(r.Acts), Stage: r.Stage, Milestones: nonNil(r.Milestones),
			Ended: r.Ended, EndedBy: r.EndedBy, Duplicate: dup})
		if r.Ended {
			c.sendEnded(re, seq, r, text, ld, dup)
			c.sendMsg(scorecardMsg{Type: "scorecard", Re: re, Seq: seq, Scorecard: view})
		}
	case sim.EventHangup, sim.EventFinish:
		if r.Ended || e.Kind == sim.EventHangup {
			c.sendEnded(re, seq, r, text, ld, dup)
		}
		c.sendMsg(scorecardMsg{Type: "scorecard", Re: re, Seq: seq, Scorecard: view})
		return
	}
	c.sendHint(re, ld, card)
}

func (c *wsConn) sendEnded(re string, seq int, r sim.Reply, text string, ld *liveDeal, dup bool) {
	by := r.EndedBy
	if by == "" {
		by = "trainee"
	}
	c.sendMsg(endedMsg{Type: "ended", Re: re, Seq: seq, Call: r.Call, EndedBy: by, Text: text,
		DealOver: ld.deal.Over(), Duplicate: dup})
}

// sendHint sends a hint when the user asked for hints and the team allows
// them. ld.mu is held.
func (c *wsConn) sendHint(re string, ld *liveDeal, card *sim.Scorecard) {
	if !c.hints || !c.hintsAllowed || card == nil {
		return
	}
	h := hintMsg{Type: "hint", Re: re, Goal: ld.goal, Stage: ld.stage, Milestones: map[sim.Milestone]bool{}}
	for _, ms := range sim.Milestones {
		h.Milestones[ms] = card.Milestones[ms] != nil && card.Milestones[ms].Reached
	}
	h.Commitment.Price, h.Commitment.Time = card.Commitment.Price, card.Commitment.Time
	if n := len(card.CallsDetail); n > 0 {
		cd := card.CallsDetail[n-1]
		h.Call, h.Goal, h.GoalReached = cd.Call, cd.Goal, cd.GoalReached
	}
	c.sendMsg(h)
}

func (c *wsConn) dealInfo(ld *liveDeal) *dealInfo {
	labels := map[sim.Milestone]string{}
	for _, ms := range sim.Milestones {
		labels[ms] = ld.scenario.Milestones[ms].Label.In(ld.rec.Lang)
	}
	over := ld.rec.Over
	if ld.deal != nil {
		over = ld.deal.Over()
	}
	return &dealInfo{ID: ld.id, PersonaID: ld.rec.PersonaID, Scenario: ld.rec.Scenario, Lang: ld.rec.Lang,
		Over: over, CreatedAt: ld.rec.CreatedAt, Persona: ld.persona.Public(), Milestones: labels,
		Hints: c.hints && c.hintsAllowed}
}

// voice returns the words the browser is shown for a reply: the engine's,
// or the Voice's rewording of them when one is set and it answers in time.
// ld.mu is held.
func (s *Server) voice(ctx context.Context, ld *liveDeal, r sim.Reply, card *sim.Scorecard) string {
	if s.Voice == nil || r.Text == "" {
		return r.Text
	}
	req := sim.VoiceRequest{Lang: ld.rec.Lang, Persona: ld.persona.Public(), Situation: r.Situation, Line: r.Text}
	for _, t := range card.Transcript {
		if t.Call == r.Call && t.Turn < r.Turn {
			req.History = append(req.History, sim.VoiceTurn{Trainee: t.Trainee, Customer: t.Customer})
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	t, err := s.Voice.Rephrase(ctx, req)
	if err != nil || t == "" {
		return r.Text
	}
	return t
}

func (c *wsConn) internal(what string, err error) *protoError {
	c.log.Error(what, slog.Any("err", err))
	return perr(sim.EINTERNAL, "internal error")
}

func (c *wsConn) storeError(what string, err error) *protoError {
	c.log.Error(what, slog.Any("err", err))
	return perr(wsStore, "the store did not answer; try again")
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
