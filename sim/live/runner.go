package live

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/callsim/callsim/sim"
)

type cmdKind int

const (
	cmdAttach cmdKind = iota
	cmdDetach
	cmdInput
	cmdHint
	cmdScorecard
	cmdShown
)

// cmd is one command to a deal's goroutine.
type cmd struct {
	kind     cmdKind
	re       string
	sess     *Session
	seq      *int
	e        sim.Event
	resumed  bool
	takeover bool
	ack      chan attachResult   // attach: accepted, refused, or try another goroutine
	note     sim.VoiceNote       // shown: what the voice did for event seq
	card     chan *sim.Scorecard // scorecard: the live one
}

// attachResult answers an attach: ok, or refused (the refusal was
// emitted), or retry when the goroutine was ending.
type attachResult struct{ ok, retry bool }

// runner is the goroutine that owns one live deal. Everything in it
// belongs to that goroutine alone, but for the channels.
type runner struct {
	svc *Service
	id  string
	rec *sim.DealRecord
	p   *sim.Persona
	sc  *sim.Scenario
	log *slog.Logger

	deal    *sim.Deal
	events  []sim.Event    // stored events, events[i].Seq == i+1
	replies []sim.Reply    // the engine's answer to each
	ids     map[string]int // client message id → seq, while the deal is live
	sub     *Session       // the session driving the deal
	inCall  bool           // counted in the live calls

	cmds    chan cmd
	quit    chan struct{} // closed by stop: finish the command in flight and end
	stopped bool
	done    chan struct{} // closed when the goroutine has ended
	spk     *speaker      // delivers to sub
}

// speaker delivers the jobs of one session in order, in a goroutine of its
// own: a slow voice delays that session's words and nothing else.
type speaker struct {
	to   *Session
	jobs chan job
}

// send queues a command; false when the goroutine has ended (or is ending).
func (r *runner) send(c cmd) bool {
	select {
	case <-r.done:
		return false
	case <-r.quit:
		return false
	default:
	}
	select {
	case r.cmds <- c:
		return true
	case <-r.done:
		return false
	case <-r.quit:
		return false
	}
}

// stop asks the goroutine to end after the command in flight.
func (r *runner) stop() {
	r.svc.mu.Lock()
	if !r.stopped {
		r.stopped = true
		close(r.quit)
	}
	r.svc.mu.Unlock()
}

func (r *runner) run() {
	defer r.svc.wg.Done()
	defer r.silence()
	defer close(r.done)
	defer r.setInCall(false)
	defer r.svc.remove(r)
	if r.deal == nil {
		d, events, err := r.svc.rebuild(r.svc.ctx, r.rec)
		if err != nil {
			r.log.Error("rebuild deal", slog.Any("err", err))
			r.refuseAll(Failed{Code: sim.EINTERNAL, Message: "the deal could not be rebuilt from the store"}, false)
			return
		}
		r.deal, r.events = d, events
		r.replies = r.replayReplies()
		r.setInCall(d.InCall())
	}
	for {
		select {
		case <-r.quit:
			r.refuseAll(Failed{Code: CodeShuttingDown, Message: errShutdown.Error(), Fatal: true}, true)
			return
		case c := <-r.cmds:
			if !r.handle(c) {
				r.svc.remove(r)
				r.refuseAll(Failed{Code: CodeNoDeal, Message: "this connection no longer drives the deal: resume it"}, true)
				return
			}
		}
	}
}

// replayReplies rebuilds the engine's answer to each stored event, for
// answering a resent input.
func (r *runner) replayReplies() []sim.Reply {
	d, err := r.svc.engine(r.rec, r.p, r.sc)
	if err != nil {
		return nil
	}
	out := make([]sim.Reply, 0, len(r.events))
	for _, e := range r.events {
		rep, _ := d.Apply(e)
		out = append(out, rep)
	}
	return out
}

// refuseAll answers the commands still queued once the goroutine ends;
// with retry, an attach is told to try the deal's next goroutine.
func (r *runner) refuseAll(f Failed, retry bool) {
	for {
		select {
		case c := <-r.cmds:
			switch {
			case c.ack != nil && retry:
				c.ack <- attachResult{retry: true}
			case c.ack != nil:
				c.ack <- attachResult{}
				f.Re = c.re
				c.sess.emit(f)
			case c.card != nil:
				c.card <- nil
			case c.kind == cmdInput && c.sess != nil:
				f.Re = c.re
				c.sess.emit(f)
			}
		default:
			return
		}
	}
}

// handle runs one command; false when the deal has no driver left and the
// goroutine ends.
func (r *runner) handle(c cmd) bool {
	switch c.kind {
	case cmdAttach:
		r.attach(c)
	case cmdDetach:
		if r.sub == c.sess {
			r.sub = nil
		}
	case cmdInput:
		if c.sess == r.sub {
			r.input(c)
		} else {
			c.sess.emit(Failed{Re: c.re, Code: CodeNoDeal, Message: "this connection no longer drives the deal: resume it"})
		}
	case cmdHint:
		if c.sess == r.sub {
			r.say(job{to: c.sess, events: []Event{r.hint(c.re)}})
		}
	case cmdScorecard:
		c.card <- r.deal.Scorecard()
	case cmdShown:
		if n := *c.seq; n >= 1 && n <= len(r.events) {
			e := &r.events[n-1]
			e.Shown, e.VoiceReason, e.VoiceMillis, e.VoiceTokens = c.note.Shown, c.note.Reason, c.note.Millis, c.note.Tokens
			rep := r.replies[n-1]
			r.deal.Voiced(rep.Call, rep.Turn, c.note)
		}
	}
	return r.sub != nil
}

func (r *runner) attach(c cmd) {
	old := r.sub
	if old != nil && old != c.sess && !c.takeover {
		c.ack <- attachResult{}
		c.sess.emit(Failed{Re: c.re, Code: CodeDealBusy, Message: "another connection is driving this deal; close it, or resume with takeover: true"})
		return
	}
	if old != nil && old != c.sess {
		old.mu.Lock()
		if old.cur == r {
			old.cur = nil
		}
		old.mu.Unlock()
		r.say(job{to: old, events: []Event{TakenOver{DealID: r.id}}})
	}
	if r.svc.cfg.Voice != nil && (r.spk == nil || r.spk.to != c.sess) {
		// Without a voice the deal's goroutine delivers its events itself.
		r.silence()
		r.spk = &speaker{to: c.sess, jobs: make(chan job, speakerQueue)}
		r.svc.wg.Add(1)
		go r.speak(r.spk)
	}
	r.sub = c.sess
	c.sess.mu.Lock()
	c.sess.cur = r
	c.sess.mu.Unlock()
	clear(r.ids) // ids answer the connection that sent them
	c.ack <- attachResult{ok: true}
	open := DealOpened{Re: c.re, Resumed: c.resumed, ID: r.id, Record: r.rec, Persona: r.p, Scenario: r.sc,
		Over: r.deal.Over(), Hints: c.sess.hints.Load()}
	evs := []Event{open}
	if c.resumed {
		card := r.deal.Scorecard()
		tm := Transcript{Re: c.re, NextSeq: len(r.events) + 1, InCall: r.deal.InCall(), Over: r.deal.Over(), Scorecard: card}
		if n := len(card.CallsDetail); n > 0 {
			tm.Call, tm.Goal = card.CallsDetail[n-1].Call, card.CallsDetail[n-1].Goal
		}
		evs = append(evs, tm)
		if len(r.events) > 0 && c.sess.hints.Load() {
			evs = append(evs, r.hint(c.re))
		}
	}
	r.say(job{to: c.sess, events: evs})
}

// input checks an input against the deal, applies it to the engine,
// commits it and only then answers. If the commit fails, the engine is
// rebuilt from the store: nothing is half-applied.
func (r *runner) input(c cmd) {
	ss, e := c.sess, c.e
	if c.re != "" {
		if seq, ok := r.ids[c.re]; ok {
			r.answer(ss, c.re, seq, true)
			return
		}
	}
	next := len(r.events) + 1
	if c.seq != nil && *c.seq != next {
		if *c.seq < next && sameInput(r.events[*c.seq-1], e) {
			r.answer(ss, c.re, *c.seq, true)
			return
		}
		ss.emit(Failed{Re: c.re, Code: sim.ECONFLICT, Message: fmt.Sprintf("seq %d does not match: the next event is %d; resume to see the deal", *c.seq, next)})
		return
	}
	d := r.deal
	limit := r.svc.cfg.Limits.CallsPerDeal
	switch {
	case d.Over():
		ss.emit(Failed{Re: c.re, Code: CodeDealOver, Message: "the deal is over: start a new one"})
		return
	case e.Kind == sim.EventDial && d.InCall():
		ss.emit(Failed{Re: c.re, Code: CodeCallLive, Message: "a call is live: hang up first"})
		return
	case (e.Kind == sim.EventSay || e.Kind == sim.EventHangup) && !d.InCall():
		ss.emit(Failed{Re: c.re, Code: CodeNoCall, Message: "no call is live: dial first"})
		return
	case e.Kind == sim.EventDial && limit > 0 && d.Calls() >= limit:
		ss.emit(Failed{Re: c.re, Code: CodeCallLimit, Message: fmt.Sprintf(
			"this deal has had %d calls, the most one deal may have: end it and look at the scorecard", d.Calls())})
		return
	}

	began := time.Now()
	e.Seq, e.At = next, r.svc.cfg.Now()
	reply, err := d.Apply(e)
	if err != nil {
		ss.emit(Failed{Re: c.re, Code: sim.ErrorCode(err), Message: sim.ErrorMessage(err)})
		r.restore()
		return
	}
	// A turn writes its event and the deal's summary; the end of a call
	// or of the deal writes the whole scorecard.
	if reply.Ended || e.Kind == sim.EventHangup || e.Kind == sim.EventFinish {
		err = r.svc.cfg.Store.AppendEvent(r.svc.ctx, r.id, e, d.Scorecard())
	} else {
		err = r.svc.cfg.Store.AppendTurn(r.svc.ctx, r.id, e, d.Summary())
	}
	if err != nil {
		r.log.Error("store turn", slog.Int("seq", e.Seq), slog.Any("err", err))
		if !r.restore() {
			ss.emit(Failed{Re: c.re, Code: CodeStore, Message: "the turn could not be stored and the deal was let go: resume it in a moment"})
			r.sub = nil
			ss.mu.Lock()
			if ss.cur == r {
				ss.cur = nil
			}
			ss.mu.Unlock()
			return
		}
		ss.emit(Failed{Re: c.re, Code: CodeStore, Message: "the turn could not be stored; nothing was applied: send it again"})
		return
	}
	r.events = append(r.events, e)
	r.replies = append(r.replies, reply)
	if d.Over() && r.svc.cfg.Finished != nil {
		r.svc.cfg.Finished(r.svc.ctx, r.id)
	}
	if c.re != "" {
		r.ids[c.re] = e.Seq
	}
	r.setInCall(d.InCall())
	r.answer(ss, c.re, e.Seq, false)
	if e.Kind == sim.EventSay {
		r.svc.cfg.Observer.Turn(time.Since(began))
	}
}

// restore rebuilds the engine from the store after a failed input.
func (r *runner) restore() bool {
	d, events, err := r.svc.rebuild(r.svc.ctx, r.rec)
	if err != nil {
		r.log.Error("rebuild deal after a failed turn", slog.Any("err", err))
		return false
	}
	r.deal, r.events = d, events
	r.replies = r.replayReplies()
	r.setInCall(d.InCall())
	return true
}

func (r *runner) setInCall(in bool) {
	if in != r.inCall {
		r.inCall = in
		if in {
			r.svc.cfg.Observer.LiveCalls(1)
		} else {
			r.svc.cfg.Observer.LiveCalls(-1)
		}
	}
}

// sameInput reports whether a resent input is the stored event.
func sameInput(stored, e sim.Event) bool {
	return stored.Kind == e.Kind && stored.Text == e.Text && stored.Goal == e.Goal
}

// answer queues the events that answer event seq (docs/protocol.md).
func (r *runner) answer(ss *Session, re string, seq int, dup bool) {
	e, rep := r.events[seq-1], r.replies[seq-1]
	j := job{to: ss}
	ended := func() {
		by := rep.EndedBy
		if by == "" {
			by = sim.EndedByTrainee
		}
		j.events = append(j.events,
			CallEnded{Re: re, Seq: seq, Call: rep.Call, EndedBy: by, Text: rep.Text, DealOver: r.deal.Over(), Duplicate: dup},
			ScorecardReady{Re: re, Seq: seq, Scorecard: r.card()})
	}
	switch e.Kind {
	case sim.EventDial:
		j.events = append(j.events, CallStarted{Re: re, Seq: seq, Call: rep.Call, Goal: e.Goal,
			GoalLabel: r.sc.Milestones[e.Goal].Label.In(r.rec.Lang), Text: rep.Text, Situation: rep.Situation, Duplicate: dup})
		if rep.Ended {
			ended()
		}
	case sim.EventSay:
		j.events = append(j.events, Replied{Re: re, Seq: seq, Reply: rep, Duplicate: dup})
		if rep.Ended {
			ended()
		}
	case sim.EventHangup, sim.EventFinish:
		if rep.Ended || e.Kind == sim.EventHangup {
			ended()
		} else {
			j.events = append(j.events, ScorecardReady{Re: re, Seq: seq, Scorecard: r.card()})
		}
	}
	if e.Kind == sim.EventDial || e.Kind == sim.EventSay {
		if ss.hints.Load() {
			j.events = append(j.events, r.hint(re))
		}
	}
	if v := r.svc.cfg.Voice; v != nil && rep.Text != "" && !dup {
		j.voice = &sim.VoiceRequest{Lang: r.rec.Lang, Persona: r.p.Public(), Situation: rep.Situation, Line: rep.Text,
			History: r.history(rep.Call, rep.Turn)}
		j.seq = seq
	}
	r.say(j)
}

// card is the scorecard without its transcript, as the client is sent it.
func (r *runner) card() *sim.Scorecard { return r.deal.ScorecardWithoutTranscript() }

func (r *runner) hint(re string) Hint { return Hint{Re: re, Progress: r.deal.Progress()} }

// history is the conversation of the call before turn, for the voice.
func (r *runner) history(call, turn int) []sim.VoiceTurn {
	var out []sim.VoiceTurn
	for _, t := range r.deal.CallTurns(call) {
		if t.Turn < turn {
			out = append(out, sim.VoiceTurn{Trainee: t.Trainee, Customer: t.Customer})
		}
	}
	return out
}

// job is a batch of events for one session, and the customer's line to
// reword first when a voice is set.
type job struct {
	to     *Session
	events []Event
	voice  *sim.VoiceRequest
	seq    int // the event the voiced line answers
}

// say hands a job to the speaker of its session.
func (r *runner) say(j job) {
	if j.to == nil || len(j.events) == 0 {
		return
	}
	if r.spk != nil && r.spk.to == j.to {
		r.spk.jobs <- j
		return
	}
	for _, e := range j.events { // no voice, or a session the deal no longer speaks to
		j.to.emit(e)
	}
}

// silence lets the current speaker finish its jobs and end.
func (r *runner) silence() {
	if r.spk != nil {
		close(r.spk.jobs)
		r.spk = nil
	}
}

// speak delivers a session's jobs in order, rewording the customer's line
// with the voice when one is set: outside the deal's goroutine, so that a
// slow model never holds up a takeover or a shutdown.
func (r *runner) speak(s *speaker) {
	defer r.svc.wg.Done()
	for j := range s.jobs {
		if j.voice != nil {
			began := time.Now()
			text, replaced, reason, tokens := r.reword(j)
			note := sim.VoiceNote{Reason: reason, Millis: int(time.Since(began).Milliseconds()), Tokens: tokens}
			if text != "" && text != j.voice.Line {
				note.Shown = text
			}
			r.recordVoice(j.seq, note)
			if text != "" {
				for i, e := range j.events {
					switch e := e.(type) {
					case CallStarted:
						e.Text = text
						j.events[i] = e
					case Replied:
						e.Reply.Text, e.Replaced = text, replaced
						j.events[i] = e
					case CallEnded:
						if e.Text != "" {
							e.Text = text
							j.events[i] = e
						}
					}
				}
			}
		}
		for _, e := range j.events {
			j.to.emit(e)
		}
	}
}

// reword asks the voice for the customer's line ("" keeps the engine's).
// A voice that streams sends its pieces to the session as ReplyDelta
// first; replaced says the final words do not begin with them. reason says
// why a guard kept the engine's line.
func (r *runner) reword(j job) (text string, replaced bool, reason string, tokens int) {
	ctx, cancel := context.WithTimeout(r.svc.ctx, r.svc.cfg.VoiceTimeout)
	defer cancel()
	var mu sync.Mutex // the voice may report from a goroutine of its own
	spent := 0
	ctx = sim.WithVoiceUsage(ctx, func(n int) { mu.Lock(); spent += n; mu.Unlock() })
	re, isReply := "", false
	for _, e := range j.events {
		if rep, ok := e.(Replied); ok {
			re, isReply = rep.Re, true
		}
	}
	var sent strings.Builder
	onDelta := func(piece string) {
		sent.WriteString(piece)
		j.to.emit(ReplyDelta{Re: re, Seq: j.seq, Text: piece})
	}
	var err error
	rw, guarded := r.svc.cfg.Voice.(Rewording)
	sv, streams := r.svc.cfg.Voice.(StreamVoice)
	switch {
	case guarded && isReply:
		text, reason = rw.RewordStream(ctx, *j.voice, onDelta)
	case guarded:
		text, reason = rw.Reword(ctx, *j.voice)
	case streams && isReply:
		text, err = sv.RephraseStream(ctx, *j.voice, onDelta)
	default:
		text, err = r.svc.cfg.Voice.Rephrase(ctx, *j.voice)
	}
	mu.Lock()
	used := spent
	mu.Unlock()
	if err != nil {
		r.log.Debug("voice", slog.Any("err", err))
		return "", false, "error", used
	}
	replaced = sent.Len() > 0 && !strings.HasPrefix(text, sent.String())
	return text, replaced, reason, used
}

// recordVoice keeps what the voice did, in the store and in the live
// deal's transcript.
func (r *runner) recordVoice(seq int, n sim.VoiceNote) {
	if vr, ok := r.svc.cfg.Store.(VoiceRecorder); ok {
		if err := vr.RecordVoice(r.svc.ctx, r.id, seq, n); err != nil {
			r.log.Warn("record what the voice did", slog.Int("seq", seq), slog.Any("err", err))
		}
	}
	r.send(cmd{kind: cmdShown, seq: &seq, note: n})
}
