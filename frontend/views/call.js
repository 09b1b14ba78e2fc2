// views/call.js — the call screen: a phone call with a simulated customer
// over the practice websocket. Replies appear after a short typing
// indicator; the trainee may speak (speech recognition) and hear the
// customer (speech synthesis) where the browser supports it.

import { h, mount, icon, avatar } from '../dom.js';
import { t, tx } from '../i18n.js';
import { CallSocket } from '../ws.js';
import { refusal, msName, stageName, STAGES, MILESTONES, fmtDuration, goalOptions, personaName, msLabels, langAttr } from './common.js';

const SR = window.SpeechRecognition || window.webkitSpeechRecognition;
const TTS = 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
const SPEAK_KEY = 'callsim.speak';
const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export function renderCall(app, root, [id], query) {
  const isNew = id === 'new';
  const start = isNew ? app.state.pendingStart : null;
  if (isNew && !start) {
    app.navigate('#/practice', { replace: true });
    return null;
  }
  if (isNew) app.state.pendingStart = null;

  const st = {
    dealId: isNew ? '' : id,
    persona: null,
    labels: {},
    lang: start?.lang || 'en',
    call: 0,
    goal: start?.goal || '',
    goalLabel: '',
    inCall: false,
    over: false,
    callStart: 0,
    hints: !!start?.hints,
    hintsAllowed: app.hintsAllowed(),
    hint: null,
    waiting: false,
    speak: TTS && localStorage.getItem(SPEAK_KEY) === '1',
    listening: false,
    pendingDial: !isNew && query.get('goal') ? query.get('goal') : '',
    pendingFinish: !isNew && query.get('finish') === '1',
    wasDown: false,
    lastScorecard: null,
    scenario: null,
    endedBy: '',
    dead: false,
  };

  // ---------- elements
  const nameEl = h('b', { id: 'call-name' }, t('call.connecting'));
  const roleEl = h('span', null, '');
  const avatarSlot = h('span', { class: 'phone-avatar' }, avatar('…', 'x', 'lg'));
  const liveDot = h('span', { class: 'live off', 'aria-hidden': 'true' });
  const statusText = h('span', { 'data-testid': 'call-status' }, t('call.connecting'));
  const timerEl = h('span', { class: 'timer', role: 'timer', 'aria-label': t('call.timer'), 'data-testid': 'call-timer' }, '0:00');
  const speakBtn = TTS ? h('button', {
    type: 'button', class: 'round-btn', 'aria-pressed': st.speak ? 'true' : 'false',
    'aria-label': t('call.speaker'), title: t('call.speaker'),
    onclick: () => {
      st.speak = !st.speak;
      localStorage.setItem(SPEAK_KEY, st.speak ? '1' : '0');
      speakBtn.setAttribute('aria-pressed', st.speak ? 'true' : 'false');
      mount(speakBtn, icon(st.speak ? 'speaker' : 'mute', 20));
      if (!st.speak) window.speechSynthesis.cancel();
    },
  }, icon(st.speak ? 'speaker' : 'mute', 20)) : null;
  const hangupBtn = h('button', {
    type: 'button', class: 'round-btn hangup-btn', disabled: true, 'data-testid': 'hangup',
    'aria-label': t('call.hangup'), title: t('call.hangup'),
    onclick: () => { if (st.inCall) { sock.send({ type: 'hangup' }); hangupBtn.disabled = true; } },
  }, icon('hangup', 24));

  const goalChip = h('span', { class: 'pill pill-primary', 'data-testid': 'call-goal' }, '—');
  const hintsInput = h('input', {
    type: 'checkbox', checked: st.hints, disabled: !st.hintsAllowed, 'data-testid': 'hints-switch',
    onchange: (e) => setHints(e.target.checked),
  });
  const hintsSwitch = h('label', { class: `switch${st.hintsAllowed ? '' : ' disabled'}`, title: st.hintsAllowed ? '' : t('plan.hints_disabled') },
    hintsInput, h('span', { class: 'track', 'aria-hidden': 'true' }), t('call.hints'));

  const banner = h('div', { class: 'banner banner-warning', role: 'status', hidden: true, 'data-testid': 'call-banner', style: { margin: '12px 16px 0' } });
  const chat = h('div', { class: 'chat', 'aria-label': t('call.conversation'), tabindex: '0', 'data-testid': 'chat' });
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });

  const input = h('textarea', {
    class: 'input', rows: 1, id: 'say', 'data-testid': 'say-input', 'aria-label': t('call.your_line'),
    placeholder: t('call.placeholder'), disabled: true, maxlength: 2000, 'aria-describedby': 'say-hint',
    oninput: () => autosize(),
    onkeydown: (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); say(); }
    },
  });
  const sendBtn = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true, 'data-testid': 'say-send', 'aria-label': t('call.send') }, icon('send', 18), h('span', { class: 'send-label' }, t('call.send')));
  const micBtn = SR ? h('button', {
    type: 'button', class: 'btn btn-icon mic-btn', 'aria-pressed': 'false', disabled: true,
    'aria-label': t('call.speak'), title: t('call.speak'), onclick: () => toggleMic(),
  }, icon('mic', 20)) : null;
  const composer = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); say(); } },
    h('span', { id: 'say-hint', class: 'sr-only' }, t('call.enter_hint')), input, micBtn, sendBtn);
  const endPanel = h('div', { class: 'call-ended', hidden: true, 'data-testid': 'call-ended' });

  const phone = h('section', { class: 'phone', 'aria-labelledby': 'call-name' },
    h('header', { class: 'phone-head' },
      avatarSlot,
      h('div', { class: 'who' }, nameEl, roleEl, h('div', { class: 'call-status' }, liveDot, statusText)),
      timerEl,
      h('div', { class: 'phone-actions' }, speakBtn, hangupBtn)),
    h('div', { class: 'phone-goal' }, icon('target', 16), h('span', null, t('call.goal')), goalChip, h('span', { class: 'grow' }), hintsSwitch),
    banner, chat, announcer, endPanel, composer);

  const side = h('aside', { class: 'hints', 'aria-label': t('call.side') });
  const layout = h('div', { class: 'call-layout' }, phone, side);
  mount(root, layout);
  document.title = `${t('call.title')} · callsim`;

  // ---------- socket
  const sock = new CallSocket({
    onMessage: (m) => onMessage(m),
    onStatus: (s, d) => onStatus(s, d),
    onOpenFailed: async () => { try { await app.api.me(); } catch { /* 401 sends to login */ } },
  });
  sock.hints = st.hints;
  if (!isNew) sock.dealId = id;
  sock.connect();
  if (isNew) {
    const msg = { type: 'start', persona: start.persona, goal: start.goal, lang: start.lang, hints: start.hints };
    if (start.seed !== undefined) msg.seed = start.seed;
    sock.send(msg);
  }

  const onOffline = () => showBanner('warning', t('call.offline'), true);
  window.addEventListener('offline', onOffline);
  const onResize = () => chat.scrollTo({ top: chat.scrollHeight, behavior: 'instant' });
  window.addEventListener('resize', onResize);
  const tick = setInterval(() => {
    if (st.inCall && st.callStart) timerEl.textContent = fmtDuration((Date.now() - st.callStart) / 1000);
  }, 500);

  renderSide();

  // ---------- behaviour
  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  function setComposer() {
    const can = st.inCall && !st.waiting && sock.status === 'open';
    input.disabled = !st.inCall;
    sendBtn.disabled = !can;
    if (micBtn) micBtn.disabled = !can;
    hangupBtn.disabled = !st.inCall;
    composer.hidden = st.over || (!st.inCall && st.call > 0);
  }

  function showBanner(kind, text, spinner) {
    banner.className = `banner banner-${kind}`;
    mount(banner, spinner ? h('span', { class: 'spinner' }) : icon(kind === 'danger' ? 'alert' : 'info', 18), h('span', null, text));
    banner.hidden = false;
    return banner;
  }

  function onStatus(s, d) {
    if (st.dead) return;
    if (s === 'reconnecting') {
      st.wasDown = true;
      showBanner('warning', d?.shutdown ? t('call.server_restart') : t('call.reconnecting'), true);
      statusText.textContent = t('call.reconnecting_short');
      liveDot.classList.add('off');
    } else if (s === 'open') {
      if (st.wasDown) {
        banner.hidden = true;
        app.toast(t('call.reconnected'), 'success', 3000);
        st.wasDown = false;
      }
      updateStatus();
    } else if (s === 'taken') {
      showBanner('danger', t('call.taken'));
      banner.append(h('button', { type: 'button', class: 'btn btn-sm', onclick: () => { sock.fatalNoRetry = false; sock.attempt = 0; sock.connect(); } }, t('call.take_back')));
      st.inCall = false;
      updateStatus();
    }
    setComposer();
  }

  function updateStatus() {
    if (st.over) { statusText.textContent = t('call.deal_over'); liveDot.classList.add('off'); return; }
    if (st.inCall) {
      statusText.textContent = st.call > 1 ? t('call.on_call_n', { n: st.call }) : t('call.on_call');
      liveDot.classList.remove('off');
    } else {
      statusText.textContent = st.call ? t('call.ended_short') : t('call.connecting');
      liveDot.classList.add('off');
    }
  }

  function setPersona(deal) {
    st.persona = deal.persona;
    // The deal's milestone labels are in the deal's language; the
    // scenario's, in the interface language, replace them once loaded.
    st.labels = msLabels(st.scenario, deal.milestones || {});
    if (!st.scenario && deal.persona_id) {
      app.api.persona(deal.persona_id).then((r) => {
        if (st.dead || !r?.scenario) return;
        st.scenario = r.scenario;
        st.labels = msLabels(st.scenario, deal.milestones || {});
        if (st.goal) setGoal(st.goal);
        if (!endPanel.hidden) showEndPanel(st.endedBy || '');
        renderSide();
      }).catch(() => { /* the deal's own labels stay */ });
    }
    st.lang = deal.lang || st.lang;
    st.over = !!deal.over;
    const name = personaName(deal.persona);
    nameEl.textContent = name;
    roleEl.textContent = [tx(deal.persona?.profile?.role), tx(deal.persona?.profile?.company)].filter(Boolean).join(' · ');
    mount(avatarSlot, avatar(name, deal.persona?.id, 'lg'));
    document.title = `${t('call.title')}: ${name} · callsim`;
  }

  function setGoal(goal, label) {
    st.goal = goal;
    st.goalLabel = (st.scenario && st.labels[goal]) || label || st.labels[goal] || '';
    mount(goalChip, `${MILESTONES.indexOf(goal) + 1}. ${msName(goal)}${st.goalLabel ? ' — ' + st.goalLabel : ''}`);
  }

  function scrollChat() { chat.scrollTop = chat.scrollHeight; }

  function bubble(who, text, meta) {
    const el = h('div', { class: `msg msg-${who}`, 'data-testid': who === 'customer' ? 'customer-line' : 'trainee-line' },
      who === 'customer' ? avatar(personaName(st.persona) || '?', st.persona?.id || 'x', 'sm') : null,
      h('div', { class: 'msg-col' }, h('div', { class: 'bubble', lang: langAttr(st.lang) }, text), meta ? h('div', { class: 'meta' }, meta) : null));
    chat.append(el);
    scrollChat();
    return el;
  }

  function sysLine(text, cls = '', ic = 'info') {
    chat.append(h('div', { class: `sys-line ${cls}` }, icon(ic, 14), text));
    scrollChat();
  }

  function milestoneLines(ms) {
    if (!st.hints) return;
    for (const m of ms || []) sysLine(t('call.ms_reached', { m: msName(m) }), `ms ms-${m}`, 'flag');
  }

  function customerSays(text) {
    if (!text) return;
    bubble('customer', text);
    announcer.textContent = `${personaName(st.persona)}: ${text}`;
    if (st.speak) speak(text);
  }

  let typingEl = null;
  let typingSince = 0;
  function showTyping() {
    hideTyping();
    typingSince = Date.now();
    typingEl = h('div', { class: 'msg msg-customer typing', 'aria-label': t('call.typing', { name: personaName(st.persona) }), role: 'status' },
      avatar(personaName(st.persona) || '?', st.persona?.id || 'x', 'sm'),
      h('div', { class: 'bubble' }, h('i'), h('i'), h('i')));
    chat.append(typingEl);
    scrollChat();
  }
  function hideTyping() { if (typingEl) { typingEl.remove(); typingEl = null; } }

  // Replies wait for a short typing pause so the call feels like a call;
  // messages after them keep their order.
  let chain = Promise.resolve();
  function later(text, f) {
    chain = chain.then(() => {
      if (st.dead) return null;
      const want = reducedMotion() ? 0 : Math.min(300 + (text || '').length * 8, 900);
      const wait = Math.max(0, want - (Date.now() - typingSince));
      return new Promise((r) => setTimeout(r, wait)).then(() => { if (!st.dead) f(); });
    });
  }
  function then(f) { chain = chain.then(() => { if (!st.dead) f(); }); }

  function say() {
    const text = input.value.trim();
    if (!text || !st.inCall || st.waiting) return;
    input.value = '';
    autosize();
    bubble('trainee', text);
    st.waiting = true;
    sock.send({ type: 'say', text });
    showTyping();
    setComposer();
    input.focus();
  }

  function setHints(on) {
    st.hints = on && st.hintsAllowed;
    sock.hints = st.hints;
    sock.send({ type: 'hints', on: st.hints });
    hintsInput.checked = st.hints;
    if (!st.hints) st.hint = null;
    renderSide();
  }

  function callStarted(m, resumedSec) {
    st.call = m.call;
    st.inCall = true;
    st.callStart = Date.now() - (resumedSec || 0) * 1000;
    timerEl.textContent = fmtDuration(resumedSec || 0);
    setGoal(m.goal, m.goal_label);
    endPanel.hidden = true;
    updateStatus();
    setComposer();
    renderSide();
  }

  function callEnded(m) {
    st.inCall = false;
    st.waiting = false;
    hideTyping();
    if (m.text) customerSays(m.text);
    const name = personaName(st.persona);
    const why = m.ended_by === 'customer' ? t('call.ended_customer', { name })
      : m.ended_by === 'limit' ? t('call.ended_limit') : t('call.ended_trainee');
    sysLine(why, 'end', 'hangup');
    if (m.deal_over) st.over = true;
    updateStatus();
    setComposer();
    showEndPanel(m.ended_by);
    if (st.listening) stopMic();
  }

  function showEndPanel(endedBy) {
    st.endedBy = endedBy;
    const dur = timerEl.textContent;
    const actions = [
      h('a', { class: 'btn btn-primary', href: `#/deal/${st.dealId}`, 'data-testid': 'view-scorecard' }, icon('chart', 16), t('call.view_scorecard')),
    ];
    let follow = null;
    if (!st.over) {
      let goal = nextGoal();
      follow = h('div', { class: 'followup', style: { width: '100%' } },
        h('span', { class: 'field-label' }, t('deal.followup_goal')),
        goalOptions('fgoal', goal, st.labels, (g) => { goal = g; }),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn btn-success', 'data-testid': 'dial-followup', onclick: () => { sock.send({ type: 'dial', goal }); } }, icon('phone', 16), t('deal.dial_followup')),
          h('button', { type: 'button', class: 'btn', onclick: () => { sock.send({ type: 'finish' }); } }, icon('flag', 16), t('deal.finish'))));
    }
    mount(endPanel,
      h('div', { class: 'row grow' }, icon(endedBy === 'customer' ? 'alert' : 'check', 20),
        h('div', null, h('b', null, st.over ? t('call.deal_over') : t('call.call_over', { n: st.call })),
          h('div', { class: 'small muted' }, st.call ? t('call.duration', { d: dur }) : ''))),
      h('div', { class: 'row' }, actions),
      follow);
    endPanel.hidden = false;
  }

  function nextGoal() {
    const sc = st.lastScorecard;
    for (const m of MILESTONES) if (!sc?.milestones?.[m]?.reached && sc?.milestones?.[m]?.required !== false) return m;
    return 'deal';
  }

  function onMessage(m) {
    if (st.dead) return;
    switch (m.type) {
      case 'hello':
        st.hintsAllowed = m.hints_allowed !== false;
        hintsInput.disabled = !st.hintsAllowed;
        hintsSwitch.classList.toggle('disabled', !st.hintsAllowed);
        if (!st.hintsAllowed && st.hints) { st.hints = false; hintsInput.checked = false; sock.hints = false; renderSide(); }
        break;
      case 'deal':
        st.dealId = m.deal.id;
        setPersona(m.deal);
        if (isNew && location.hash !== `#/call/${m.deal.id}`) history.replaceState(null, '', `#/call/${m.deal.id}`);
        break;
      case 'call':
        then(() => {
          if (m.call > 1 || chat.childElementCount) sysLine(t('call.call_n_started', { n: m.call }), '', 'phone');
          st.waiting = true; // the trainee speaks once the customer has picked up
          callStarted(m, 0);
          showTyping();
        });
        later(m.text, () => { hideTyping(); customerSays(m.text); st.waiting = false; setComposer(); input.focus(); });
        break;
      case 'reply':
        later(m.text, () => {
          hideTyping();
          customerSays(m.text);
          milestoneLines(m.milestones);
          if (!m.ended) st.waiting = false;
          setComposer();
        });
        break;
      case 'reply_delta':
        break; // v1 servers do not stream; the reply carries the whole text
      case 'hint':
        then(() => { st.hint = m; renderSide(); });
        break;
      case 'ended':
        then(() => callEnded(m));
        break;
      case 'scorecard':
        then(() => {
          st.lastScorecard = m.scorecard;
          if (m.scorecard?.over && !st.over) { st.over = true; updateStatus(); setComposer(); showEndPanel(''); }
          else if (!st.inCall && !endPanel.hidden) showEndPanel('');
          if (st.over) {
            // the deal is finished: the scorecard shows the hidden state now
            app.navigate(`#/deal/${st.dealId}`);
          }
        });
        break;
      case 'transcript':
        then(() => restore(m));
        break;
      case 'error':
        then(() => onError(m));
        break;
      default:
        break;
    }
  }

  function restore(m) {
    chat.replaceChildren();
    st.lastScorecard = m.scorecard || null;
    st.over = !!m.over;
    const details = m.scorecard?.calls_detail || [];
    let call = 0;
    for (const turn of m.turns || []) {
      if (turn.call !== call) {
        if (call) {
          const d = details[call - 1];
          sysLine(d?.ended_by === 'customer' ? t('call.ended_customer', { name: personaName(st.persona) }) : t('call.ended_trainee'), 'end', 'hangup');
        }
        call = turn.call;
        const d = details[call - 1];
        sysLine(`${t('call.call_n', { n: call })}${d?.goal ? ' · ' + t('call.goal') + ' ' + msName(d.goal) : ''}`, '', 'phone');
      }
      if (turn.trainee) bubble('trainee', turn.trainee);
      if (turn.customer) bubble('customer', turn.customer);
      milestoneLines(turn.milestones);
    }
    st.waiting = false;
    hideTyping();
    if (m.in_call) {
      const d = details[(m.call || 1) - 1];
      callStarted({ call: m.call, goal: m.goal, goal_label: d?.goal_label }, d?.duration_sec || 0);
    } else {
      st.call = details.length || call;
      st.inCall = false;
      const last = details[details.length - 1];
      if (last) setGoal(last.goal, last.goal_label);
      updateStatus();
      setComposer();
      if (st.call && !st.pendingDial && !st.pendingFinish) {
        if (last) timerEl.textContent = fmtDuration(last.duration_sec);
        sysLine(t('call.no_live_call'), '', 'info');
        showEndPanel('');
      }
    }
    if (st.pendingDial && !m.in_call && !st.over) {
      const goal = st.pendingDial;
      st.pendingDial = '';
      history.replaceState(null, '', `#/call/${st.dealId}`);
      sock.send({ type: 'dial', goal });
    } else if (st.pendingFinish && !st.over) {
      st.pendingFinish = false;
      history.replaceState(null, '', `#/call/${st.dealId}`);
      sock.send({ type: 'finish' });
    } else if (st.over) {
      showEndPanel('');
    }
    renderSide();
  }

  function onError(m) {
    hideTyping();
    st.waiting = false;
    const text = t(`ws.${m.code}`) !== `ws.${m.code}` ? t(`ws.${m.code}`) : (m.message || t('err.internal'));
    switch (m.code) {
      case 'not_found':
      case 'forbidden':
        if (!st.persona) {
          st.dead = true;
          sock.close();
          mount(root, refusal(t('deal.refused_title'), t('deal.refused_body'), app.home()));
          return;
        }
        app.toast(text, 'error');
        break;
      case 'hints_disabled':
        st.hintsAllowed = false;
        st.hints = false;
        sock.hints = false;
        hintsInput.checked = false;
        hintsInput.disabled = true;
        hintsSwitch.classList.add('disabled');
        renderSide();
        app.toast(text, 'info');
        break;
      case 'engine_changed':
      case 'persona_changed':
      case 'deal_over':
        showBanner('info', text);
        st.inCall = false;
        break;
      case 'deal_taken':
        showBanner('danger', text);
        st.inCall = false;
        break;
      default:
        app.toast(text, 'error');
    }
    setComposer();
  }

  function renderSide() {
    layout.classList.toggle('no-hints', false);
    const cards = [];
    const p = st.persona;
    cards.push(h('section', { class: 'card', 'aria-labelledby': 'plan-h' },
      h('div', { class: 'card-head' }, h('h2', { id: 'plan-h' }, icon('target'), t('call.plan'))),
      h('div', { class: 'card-body stack-sm' },
        h('span', { class: 'field-label' }, t('call.ladder')),
        h('ol', { class: 'ladder' }, MILESTONES.map((m, i) => h('li', {
          class: `ladder-step ${m}${st.goal === m ? ' is-goal' : ''}`, 'aria-current': st.goal === m ? 'step' : null,
        },
        h('span', { class: 'ladder-n' }, String(i + 1)),
        h('div', { class: 'grow' },
          h('b', null, msName(m)),
          h('div', { class: 'small muted' }, st.labels[m] && st.labels[m] !== msName(m) ? st.labels[m] : t(`ms.${m}.desc`))),
        st.goal === m ? h('span', { class: 'pill pill-primary' }, icon('target', 12), t('call.goal_tag')) : null))),
        p ? h('p', { class: 'small muted', style: { 'margin-top': '6px' } }, tx(p.profile?.summary)) : null)));

    if (st.hints) {
      const hint = st.hint;
      const curStage = hint?.stage || '';
      const idx = STAGES.indexOf(curStage);
      cards.push(h('section', { class: 'card', 'aria-labelledby': 'hints-h', 'data-testid': 'hints-panel' },
        h('div', { class: 'card-head' }, h('h2', { id: 'hints-h' }, icon('bulb'), t('call.live_hints'))),
        h('div', { class: 'card-body stack' },
          h('div', { class: 'stack-sm' },
            h('span', { class: 'field-label' }, t('call.stage_now')),
            h('div', { class: 'hint-stages' }, STAGES.map((s, i) => h('div', {
              class: `hint-stage${s === curStage ? ' current' : i < idx ? ' done' : ''}`, 'aria-current': s === curStage ? 'step' : null,
            }, h('span', { class: 'n' }, i < idx ? icon('check', 12) : String(i + 1)), stageName(s))))),
          h('div', { class: 'stack-sm' },
            h('span', { class: 'field-label' }, t('call.milestones')),
            h('div', { class: 'ms-track' }, MILESTONES.map((m) => {
              const ok = !!hint?.milestones?.[m];
              return h('div', { class: `ms-item ${m}${ok ? ' reached' : ''}${st.goal === m ? ' goal' : ''}`, 'data-goal': t('call.goal_tag') },
                h('span', { class: 'ms-ico' }, ok ? icon('check', 14) : String(MILESTONES.indexOf(m) + 1)),
                h('span', null, msName(m)));
            })),
            h('div', { class: 'row small' },
              h('span', { class: `pill ${hint?.commitment?.price ? 'pill-success' : ''}` }, hint?.commitment?.price ? icon('check', 12) : null, t('sc.price')),
              h('span', { class: `pill ${hint?.commitment?.time ? 'pill-success' : ''}` }, hint?.commitment?.time ? icon('check', 12) : null, t('sc.time')))))));
    } else {
      cards.push(h('section', { class: 'card card-pad stack-sm' },
        h('h2', null, icon('bulb'), ' ', t('call.live_hints')),
        h('p', { class: 'small muted' }, st.hintsAllowed ? t('call.hints_off') : t('plan.hints_disabled'))));
    }
    cards.push(h('div', { class: 'lecture-tip' }, icon('bulb', 18), h('div', null, t('call.tip'))));
    mount(side, cards);
  }

  // ---------- voice
  let rec = null;
  function toggleMic() { if (st.listening) stopMic(); else startMic(); }
  function startMic() {
    if (!SR || st.listening) return;
    rec = new SR();
    rec.lang = st.lang === 'zh' ? 'zh-CN' : 'en-US';
    rec.interimResults = true;
    rec.continuous = false;
    let finalText = '';
    rec.onresult = (e) => {
      let interim = '';
      for (let i = e.resultIndex; i < e.results.length; i++) {
        const r = e.results[i];
        if (r.isFinal) finalText += r[0].transcript; else interim += r[0].transcript;
      }
      input.value = (finalText + interim).trim();
      autosize();
    };
    rec.onerror = (e) => {
      if (e.error !== 'no-speech' && e.error !== 'aborted') app.toast(t('call.mic_error'), 'error');
    };
    rec.onend = () => {
      st.listening = false;
      micBtn?.setAttribute('aria-pressed', 'false');
      if (finalText.trim()) { input.value = finalText.trim(); say(); }
    };
    try {
      rec.start();
      st.listening = true;
      micBtn?.setAttribute('aria-pressed', 'true');
    } catch {
      app.toast(t('call.mic_error'), 'error');
    }
  }
  function stopMic() { try { rec?.stop(); } catch { /* ignore */ } }

  function speak(text) {
    try {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = st.lang === 'zh' ? 'zh-CN' : 'en-US';
      const v = window.speechSynthesis.getVoices().find((x) => x.lang?.toLowerCase().startsWith(st.lang));
      if (v) u.voice = v;
      window.speechSynthesis.speak(u);
    } catch { /* voice is optional */ }
  }

  return () => {
    st.dead = true;
    clearInterval(tick);
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('resize', onResize);
    if (st.listening) stopMic();
    if (TTS) window.speechSynthesis.cancel();
    sock.close();
  };
}
