// views/call-view.js — the call screen's DOM: the phone (header, goal,
// conversation, composer, the end of a call) and the side panel (the plan
// and live hints). It draws what its CallSession says and hands the user's
// intents back to it; it keeps only what drawing needs (the typing pause,
// the bubble a streamed reply goes into).

import { h, mount, icon, avatar } from '../dom.js';
import { t, tx } from '../i18n.js';
import { refusal, msName, MILESTONES, personaName, msLabels, langAttr } from './common.js';
import { EndPanel, endReason } from './call-end.js';
import { renderSide } from './call-side.js';

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** CallView draws one CallSession into root. */
export class CallView {
  /**
   * @param {{app: object, root: HTMLElement, session: import('./call-session.js').CallSession,
   *          speech: import('./call-speech.js').Speech}} opts
   */
  constructor({ app, root, session, speech }) {
    this.app = app;
    this.root = root;
    this.session = session;
    this.speech = speech;
    this.scenario = null; // the scenario, for its labels in the interface language
    this.showing = false; // a customer's line is on its way to the screen
    this.typingEl = null;
    this.typingSince = 0;
    this.streaming = null; // {seq, el}: the bubble reply_delta pieces go into
    this.streamSeq = -1; // the seq whose reply_delta pieces are arriving
    this.replyEnded = false; // the last reply ended the call (its text is the last words)
    this.chain = Promise.resolve();
    this.dead = false;
    this.build();
  }

  get s() { return this.session.state; }

  labels() { return msLabels(this.scenario, this.s.dealLabels); }

  name() { return personaName(this.s.persona); }

  // ---------- elements

  build() {
    const s = this.s;
    this.nameEl = h('h1', { id: 'call-name', class: 'call-name' }, t('call.connecting'));
    this.roleEl = h('span', null, '');
    this.avatarSlot = h('span', { class: 'phone-avatar' }, avatar('…', 'x', 'lg'));
    this.liveDot = h('span', { class: 'live off', 'aria-hidden': 'true' });
    this.statusText = h('span', { 'data-testid': 'call-status' }, t('call.connecting'));
    // Turns, not a clock: the call's length is the scorecard's estimated
    // speaking time, shown when the call ends.
    this.turnsEl = h('span', { class: 'timer', 'data-testid': 'call-turns' }, '');
    const sp = this.speech;
    this.speakBtn = sp.canSpeak ? h('button', {
      type: 'button', class: 'round-btn', 'aria-pressed': sp.speakOn ? 'true' : 'false',
      'aria-label': t('call.speaker'), title: t('call.speaker'),
      onclick: () => {
        sp.setSpeakOn(!sp.speakOn);
        this.speakBtn.setAttribute('aria-pressed', sp.speakOn ? 'true' : 'false');
        mount(this.speakBtn, icon(sp.speakOn ? 'speaker' : 'mute', 20));
      },
    }, icon(sp.speakOn ? 'speaker' : 'mute', 20)) : null;
    this.hangupBtn = h('button', {
      type: 'button', class: 'round-btn hangup-btn', disabled: true, 'data-testid': 'hangup',
      'aria-label': t('call.hangup'), title: t('call.hangup'),
      onclick: () => { if (this.session.hangup()) this.hangupBtn.disabled = true; },
    }, icon('hangup', 24));

    this.goalChip = h('span', { class: 'pill pill-primary', 'data-testid': 'call-goal' }, '—');
    this.hintsInput = h('input', {
      type: 'checkbox', checked: s.hints, disabled: !s.hintsAllowed, 'data-testid': 'hints-switch',
      onchange: (e) => this.session.setHints(e.target.checked),
    });
    this.hintsSwitch = h('label', { class: `switch${s.hintsAllowed ? '' : ' disabled'}`, title: s.hintsAllowed ? null : t('plan.hints_disabled') },
      this.hintsInput, h('span', { class: 'track', 'aria-hidden': 'true' }), t('call.hints'));

    this.banner = h('div', { class: 'banner banner-warning', role: 'status', hidden: true, 'data-testid': 'call-banner', style: { margin: '12px 16px 0' } });
    // A region, not a log: the announcer below reads the customer's lines
    // out once, with the name.
    this.chat = h('div', { class: 'chat', role: 'region', 'aria-label': t('call.conversation'), tabindex: '0', 'data-testid': 'chat' });
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });

    this.input = h('textarea', {
      class: 'input', rows: 1, id: 'say', 'data-testid': 'say-input', 'aria-label': t('call.your_line'),
      placeholder: t('call.placeholder'), disabled: true, maxlength: 2000, 'aria-describedby': 'say-hint',
      oninput: () => this.autosize(),
      onkeydown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.say(); }
      },
    });
    this.sendBtn = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true, 'data-testid': 'say-send', 'aria-label': t('call.send') }, icon('send', 18), h('span', { class: 'send-label', 'aria-hidden': 'true' }, t('call.send')));
    this.micBtn = sp.canListen ? h('button', {
      type: 'button', class: 'btn btn-icon mic-btn', 'aria-pressed': 'false', disabled: true,
      'aria-label': t('call.speak'), title: t('call.speak'), onclick: () => sp.toggle(this.s.lang),
    }, icon('mic', 20)) : null;
    this.composer = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.say(); } },
      h('span', { id: 'say-hint', class: 'sr-only' }, t('call.enter_hint')), this.input, this.micBtn, this.sendBtn);

    this.end = new EndPanel({
      session: this.session,
      labels: () => this.labels(),
      name: () => this.name(),
      onDial: (goal) => this.session.dial(goal),
    });

    this.phone = h('section', { class: 'phone', 'aria-labelledby': 'call-name' },
      h('header', { class: 'phone-head' },
        this.avatarSlot,
        h('div', { class: 'who' }, this.nameEl, this.roleEl, h('div', { class: 'call-status' }, this.liveDot, this.statusText)),
        this.turnsEl,
        h('div', { class: 'phone-actions' }, this.speakBtn, this.hangupBtn)),
      h('div', { class: 'phone-goal' }, icon('target', 16), h('span', null, t('call.goal')), this.goalChip, h('span', { class: 'grow' }), this.hintsSwitch),
      this.banner, this.chat, this.announcer, this.end.el, this.composer);

    this.side = h('aside', { class: 'hints', 'aria-label': t('call.side') });
    this.layout = h('div', { class: 'call-layout' }, this.phone, this.side);
    mount(this.root, this.layout);
    document.title = `${t('call.title')} · callsim`;
    this.renderSide();
  }

  // ---------- intents

  autosize() {
    const input = this.input;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  say() {
    const text = this.input.value.trim();
    if (!text || this.showing || !this.session.say(text)) return;
    this.input.value = '';
    this.autosize();
    this.bubble('trainee', text);
    this.showing = true;
    this.showTyping();
    this.renderComposer();
    this.input.focus();
  }

  /** heard puts what the trainee is saying into the line, or says it. */
  heard(text, final) {
    this.input.value = text;
    this.autosize();
    if (final) this.say();
  }

  listening(on) { this.micBtn?.setAttribute('aria-pressed', on ? 'true' : 'false'); }

  // ---------- drawing

  renderComposer() {
    const s = this.s;
    const can = this.session.canSay() && !this.showing;
    this.input.disabled = !s.inCall;
    this.sendBtn.disabled = !can;
    if (this.micBtn) this.micBtn.disabled = !can;
    this.hangupBtn.disabled = !s.inCall;
    this.composer.hidden = s.over || (!s.inCall && s.call > 0);
    this.phone.classList.toggle('is-ended', !s.inCall && !!s.end);
  }

  renderStatus() {
    const s = this.s;
    if (s.link === 'reconnecting') {
      this.statusText.textContent = t('call.reconnecting_short');
      this.liveDot.classList.add('off');
      return;
    }
    if (s.over) {
      this.statusText.textContent = t('call.deal_over');
      this.liveDot.classList.add('off');
    } else if (s.inCall) {
      this.statusText.textContent = s.call > 1 ? t('call.on_call_n', { n: s.call }) : t('call.on_call');
      this.liveDot.classList.remove('off');
    } else {
      this.statusText.textContent = s.call ? t('call.ended_short') : t('call.connecting');
      this.liveDot.classList.add('off');
    }
    this.turnsEl.textContent = s.call ? t('call.turn_n', { n: s.turn }) : '';
  }

  renderPersona() {
    const s = this.s;
    const name = this.name();
    this.nameEl.textContent = name;
    this.roleEl.textContent = [tx(s.persona?.profile?.role), tx(s.persona?.profile?.company)].filter(Boolean).join(' · ');
    mount(this.avatarSlot, avatar(name, s.persona?.id, 'lg'));
    document.title = `${t('call.title')}: ${name} · callsim`;
    if (!this.scenario && s.personaId) {
      this.app.api.persona(s.personaId).then((r) => {
        if (this.dead || !r?.scenario) return;
        this.scenario = r.scenario;
        this.renderGoal();
        if (!this.end.el.hidden) this.end.render();
        this.renderSide();
      }).catch(() => { /* the deal's own labels stay */ });
    }
  }

  renderGoal() {
    const s = this.s;
    if (!s.goal) return;
    const label = (this.scenario && this.labels()[s.goal]) || s.goalLabel || this.labels()[s.goal] || '';
    mount(this.goalChip, `${MILESTONES.indexOf(s.goal) + 1}. ${msName(s.goal)}${label ? ' — ' + label : ''}`);
  }

  renderHints() {
    const s = this.s;
    this.hintsInput.checked = s.hints;
    this.hintsInput.disabled = !s.hintsAllowed;
    this.hintsSwitch.classList.toggle('disabled', !s.hintsAllowed);
    this.hintsSwitch.title = s.hintsAllowed ? '' : t('plan.hints_disabled');
    this.renderSide();
  }

  showBanner(kind, text, spinner) {
    const b = this.banner;
    b.className = `banner banner-${kind}`;
    mount(b, spinner ? h('span', { class: 'spinner' }) : icon(kind === 'danger' ? 'alert' : 'info', 18), h('span', null, text));
    b.hidden = false;
    return b;
  }

  scrollChat() { this.chat.scrollTop = this.chat.scrollHeight; }

  bubble(who, text) {
    const s = this.s;
    const el = h('div', { class: `msg msg-${who}`, 'data-testid': who === 'customer' ? 'customer-line' : 'trainee-line' },
      who === 'customer' ? avatar(this.name() || '?', s.persona?.id || 'x', 'sm') : null,
      h('div', { class: 'msg-col' }, h('div', { class: 'bubble', lang: langAttr(s.lang) }, text)));
    this.chat.append(el);
    this.scrollChat();
    return el;
  }

  sysLine(text, cls = '', ic = 'info', testid = null) {
    const el = h('div', { class: `sys-line ${cls}`, 'data-testid': testid }, icon(ic, 14), text);
    this.chat.append(el);
    this.scrollChat();
    return el;
  }

  milestoneLines(ms) {
    if (!this.s.hints) return;
    for (const m of ms || []) this.sysLine(t('call.ms_reached', { m: msName(m) }), `ms ms-${m}`, 'flag');
  }

  customerSays(text) {
    if (!text) return;
    this.bubble('customer', text);
    this.announcer.textContent = `${this.name()}: ${text}`;
    this.speech.speak(text, this.s.lang);
  }

  showTyping() {
    this.hideTyping();
    this.typingSince = Date.now();
    this.typingEl = h('div', { class: 'msg msg-customer typing', role: 'status' },
      avatar(this.name() || '?', this.s.persona?.id || 'x', 'sm'),
      h('div', { class: 'bubble' }, h('span', { class: 'sr-only' }, t('call.typing', { name: this.name() })), h('i'), h('i'), h('i')));
    this.chat.append(this.typingEl);
    this.scrollChat();
  }

  hideTyping() { if (this.typingEl) { this.typingEl.remove(); this.typingEl = null; } }

  // Replies wait for a short typing pause so the call feels like a call;
  // what comes after them keeps its order.
  later(text, f) {
    this.chain = this.chain.then(() => {
      if (this.dead) return null;
      const want = reducedMotion() ? 0 : Math.min(300 + (text || '').length * 8, 900);
      const wait = Math.max(0, want - (Date.now() - this.typingSince));
      return new Promise((r) => setTimeout(r, wait)).then(() => { if (!this.dead) f(); });
    });
  }

  then(f) { this.chain = this.chain.then(() => { if (!this.dead) f(); }); }

  /**
   * revealEnd brings the call's last lines (the customer's last words and
   * why the call ended) into view, on a desktop and on a phone, with the
   * verdict under them.
   */
  revealEnd() {
    const s = this.s;
    if (s.inCall || !s.end || this.dead) return;
    const chat = this.chat;
    chat.scrollTo({ top: chat.scrollHeight, behavior: 'instant' });
    const lines = chat.querySelectorAll('[data-testid="end-line"]');
    const endLine = lines[lines.length - 1];
    if (!endLine) return;
    const prev = endLine.previousElementSibling;
    const first = prev && prev.matches('.msg-customer') ? prev : endLine;
    // The last lines go just under the top bar, as far as it takes to
    // show the whole verdict under them; never out of view.
    const bar = document.querySelector('.topbar')?.getBoundingClientRect().bottom || 0;
    const top = first.getBoundingClientRect().top;
    const panel = this.end.el.hidden ? 0 : this.end.el.getBoundingClientRect().bottom;
    const want = top - bar - 12; // the last lines right under the bar
    const need = panel - window.innerHeight + 16; // the whole verdict in view
    const dy = want < 0 ? want : Math.max(0, Math.min(want, need));
    if (Math.abs(dy) >= 1) window.scrollBy({ top: dy, behavior: 'instant' });
  }

  renderSide() { renderSide(this.side, this.s, this.labels()); }

  // ---------- what the session says

  /** apply draws one event of the session. */
  apply(ev) {
    if (this.dead) return;
    const s = this.s;
    switch (ev.type) {
      case 'status':
        this.onStatus(ev);
        break;
      case 'open_failed':
        this.app.api.me().catch(() => { /* a 401 sends to the login */ });
        break;
      case 'hello':
        this.renderHints();
        break;
      case 'deal':
        this.renderPersona();
        if (location.hash.startsWith('#/call/new') || location.hash.includes('?')) history.replaceState(null, '', `#/call/${s.dealId}`);
        this.renderStatus();
        break;
      case 'call':
        this.then(() => {
          if (ev.call > 1 || this.chat.childElementCount) this.sysLine(t('call.call_n_started', { n: ev.call }), '', 'phone');
          this.showing = true; // the trainee speaks once the customer has picked up
          this.end.hide();
          this.renderGoal();
          this.renderStatus();
          this.renderComposer();
          this.renderSide();
          this.showTyping();
        });
        this.later(ev.text, () => {
          this.hideTyping();
          this.customerSays(ev.text);
          this.showing = false;
          this.renderComposer();
          this.input.focus();
        });
        break;
      case 'delta':
        // A voice that streams: show the words as they come; the reply
        // that follows carries the whole text and replaces them.
        this.streamSeq = ev.seq;
        this.then(() => {
          if (!this.streaming || this.streaming.seq !== ev.seq) {
            this.hideTyping();
            this.streaming = { seq: ev.seq, el: this.bubble('customer', '') };
          }
          this.streaming.el.querySelector('.bubble').textContent += ev.text;
          this.scrollChat();
        });
        break;
      case 'reply':
        // A reply that ends the call holds the last words: the end repeats them.
        this.replyEnded = ev.ended;
        if (this.streamSeq === ev.seq) {
          this.streamSeq = -1;
          this.then(() => {
            const el = this.streaming?.el || this.bubble('customer', '');
            this.streaming = null;
            el.querySelector('.bubble').textContent = ev.text;
            this.announcer.textContent = `${this.name()}: ${ev.text}`;
            this.speech.speak(ev.text, s.lang);
            this.afterReply(ev);
          });
          break;
        }
        this.later(ev.text, () => {
          this.hideTyping();
          this.customerSays(ev.text);
          this.afterReply(ev);
        });
        break;
      case 'hint':
        this.then(() => this.renderHints());
        break;
      case 'ended':
        this.then(() => this.callEnded(ev));
        break;
      case 'scorecard':
        this.then(() => {
          this.renderStatus();
          this.renderComposer();
          if (!this.end.el.hidden || s.end) { this.end.render(); this.revealEnd(); }
        });
        break;
      case 'reveal':
        this.then(() => this.app.navigate(`#/deal/${s.dealId}`));
        break;
      case 'transcript':
        this.then(() => this.restore(ev));
        break;
      case 'error':
        this.then(() => this.onError(ev));
        break;
      default:
        break;
    }
  }

  afterReply(ev) {
    this.milestoneLines(ev.milestones);
    if (!ev.ended) this.showing = false;
    this.renderStatus();
    this.renderComposer();
  }

  callEnded(ev) {
    this.showing = false;
    this.hideTyping();
    if (ev.text && !this.replyEnded) this.customerSays(ev.text);
    this.replyEnded = false;
    this.sysLine(endReason(ev, this.name()), 'end', 'hangup', 'end-line');
    this.renderStatus();
    this.renderComposer();
    this.end.render();
    this.revealEnd();
    // Keyboard users go on from the end of the call.
    this.end.el.querySelector('#end-h')?.focus({ preventScroll: true });
    if (this.speech.listening) this.speech.stop();
  }

  onStatus(ev) {
    if (ev.link === 'reconnecting') {
      this.showBanner('warning', ev.shutdown ? t('call.server_restart') : t('call.reconnecting'), true);
    } else if (ev.link === 'open') {
      if (ev.reconnected) {
        this.banner.hidden = true;
        this.app.toast(t('call.reconnected'), 'success', 3000);
      }
    } else if (ev.link === 'taken') {
      this.showBanner('danger', t('call.taken'));
      this.banner.append(h('button', { type: 'button', class: 'btn btn-sm', onclick: () => this.session.takeBack() }, t('call.take_back')));
    }
    this.renderStatus();
    this.renderComposer();
  }

  restore(ev) {
    const s = this.s;
    this.chat.replaceChildren();
    this.streaming = null;
    const details = s.scorecard?.calls_detail || [];
    let call = 0;
    const endOf = (n) => {
      const d = details[n - 1];
      if (d?.ended_by) this.sysLine(endReason({ endedBy: d.ended_by, dealOver: false }, this.name()), 'end', 'hangup', 'end-line');
    };
    for (const turn of ev.turns || []) {
      if (turn.call !== call) {
        if (call) endOf(call);
        call = turn.call;
        const d = details[call - 1];
        this.sysLine(`${t('call.call_n', { n: call })}${d?.goal ? ' · ' + t('call.goal') + ' ' + msName(d.goal) : ''}`, '', 'phone');
      }
      if (turn.trainee) this.bubble('trainee', turn.trainee);
      if (turn.customer) this.bubble('customer', turn.shown || turn.customer);
      this.milestoneLines(turn.milestones);
    }
    if (call && !s.inCall) endOf(call);
    this.showing = false;
    this.hideTyping();
    this.renderGoal();
    this.renderStatus();
    this.renderComposer();
    if (!s.inCall && s.end) { this.end.render(); this.revealEnd(); } else this.end.hide();
    this.renderSide();
  }

  onError(ev) {
    const s = this.s;
    this.hideTyping();
    this.showing = false;
    const key = `ws.${ev.code}`;
    const text = t(key) !== key ? t(key) : (ev.message || t('err.internal'));
    if (s.refused) {
      // Not ours to drive: nothing of the call screen is left.
      this.dead = true;
      this.session.close();
      mount(this.root, refusal(t('deal.refused_title'), t('deal.refused_body'), this.app.home()));
      return;
    }
    switch (ev.code) {
      case 'hints_disabled':
        this.renderHints();
        this.app.toast(text, 'info');
        break;
      case 'engine_changed':
      case 'persona_changed':
      case 'deal_over':
        this.showBanner('info', text);
        break;
      case 'deal_taken':
        this.showBanner('danger', text);
        break;
      default:
        this.app.toast(text, 'error');
    }
    this.renderStatus();
    this.renderComposer();
    if (s.end) this.end.render();
  }

  onResize() {
    if (!this.s.inCall && this.s.end) this.revealEnd();
    else this.chat.scrollTo({ top: this.chat.scrollHeight, behavior: 'instant' });
  }

  close() { this.dead = true; }
}
