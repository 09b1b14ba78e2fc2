// views/call-session.js — the call screen's protocol and state. A
// CallSession is the one owner of what the page knows about the deal and
// its calls: it turns the user's intents into client messages, the server's
// messages (docs/protocol.md) into state, and tells its listeners what
// happened. It draws nothing; views/call-view.js does.

import { CallSocket } from '../ws.js';
import { MILESTONES } from './common.js';

/**
 * CallSession drives one deal over the practice websocket.
 *
 * Events passed to listeners (ev, state):
 *   status {link, shutdown, reconnected}   the connection changed
 *   hello, deal, hint                      state changed
 *   call {call, goal, text, followup}      a call started (text: the pickup line)
 *   delta {seq, text}                      a piece of a streamed reply
 *   reply {seq, turn, text, milestones, ended, streamed}
 *   ended {call, endedBy, text, dealOver}  a call ended (text: the last words)
 *   scorecard {over}                       the deal's scorecard arrived
 *   transcript {turns}                     everything so far, after a resume
 *   reveal                                 the deal is over and its scorecard is the next page
 *   error {code, message}
 *   open_failed
 */
export class CallSession {
  /**
   * @param {{dealId?: string, start?: object, hints?: boolean, hintsAllowed?: boolean,
   *          pendingDial?: string, pendingFinish?: boolean}} opts
   *   start: the start message's fields for a new deal; pendingDial and
   *   pendingFinish: what to send once a resumed deal is known.
   */
  constructor(opts) {
    const start = opts.start || null;
    this.start = start;
    this.pending = { dial: opts.pendingDial || '', finish: !!opts.pendingFinish };
    /** state is read by the views; only the session writes it. */
    this.state = {
      dealId: opts.dealId || '',
      persona: null, // public profile
      personaId: '',
      dealLabels: {}, // the scenario's milestone labels, in the deal's language
      lang: start?.lang || 'en',
      call: 0, // the current or last call
      goal: start?.goal || '',
      goalLabel: '',
      turn: 0, // turns of the current or last call
      inCall: false,
      over: false,
      hints: !!opts.hints,
      hintsAllowed: opts.hintsAllowed !== false,
      hint: null,
      waiting: false, // a line awaits the customer's answer
      link: 'connecting', // connecting, open, reconnecting, taken, closed
      shutdown: false,
      blocked: '', // an error code that stops the deal here (engine_changed, …)
      refused: false, // the deal is not ours to drive
      scorecard: null, // the deal's scorecard so far (no transcript)
      end: null, // how the last call ended: {call, endedBy, text, dealOver}
    };
    this.listeners = new Set();
    this.finishing = ''; // '', 'reveal' (go to the scorecard) or 'stay'
    this.finishEnded = false;
    this.wasDown = false;
    this.sock = new CallSocket({
      onMessage: (m) => this.onMessage(m),
      onStatus: (s, d) => this.onStatus(s, d),
      onOpenFailed: () => this.emit({ type: 'open_failed' }),
      resumeWith: () => (this.state.dealId ? { deal: this.state.dealId, hints: this.state.hints } : null),
    });
  }

  /** on registers a listener; it returns a function that removes it. */
  on(f) { this.listeners.add(f); return () => this.listeners.delete(f); }

  emit(ev) { for (const f of this.listeners) f(ev, this.state); }

  /** connect opens the connection and starts the new deal, if any. */
  connect() {
    this.sock.connect();
    if (this.start) {
      const s = this.start;
      const msg = { type: 'start', persona: s.persona, goal: s.goal, lang: s.lang, hints: !!s.hints };
      if (s.seed !== undefined) msg.seed = s.seed;
      this.sock.send(msg);
    }
  }

  /** close ends the connection for good. */
  close() { this.sock.close(); }

  /** canSay reports whether a line may be said now. */
  canSay() { return this.state.inCall && !this.state.waiting && this.state.link === 'open'; }

  /** say sends one trainee line; false when no line may be said now. */
  say(text) {
    if (!text || !this.state.inCall || this.state.waiting) return false;
    this.state.waiting = true;
    this.sock.send({ type: 'say', text });
    return true;
  }

  /** hangup ends the live call. */
  hangup() {
    if (!this.state.inCall) return false;
    this.sock.send({ type: 'hangup' });
    return true;
  }

  /** dial starts a follow-up call with the goal. */
  dial(goal) {
    if (this.state.inCall || this.state.over || !MILESTONES.includes(goal)) return false;
    this.sock.send({ type: 'dial', goal });
    return true;
  }

  /**
   * finish ends the deal. reveal: go to the scorecard once it is over; else
   * a live call's end stays on the screen with the deal's verdict.
   */
  finish({ reveal = false } = {}) {
    if (this.state.over) return false;
    this.finishing = reveal ? 'reveal' : 'stay';
    this.finishEnded = false;
    this.sock.send({ type: 'finish' });
    return true;
  }

  /** setHints turns live hints on or off (off when the team forbids them). */
  setHints(on) {
    const s = this.state;
    s.hints = !!on && s.hintsAllowed;
    if (!s.hints) s.hint = null;
    this.sock.send({ type: 'hints', on: s.hints });
    this.emit({ type: 'hint' });
  }

  /** takeBack takes the deal back from the tab that took it. */
  takeBack() { this.sock.takeBack(); }

  /** callDetail returns the scorecard's detail of call n (default: the current call). */
  callDetail(n = this.state.call) {
    return (this.state.scorecard?.calls_detail || [])[n - 1] || null;
  }

  /** reached reports the milestones the deal has reached, by name. */
  reached() {
    const out = {};
    for (const m of MILESTONES) out[m] = !!this.state.scorecard?.milestones?.[m]?.reached;
    return out;
  }

  /**
   * nextGoal is the goal a follow-up is preset to: the first required
   * milestone not reached yet, or '' when every milestone is reached (a
   * follow-up is never preset to a milestone already reached).
   */
  nextGoal() {
    const ms = this.state.scorecard?.milestones;
    if (!ms) return '';
    return MILESTONES.find((m) => !ms[m]?.reached && ms[m]?.required !== false) || '';
  }

  /** won reports whether the deal reached its end result (closed, or rightly let go). */
  won() {
    const o = this.state.scorecard?.outcome;
    return o === 'deal' || o === 'qualified_out';
  }

  onStatus(link, d) {
    const s = this.state;
    s.link = link;
    let reconnected = false;
    if (link === 'reconnecting') {
      this.wasDown = true;
      s.shutdown = !!d?.shutdown;
    } else if (link === 'open') {
      reconnected = this.wasDown;
      this.wasDown = false;
      s.shutdown = false;
    } else if (link === 'taken') {
      s.inCall = false;
    }
    this.emit({ type: 'status', link, shutdown: s.shutdown, reconnected });
  }

  onMessage(m) {
    const s = this.state;
    switch (m.type) {
      case 'hello':
        s.hintsAllowed = m.hints_allowed !== false;
        if (!s.hintsAllowed) { s.hints = false; s.hint = null; }
        this.emit({ type: 'hello' });
        break;
      case 'deal': {
        const d = m.deal || {};
        s.dealId = d.id || s.dealId;
        s.persona = d.persona || null;
        s.personaId = d.persona_id || d.persona?.id || '';
        s.dealLabels = d.milestones || {};
        s.lang = d.lang || s.lang;
        s.over = !!d.over;
        this.emit({ type: 'deal' });
        break;
      }
      case 'call':
        s.call = m.call;
        s.goal = m.goal;
        s.goalLabel = m.goal_label || '';
        s.turn = 0;
        s.inCall = true;
        s.waiting = false;
        s.end = null;
        this.emit({ type: 'call', call: m.call, goal: m.goal, text: m.text || '', followup: !!m.followup });
        break;
      case 'reply_delta':
        this.emit({ type: 'delta', seq: m.seq, text: m.text || '' });
        break;
      case 'reply':
        s.turn = m.turn || s.turn + 1;
        if (!m.ended) s.waiting = false;
        this.emit({ type: 'reply', seq: m.seq, turn: m.turn, text: m.text || '', milestones: m.milestones || [], ended: !!m.ended, replaced: !!m.replaced });
        break;
      case 'hint':
        s.hint = s.hints ? m : null;
        this.emit({ type: 'hint' });
        break;
      case 'ended':
        s.inCall = false;
        s.waiting = false;
        s.end = { call: m.call || s.call, endedBy: m.ended_by || 'trainee', text: m.text || '', dealOver: !!m.deal_over };
        if (m.deal_over) { s.over = true; this.finishEnded = true; }
        this.emit({ type: 'ended', ...s.end });
        break;
      case 'scorecard': {
        s.scorecard = m.scorecard || null;
        const over = !!m.scorecard?.over;
        if (over) { s.over = true; s.inCall = false; }
        this.emit({ type: 'scorecard', over });
        // A deal ended from the end panel, or with no call to show the end
        // of: its scorecard, with the hidden state, is what comes next.
        if (over && this.finishing && (this.finishing === 'reveal' || !this.finishEnded)) this.emit({ type: 'reveal' });
        if (over) this.finishing = '';
        break;
      }
      case 'transcript':
        this.restore(m);
        break;
      case 'error':
        this.onError(m);
        break;
      default:
        break; // unknown types are ignored (protocol v1 may add some)
    }
  }

  restore(m) {
    const s = this.state;
    s.scorecard = m.scorecard || null;
    s.over = !!m.over;
    s.waiting = false;
    const details = s.scorecard?.calls_detail || [];
    const turns = m.turns || [];
    if (m.in_call) {
      s.call = m.call || details.length || 1;
      s.goal = m.goal || details[s.call - 1]?.goal || s.goal;
      s.goalLabel = details[s.call - 1]?.goal_label || '';
      s.inCall = true;
      s.end = null;
    } else {
      const last = details[details.length - 1];
      s.call = details.length || turns[turns.length - 1]?.call || 0;
      s.inCall = false;
      if (last) {
        s.goal = last.goal;
        s.goalLabel = last.goal_label || '';
        s.end = { call: last.call, endedBy: last.ended_by || 'trainee', text: '', dealOver: s.over, restored: true };
      }
    }
    s.turn = turns.filter((x) => x.call === s.call && x.turn > 0).length;
    this.emit({ type: 'transcript', turns });
    // What the address asked for, once the deal is known.
    if (this.pending.dial && !s.inCall && !s.over) {
      const goal = this.pending.dial;
      this.pending.dial = '';
      this.dial(goal);
    } else if (this.pending.finish && !s.over) {
      this.pending.finish = false;
      this.finish({ reveal: false });
    }
    this.pending = { dial: '', finish: false };
  }

  onError(m) {
    const s = this.state;
    s.waiting = false;
    switch (m.code) {
      case 'not_found':
      case 'forbidden':
        if (!s.persona) s.refused = true;
        break;
      case 'hints_disabled':
        s.hintsAllowed = false;
        s.hints = false;
        s.hint = null;
        break;
      case 'engine_changed':
      case 'persona_changed':
      case 'deal_over':
      case 'deal_taken':
        s.blocked = m.code;
        s.inCall = false;
        break;
      default:
        break;
    }
    if (this.finishing && m.code !== 'hints_disabled') this.finishing = '';
    this.emit({ type: 'error', code: m.code || 'internal', message: m.message || '' });
  }
}
