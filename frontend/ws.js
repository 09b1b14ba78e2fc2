// ws.js — the practice websocket of docs/protocol.md (callsim.v1), as a
// transport: one connection that sends one input at a time, and after a
// dropped connection reconnects with backoff, resumes the deal its owner
// names and re-sends the input that was in flight with its seq (the server
// answers it once). It keeps only what delivery needs (the queue, the input
// in flight, the next seq); the call's state belongs to its owner
// (views/call-session.js).

const INPUTS = new Set(['start', 'dial', 'say', 'hangup', 'finish']);

/** CallSocket is a self-healing connection for one deal. */
export class CallSocket {
  /**
   * @param {{onMessage: function(object), onStatus: function(string, object=),
   *          onOpenFailed: function(number),
   *          resumeWith: function(): ?{deal: string, hints: boolean}}} handlers
   *   resumeWith names the deal to resume after (re)connecting, or null.
   */
  constructor(handlers) {
    this.h = handlers;
    this.ws = null;
    this.nextSeq = 1;
    this.counter = 0;
    this.inflight = null; // the input awaiting its answer
    this.queue = [];
    this.closedByUs = false;
    this.attempt = 0;
    this.failedOpens = 0;
    this.status = 'idle';
    this.timer = 0;
    this.resuming = false;
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}/ws/v1`;
  }

  setStatus(st, detail) {
    this.status = st;
    this.h.onStatus?.(st, detail);
  }

  /** connect opens the socket; once open it resumes the deal resumeWith names. */
  connect() {
    this.closedByUs = false;
    clearTimeout(this.timer);
    this.setStatus(this.attempt ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.url(), ['callsim.v1']);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.failedOpens = 0;
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (!msg || typeof msg.type !== 'string') return;
      this.handle(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!opened) this.failedOpens++;
      if (this.closedByUs) { this.setStatus('closed'); return; }
      if (this.sessionEnded) { this.setStatus('closed'); this.h.onOpenFailed?.(0); return; }
      if (ev.code === 4009 || this.fatalNoRetry) { this.setStatus('taken'); return; }
      if (!opened && this.failedOpens >= 2) this.h.onOpenFailed?.(this.failedOpens);
      this.scheduleReconnect();
    };
  }

  scheduleReconnect() {
    const delays = [400, 1000, 2000, 4000, 8000];
    const d = delays[Math.min(this.attempt, delays.length - 1)];
    this.attempt++;
    this.setStatus('reconnecting', { inMs: d });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), d);
  }

  /** takeBack reconnects after another tab took the deal, taking it over. */
  takeBack() {
    this.fatalNoRetry = false;
    this.attempt = 0;
    this.connect();
  }

  /** close ends the connection for good. */
  close() {
    this.closedByUs = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
  }

  raw(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  nextId() {
    this.counter++;
    return `m${Date.now().toString(36)}${this.counter}`;
  }

  /** send queues a client message; inputs go one at a time, with their seq. */
  send(msg) {
    const m = { ...msg, id: this.nextId() };
    if (INPUTS.has(m.type)) {
      this.queue.push(m);
      this.pump();
    } else {
      this.raw(m);
    }
    return m.id;
  }

  /** busy reports whether an input awaits its answer. */
  busy() { return !!this.inflight || this.queue.length > 0; }

  pump() {
    if (this.inflight || !this.queue.length || this.resuming) return;
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || this.status !== 'open') return;
    const m = this.queue.shift();
    if (m.type !== 'start') m.seq = this.nextSeq;
    this.inflight = m;
    this.raw(m);
  }

  /** answered clears the in-flight input once msg answers it. */
  answered(msg, kinds) {
    if (this.inflight && msg.re === this.inflight.id && kinds.includes(msg.type)) {
      this.inflight = null;
      queueMicrotask(() => this.pump());
    }
  }

  handle(msg) {
    if (typeof msg.seq === 'number' && msg.type !== 'transcript') {
      this.nextSeq = Math.max(this.nextSeq, msg.seq + 1);
    }
    switch (msg.type) {
      case 'hello': {
        this.attempt = 0;
        const r = this.h.resumeWith?.();
        if (r?.deal) {
          this.resuming = true;
          this.resumeId = this.nextId();
          this.raw({ type: 'resume', id: this.resumeId, deal: r.deal, hints: !!r.hints, takeover: true });
        } else {
          this.setStatus('open');
          if (this.inflight) this.raw(this.inflight); // a start lost with the old connection
          this.pump();
        }
        break;
      }
      case 'transcript':
        if (typeof msg.next_seq === 'number') this.nextSeq = msg.next_seq;
        this.resuming = false;
        this.setStatus('open');
        // Re-send the input that was in flight when the connection dropped:
        // with its seq the server applies it once, or answers it again. A
        // start is not re-sent: the deal it made is the one resumed.
        if (this.inflight?.type === 'start') this.inflight = null;
        if (this.inflight) this.raw(this.inflight);
        this.pump();
        break;
      case 'call':
        this.answered(msg, ['call']);
        break;
      case 'reply':
        this.answered(msg, ['reply']);
        break;
      case 'scorecard':
        this.answered(msg, ['scorecard']);
        break;
      case 'error':
        if (this.resuming && msg.re === this.resumeId) {
          // A refused resume: stop resuming so the view can show why.
          this.resuming = false;
          this.setStatus('open');
        }
        if (this.inflight && msg.re === this.inflight.id) {
          this.inflight = null;
          queueMicrotask(() => this.pump());
        }
        if (msg.code === 'deal_taken') this.fatalNoRetry = true;
        // Logged out (here or elsewhere) or the account changed: reconnecting
        // cannot help; the page goes back to the login.
        if (msg.code === 'session_ended') this.sessionEnded = true;
        break;
      case 'shutdown':
        this.setStatus('reconnecting', { shutdown: true });
        break;
      default:
        break; // unknown types are ignored (protocol v1 may add some)
    }
    this.h.onMessage?.(msg);
  }
}
