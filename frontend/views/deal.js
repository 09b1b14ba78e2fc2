// views/deal.js — one deal: the scorecard for the trainee (with follow-up
// dialling), and the coach's review desk (transcript with markers, hidden
// state, per-turn comments, score override).

import { h, mount, icon, avatar } from '../dom.js';
import { t, tx, getLang } from '../i18n.js';
import { scoreRing, shareBar, rangeBar, stageStrip } from '../charts.js';
import {
  refusal, loading, MILESTONES, STAGES, msName, stageName, actName, findingName, fmtDate, fmtDuration,
  fmtMoney, fmtPct, fmtNum, outcomeChip, goalOptions, personaName, field, msLabel, langAttr, breakdownName,
  objectionKind, urgencyName, confirmEndDeal,
} from './common.js';

// A deal this much slower (more turns) than the team's median to a milestone
// is marked slower; this much faster, faster.
const PACE_SLOWER = 1.25;
const PACE_FASTER = 0.8;

export async function renderDeal(app, root, [id], query) {
  document.title = `${t('deal.title')} · callsim`;
  mount(root, loading());
  let r;
  try {
    r = await app.api.deal(id);
  } catch (e) {
    if (e.code === 'not_found' || e.code === 'forbidden') {
      mount(root, refusal(t('deal.refused_title'), t('deal.refused_body'), app.home()));
    } else {
      mount(root, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e)));
    }
    return null;
  }
  let scenario = null;
  try { scenario = (await app.api.persona(r.deal.persona_id)).scenario; } catch { /* persona may be gone */ }
  const view = new DealView(app, root, r, scenario);
  view.render();
  // #/deal/ID?turn=C-T opens the scorecard at that turn of the transcript
  // (the call screen's verdict links its findings so).
  const m = /^(\d+)-(\d+)$/.exec(query?.get('turn') || '');
  if (m) view.showTurn(Number(m[1]), Number(m[2]), 'instant');
  return null;
}

class DealView {
  constructor(app, root, r, scenario) {
    this.app = app;
    this.root = root;
    this.deal = r.deal;
    this.sc = r.scorecard;
    this.comments = r.comments || [];
    this.overrides = r.overrides || [];
    this.persona = r.persona;
    this.teamPace = r.team_pace;
    this.scenario = scenario;
    this.isOwner = app.user.id === r.deal.user_id;
    this.isCoach = app.user.role === 'coach' || app.user.role === 'admin';
    this.canReview = this.isCoach && !this.isOwner || app.user.role === 'admin';
  }

  render() {
    const sc = this.sc;
    const d = this.deal;
    const name = personaName(this.persona) || d.persona_name || d.persona_id;
    document.title = `${t('deal.title')}: ${name} · callsim`;
    const back = this.isCoach && !this.isOwner
      ? h('a', { class: 'crumb', href: '#/coach' }, icon('back', 14), t('nav.coach'))
      : h('a', { class: 'crumb', href: '#/history' }, icon('back', 14), t('nav.history'));

    if (!sc) {
      mount(this.root, back, this.hero(name), h('div', { class: 'card card-pad' }, h('p', { class: 'muted' }, t('deal.no_events'))));
      return;
    }
    const left = [this.milestones(), this.pace(), this.callsCard(), this.findings()];
    const right = [
      this.isOwner && !sc.over ? this.followup() : null,
      this.canReview ? this.overrideCard() : null,
      this.hidden(),
      this.talk(),
      this.breakdown(),
    ];
    const leftEl = h('div', { class: 'stack deal-left', style: { gap: '20px' } }, left);
    const rightEl = h('div', { class: 'stack deal-right', style: { gap: '20px' } }, right);
    // The transcript sits under the left column on wide screens. In the
    // page's order (focus, and the one column of a phone) it comes last for
    // the trainee, and first for a coach who reviews it and comments on it.
    const tr = this.transcript();
    mount(this.root, back, this.hero(name),
      h('div', { class: 'grid grid-main deal-grid', style: { 'margin-top': '20px' } },
        this.canReview ? [tr, leftEl, rightEl] : [leftEl, rightEl, tr]));
  }

  /** showTurn scrolls to a turn of the transcript and marks it for a moment. */
  showTurn(call, turn, behavior = 'smooth') {
    const el = document.getElementById(`turn-${call}-${turn}`);
    if (!el) return;
    el.scrollIntoView({ behavior, block: 'center' });
    el.classList.add('flash');
    el.focus({ preventScroll: true });
    setTimeout(() => el.classList.remove('flash'), 1600);
  }

  effectiveScore() {
    const last = this.overrides[this.overrides.length - 1];
    return last ? last.score : (this.sc?.score ?? this.deal.score ?? 0);
  }

  liveCall() {
    const cd = this.sc?.calls_detail || [];
    return cd.length && !cd[cd.length - 1].ended_by && !this.sc.over;
  }

  hero(name) {
    const d = this.deal, sc = this.sc;
    const last = this.overrides[this.overrides.length - 1];
    const score = this.effectiveScore();
    const actions = [];
    if (this.isOwner && sc && !sc.over) {
      const live = this.liveCall();
      const won = sc.outcome === 'deal' || sc.outcome === 'qualified_out';
      const finish = h('button', {
        type: 'button', class: won ? 'btn btn-primary' : 'btn', 'data-testid': 'finish-deal',
        onclick: async () => { if (await confirmEndDeal()) this.app.navigate(`#/call/${d.id}?finish=1`); },
      }, icon(won ? 'eye' : 'flag', 16), won ? t('call.finish_reveal') : t('deal.finish'));
      const dial = live
        ? h('a', { class: 'btn btn-success', href: `#/call/${d.id}`, 'data-testid': 'return-to-call' }, icon('phone', 16), t('deal.return_to_call'))
        : h('button', { type: 'button', class: won ? 'btn' : 'btn btn-success', onclick: () => document.getElementById('followup')?.scrollIntoView({ behavior: 'smooth' }) }, icon('phone', 16), t('deal.dial_followup'));
      // Won: ending the deal is what comes next, then the next customer; a
      // follow-up is still there, second.
      if (won && !live) actions.push(finish, h('a', { class: 'btn btn-ghost', href: '#/practice' }, icon('users', 16), t('call.next_customer')), dial);
      else actions.push(dial, finish);
    }
    if (this.isOwner && sc?.over) {
      actions.push(h('a', { class: 'btn btn-primary', href: '#/practice', 'data-testid': 'next-customer' }, icon('phone', 16), t('call.next_customer')));
    }
    const facts = sc ? [
      [t('sc.calls'), String(sc.calls)],
      [t('sc.turns'), String(sc.turns)],
      [t('sc.speaking_time'), fmtDuration(sc.duration_sec)],
      [t('sc.language'), t(`lang.${sc.lang}`)],
    ] : [];
    // The deal's score: toned only once the deal is over, so that an open
    // deal whose calls reached their goals does not look failed.
    const scoreName = sc?.over ? t('sc.deal_score') : t('sc.deal_score_so_far');
    return h('section', { class: 'card sc-hero', 'aria-labelledby': 'deal-h', 'data-testid': 'scorecard' },
      h('div', { class: 'stack-sm', style: { 'align-items': 'center' } },
        scoreRing(score, `${scoreName}: ${t('sc.score_label', { n: score })}`, { neutral: !sc?.over }),
        h('div', { class: 'ring-caption', 'data-testid': 'score-caption' }, scoreName),
        last ? h('div', { class: 'override-note', 'data-testid': 'override-note' }, t('deal.override_note', { who: last.author, orig: sc?.score ?? '—' })) : null),
      h('div', null,
        h('div', { class: 'title' }, avatar(name, d.persona_id, 'lg'),
          h('div', null,
            h('div', { class: 'eyebrow' }, sc?.over ? t('deal.over') : t('deal.in_progress')),
            h('h1', { id: 'deal-h' }, name),
            h('div', { class: 'muted small' }, [tx(this.persona?.profile?.role), tx(this.persona?.profile?.company)].filter(Boolean).join(' · ')))),
        h('div', { class: 'row', style: { 'margin-top': '12px' } },
          outcomeChip(sc?.outcome || d.outcome),
          this.isOwner ? null : h('span', { class: 'pill' }, icon('users', 12), d.user_name || d.username),
          h('span', { class: 'pill pill-outline' }, fmtDate(d.created_at)),
          h('span', { class: 'pill pill-outline', title: t('deal.id') }, d.id)),
        h('div', { class: 'facts' }, facts.map(([k, v]) => h('div', { class: 'fact' }, h('b', null, v), h('span', null, k))))),
      actions.length ? h('div', { class: 'actions' }, actions) : null);
  }

  milestones() {
    const sc = this.sc;
    const c = sc.commitment || {};
    const currency = this.scenario?.currency;
    const msCard = (m) => {
      const r = sc.milestones?.[m] || {};
      const goalHere = (sc.calls_detail || []).some((cd) => cd.goal === m);
      return h('div', { class: `ms-card ${m}${r.reached ? ' reached' : ''}`, 'data-testid': `ms-${m}`, 'data-reached': r.reached ? 'true' : 'false' },
        h('div', { class: 'head' },
          h('div', null, h('div', { class: 'small muted' }, `${MILESTONES.indexOf(m) + 1}. ${msName(m)}`), h('b', null, msLabel(this.scenario, m, r.label) || msName(m))),
          h('span', { class: `status-ico ${r.reached ? 'yes' : 'no'}`, role: 'img', 'aria-label': r.reached ? t('sc.reached') : t('sc.not_reached') }, icon(r.reached ? 'check' : 'x', 14))),
        r.reached
          ? [h('blockquote', { class: 'quote', lang: langAttr(sc.lang) }, r.quote || '—'),
            h('div', { class: 'where' }, this.turnLink(r.call, r.turn, t('sc.at_turn', { c: r.call, t: r.turn })))]
          : h('p', { class: 'not-reached' }, r.required === false ? t('sc.not_required') : t('sc.not_reached_yet')),
        r.surface ? h('p', { class: 'surface-note', 'data-testid': `ms-${m}-surface` }, icon('alert', 12), t('sc.surface_offer')) : null,
        goalHere ? h('span', { class: 'pill pill-primary', style: { 'align-self': 'flex-start' } }, icon('target', 12), t('sc.was_goal')) : null);
    };
    const commit = (kind, ok, ev, big) => h('div', { class: 'commit', 'data-testid': `commit-${kind}`, 'data-agreed': ok ? 'true' : 'false' },
      h('div', { class: 'head' }, h('span', { class: `status-ico ${ok ? 'yes' : 'no'}`, 'aria-hidden': 'true' }, icon(ok ? 'check' : 'x', 14)),
        h('b', null, t(`sc.${kind}`)), h('span', { class: 'grow' }), h('span', { class: `pill ${ok ? 'pill-success' : ''}` }, ok ? t('sc.agreed') : t('sc.open'))),
      big ? h('div', { class: 'big' }, big) : null,
      ev ? [h('blockquote', { class: 'quote', lang: langAttr(sc.lang) }, ev.quote), h('div', { class: 'where small muted' }, this.turnLink(ev.call, ev.turn, t('sc.at_turn', { c: ev.call, t: ev.turn })))] : null);
    return h('section', { class: 'card', 'aria-labelledby': 'ms-h' },
      h('div', { class: 'card-head' }, h('h2', { id: 'ms-h' }, icon('flag'), t('sc.milestones')), h('p', null, t('sc.milestones_lead'))),
      h('div', { class: 'card-body stack' },
        h('div', { class: 'ms-cards' }, MILESTONES.map(msCard)),
        h('div', { class: 'commit-grid' },
          commit('price', c.price, c.price_evidence, c.price && c.agreed_price ? fmtMoney(c.agreed_price, currency) : null),
          commit('time', c.time, c.time_evidence, null)),
        c.postponed ? h('div', { class: 'banner banner-warning' }, icon('clock', 18), t('sc.postponed', { n: c.postponed })) : null));
  }

  // pace shows the calls and turns the deal took to each milestone beside
  // the team's median on the same persona (the lecture: unclear milestones
  // make more and longer calls).
  pace() {
    const sc = this.sc;
    const team = this.teamPace;
    // Scorecards stored before turns_to existed: count the earlier calls.
    const turnsTo = (r) => r.turns_to || (sc.calls_detail || []).filter((cd) => cd.call < r.call).reduce((a, cd) => a + cd.turns, r.turn || 0);
    const rows = MILESTONES.map((m) => {
      const r = sc.milestones?.[m] || {};
      const turns = r.reached ? turnsTo(r) : 0;
      const tm = (team?.milestones || []).find((x) => x.milestone === m);
      let cmp = null;
      if (r.reached && tm?.reached > 1) {
        if (turns > tm.median_turns * PACE_SLOWER) cmp = h('span', { class: 'pill pill-warning' }, t('sc.pace_slower'));
        else if (turns < tm.median_turns * PACE_FASTER) cmp = h('span', { class: 'pill pill-success' }, t('sc.pace_faster'));
      }
      return h('tr', { 'data-testid': `pace-${m}` },
        h('th', { scope: 'row' }, msName(m)),
        h('td', { 'data-testid': `pace-${m}-deal` }, r.reached ? t('sc.pace_value', { c: r.call, t: turns }) : h('span', { class: 'muted' }, t('sc.not_reached_yet')), cmp ? ' ' : null, cmp),
        h('td', { 'data-testid': `pace-${m}-team` }, tm?.reached
          ? [t('sc.pace_median', { c: fmtNum(tm.median_calls, 1), t: fmtNum(tm.median_turns, 1) }), h('div', { class: 'small muted' }, t('sc.pace_of', { r: tm.reached, n: team.deals }))]
          : h('span', { class: 'muted' }, t('sc.pace_none', { n: team?.deals ?? 0 }))));
    });
    return h('section', { class: 'card', 'aria-labelledby': 'pace-h', 'data-testid': 'pace' },
      h('div', { class: 'card-head' }, h('h2', { id: 'pace-h' }, icon('clock'), t('sc.pace')), h('p', null, t('sc.pace_lead'))),
      h('div', { class: 'card-body' }, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, t('sc.pace_label')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col.milestone')), h('th', { scope: 'col' }, t('sc.pace_this')), h('th', { scope: 'col' }, t('sc.pace_team')))),
        h('tbody', null, rows)))));
  }

  callsCard() {
    const sc = this.sc;
    const turns = sc.transcript || [];
    const items = (sc.calls_detail || []).map((cd) => {
      const order = cd.stages || [];
      const endedBy = cd.ended_by ? t(`ended.${cd.ended_by}`) : t('ended.live');
      return h('div', { class: 'call-item', 'data-testid': `call-${cd.call}` },
        h('div', { class: 'head' },
          h('b', null, t('call.call_n', { n: cd.call })),
          h('span', { class: 'pill pill-primary' }, icon('target', 12), `${msName(cd.goal)}${msLabel(this.scenario, cd.goal, cd.goal_label) ? ' — ' + msLabel(this.scenario, cd.goal, cd.goal_label) : ''}`),
          h('span', { class: `pill ${cd.goal_reached ? 'pill-success' : 'pill-warning'}`, 'data-testid': `goal-reached-${cd.call}`, 'data-reached': cd.goal_reached ? 'true' : 'false' },
            icon(cd.goal_reached ? 'check' : 'x', 12), t(cd.goal_reached ? 'call.goal_reached_n' : 'call.goal_missed_n', { n: cd.call })),
          h('span', { class: 'grow' }),
          h('span', { class: 'small muted' }, `${endedBy} · ${t('sc.speaking_time_v', { d: fmtDuration(cd.duration_sec) })} · ${t('sc.n_turns', { n: cd.turns })}`)),
        h('div', { class: 'stage-chevrons', role: 'list', 'aria-label': t('sc.stage_order') }, STAGES.map((s) => {
          const i = order.indexOf(s);
          return h('div', { class: `chev ${s}${i >= 0 ? ' on' : ''}`, role: 'listitem', title: stageName(s) },
            h('span', { class: 'ord' }, i >= 0 ? String(i + 1) : '–'), h('span', { class: 'nm' }, stageName(s)));
        })),
        stageStrip({
          turns: turns.filter((x) => x.call === cd.call),
          stageName, milestoneName: msName,
          label: t('sc.timeline_label', { n: cd.call }),
        }),
        h('div', { class: 'row-between small' },
          stageOrderPill(cd),
          cd.next_step ? h('span', { class: 'pill pill-info' }, icon('clock', 12), t('sc.next_step_agreed')) : null));
    });
    return h('section', { class: 'card', 'aria-labelledby': 'calls-h' },
      h('div', { class: 'card-head' }, h('h2', { id: 'calls-h' }, icon('phone'), t('sc.calls_title')), h('p', null, t('sc.calls_lead'))),
      h('div', { class: 'card-body stack' },
        h('div', { class: 'legend', 'aria-hidden': 'true' },
          STAGES.map((s) => h('span', null, h('i', { style: { background: `var(--st-${s})` } }), stageName(s))),
          MILESTONES.map((m) => h('span', null, h('i', { style: { background: `var(--ms-${m})`, 'border-radius': '50%' } }), msName(m)))),
        h('div', { class: 'call-list' }, items)));
  }

  talk() {
    const tk = this.sc.talk || {};
    return h('section', { class: 'card', 'aria-labelledby': 'talk-h', 'data-testid': 'talk' },
      h('div', { class: 'card-head' }, h('h2', { id: 'talk-h' }, icon('message'), t('sc.talk'))),
      h('div', { class: 'card-body stack' },
        h('div', { class: 'stack-sm' },
          h('div', { class: 'row-between' }, h('span', { class: 'field-label' }, t('sc.talk_share')), h('b', { class: 'tabnum' }, fmtPct(tk.trainee_share))),
          shareBar({ value: tk.trainee_share, reference: tk.reference_share, label: t('sc.talk_share_label', { v: fmtPct(tk.trainee_share), r: fmtPct(tk.reference_share) }), refLabel: t('sc.reference', { v: fmtPct(tk.reference_share) }) })),
        h('div', { class: 'stack-sm' },
          h('div', { class: 'row-between' }, h('span', { class: 'field-label' }, t('sc.questions')), h('b', { class: 'tabnum' }, String(tk.questions ?? 0))),
          // The question reference is scaled to the call's speaking time: a
          // guide to read beside its source, not a target missed.
          rangeBar({ value: tk.questions || 0, min: tk.reference_questions_min, max: tk.reference_questions_max, neutral: true, label: t('sc.questions_label', { v: tk.questions || 0, a: tk.reference_questions_min ?? 0, b: tk.reference_questions_max ?? 0 }), refLabel: t('sc.reference_range', { a: tk.reference_questions_min ?? 0, b: tk.reference_questions_max ?? 0 }) }),
          h('p', { class: 'hint-text', 'data-testid': 'questions-source' }, !tk.reference_source || /gong/i.test(tk.reference_source)
            ? t('sc.source_gong', { v: fmtPct(tk.reference_share), a: tk.reference_questions_min ?? 0, b: tk.reference_questions_max ?? 0, m: fmtDuration(tk.speaking_sec || 0) })
            : t('sc.source', { s: tk.reference_source }))),
        h('div', { class: 'row-between small' }, h('span', { class: 'muted' }, t('sc.discovery_q')), h('b', { class: 'tabnum' }, String(tk.discovery_questions ?? 0)))));
  }

  findings() {
    const list = this.sc.findings || [];
    const sevIcon = { good: 'star', info: 'info', warning: 'alert', problem: 'alert' };
    const order = { problem: 0, warning: 1, info: 2, good: 3 };
    const sorted = [...list].sort((a, b) => (order[a.severity] ?? 9) - (order[b.severity] ?? 9));
    return h('section', { class: 'card', 'aria-labelledby': 'f-h' },
      h('div', { class: 'card-head' }, h('h2', { id: 'f-h' }, icon('bulb'), t('sc.findings')), h('p', null, t('sc.findings_lead'))),
      h('div', { class: 'card-body' }, sorted.length ? h('div', { class: 'findings' }, sorted.map((f) => h('article', { class: `finding sev-${f.severity}`, 'data-code': f.code },
        h('span', { class: 'sev', role: 'img', 'aria-label': t(`sev.${f.severity}`) }, icon(sevIcon[f.severity] || 'info', 16)),
        h('div', null,
          h('b', null, findingName(f.code)),
          // In the reader's language when the scorecard has it.
          h('p', { class: 'msg-text', lang: langAttr(f.texts?.[getLang()] ? getLang() : this.sc.lang) }, f.texts?.[getLang()]?.message || f.message),
          (f.texts?.[getLang()]?.advice || f.advice) ? h('div', { class: 'advice' }, icon('bulb', 15),
            h('span', { lang: langAttr(f.texts?.[getLang()] ? getLang() : this.sc.lang) }, f.texts?.[getLang()]?.advice || f.advice)) : null,
          f.turn || f.call ? h('div', { style: { 'margin-top': '6px' } }, this.turnLink(f.call, f.turn, t('sc.at_turn', { c: f.call, t: f.turn }))) : null),
        f.points ? h('span', { class: `pts ${f.points < 0 ? 'neg' : 'pos'}` }, f.points > 0 ? `+${f.points}` : String(f.points)) : h('span')))) : h('p', { class: 'muted' }, t('sc.no_findings'))));
  }

  // itemName names a breakdown line; a milestone's line says the scenario's
  // name for it, with the method's meaning beside it.
  itemName(b) {
    const m = { need: 'need', need_waived: 'need', offer: 'offer', offer_surface: 'offer', price: 'deal', time: 'deal' }[b.item];
    const label = m ? msLabel(this.scenario, m, '') : '';
    return label ? `${label} — ${breakdownName(b)}` : breakdownName(b);
  }

  // breakdown lists every line of the score, the floor line included:
  // scored lines with their maximum, then the adjustments (deductions, the
  // floor at 0), then their sum, which is the scorecard's score.
  breakdown() {
    const rows = this.sc.score_breakdown || [];
    if (!rows.length) return null;
    const last = this.overrides[this.overrides.length - 1];
    const sum = rows.reduce((a, b) => a + (b.points || 0), 0);
    const signed = (v) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : '0');
    return h('section', { class: 'card', 'aria-labelledby': 'bd-h', 'data-testid': 'breakdown' },
      h('div', { class: 'card-head' }, h('h2', { id: 'bd-h' }, icon('chart'), t('sc.breakdown')), h('p', null, t('sc.breakdown_lead'))),
      h('div', { class: 'card-body breakdown' },
        rows.map((b) => (b.max
          ? h('div', { class: 'bd-row', 'data-item': b.item, 'data-points': String(b.points) },
            h('span', null, this.itemName(b)),
            h('div', { class: 'bd-bar', 'aria-hidden': 'true' }, h('i', { style: { width: `${Math.max(0, Math.min(100, (b.points / b.max) * 100))}%` } })),
            h('span', { class: 'v' }, t('sc.points_of', { p: b.points, m: b.max })))
          : h('div', { class: `bd-row bd-adjust ${b.points < 0 ? 'neg' : b.points > 0 ? 'pos' : ''}`, 'data-item': b.item, 'data-points': String(b.points) },
            h('span', null, this.itemName(b)),
            h('span', { class: 'v' }, signed(b.points))))),
        h('div', { class: 'bd-row bd-total', 'data-testid': 'breakdown-total', 'data-points': String(sum) },
          h('span', null, this.sc.over ? t('sc.deal_score') : t('sc.deal_score_so_far')),
          h('span', { class: 'v' }, t('sc.points_of', { p: sum, m: 100 }))),
        // A coach's override replaces the score, not its lines.
        last ? h('p', { class: 'hint-text' }, t('sc.breakdown_overridden', { n: last.score, who: last.author })) : null));
  }

  hidden() {
    const sc = this.sc;
    const ph = this.persona?.hidden;
    const fromPersona = ph && this.isCoach;
    let hd = sc.hidden;
    if (!hd && fromPersona) {
      // A coach sees the hidden state through the persona before the deal
      // is over; whether each objection came up is not known yet.
      hd = {
        urgency: ph.urgency, budget: ph.budget, max_budget: ph.max_budget, decides_alone: ph.decides_alone,
        objections: (this.persona.objections || []).map((o) => ({ id: o.id, kind: o.kind, line: (o.lines?.[sc.lang] || o.lines?.en || [])[0] || '', unknown: true })),
      };
    }
    const head = h('div', { class: 'card-head' }, h('h2', { id: 'hid-h' }, icon('eye'), t('sc.hidden')),
      hd && !sc.over ? h('span', { class: 'pill pill-info' }, t('sc.coach_only')) : null);
    if (!hd) {
      return h('section', { class: 'card', 'aria-labelledby': 'hid-h', 'data-testid': 'hidden-locked' }, head,
        h('div', { class: 'card-body' }, h('div', { class: 'locked' }, icon('lock', 22), h('p', null, t('sc.hidden_locked')))));
    }
    // Profile texts in the interface language when the persona has them
    // (coaches); the revealed scorecard has them in the deal's language.
    const text = (key) => (fromPersona && tx(ph[key])
      ? { v: tx(ph[key]) }
      : { v: hd[key] || '', lang: langAttr(sc.lang) });
    const motive = text('motive');
    const need = text('surface_need');
    const cur = this.scenario?.currency;
    const objections = hd.objections || [];
    return h('section', { class: 'card hidden-card', 'aria-labelledby': 'hid-h', 'data-testid': 'hidden-state' }, head,
      h('div', { class: 'card-body' }, h('dl', { class: 'hidden-grid' },
        h('div', null, h('dt', null, t('hid.urgency')), h('dd', null, h('span', { class: `urg urg-${hd.urgency}` }, urgencyName(hd.urgency)))),
        h('div', null, h('dt', null, t('hid.decides_alone')), h('dd', null, hd.decides_alone ? t('app.yes') : t('app.no'))),
        h('div', { class: 'wide' }, h('dt', null, t('hid.motive')), motive.v ? h('dd', { lang: motive.lang }, motive.v) : h('dd', null, t('hid.no_motive'))),
        h('div', { class: 'wide' }, h('dt', null, t('hid.surface_need')), h('dd', { lang: need.v ? need.lang : null }, need.v || '—')),
        h('div', null, h('dt', null, t('hid.budget')), h('dd', { class: 'tabnum' }, fmtMoney(hd.budget, cur))),
        h('div', null, h('dt', null, t('hid.max_budget')), h('dd', { class: 'tabnum' }, fmtMoney(hd.max_budget, cur)))),
      h('div', { class: 'objections-block' },
        h('h3', { class: 'field-label', id: 'obj-h' }, t('hid.objections')),
        objections.length
          ? [h('p', { class: 'hint-text' }, t('obj.lead')),
            h('ul', { class: 'objections', 'aria-labelledby': 'obj-h', 'data-testid': 'objections' }, objections.map((o) => objectionItem(o, sc.lang)))]
          : h('p', { class: 'muted small' }, t('obj.none')))));
  }

  followup() {
    const sc = this.sc;
    const live = this.liveCall();
    const labels = {};
    for (const m of MILESTONES) labels[m] = msLabel(this.scenario, m, sc.milestones?.[m]?.label);
    const reached = {};
    for (const m of MILESTONES) reached[m] = sc.milestones?.[m]?.reached;
    // Never preset to a milestone already reached: with all of them
    // reached, the trainee picks.
    let goal = MILESTONES.find((m) => !reached[m] && sc.milestones?.[m]?.required !== false) || '';
    const won = sc.outcome === 'deal' || sc.outcome === 'qualified_out';
    const dialBtn = h('button', { type: 'button', class: won ? 'btn' : 'btn btn-success', 'data-testid': 'dial-followup', disabled: !goal, onclick: () => { if (goal) this.app.navigate(`#/call/${this.deal.id}?goal=${goal}`); } }, icon('phone', 16), t('deal.dial_followup'));
    return h('section', { class: 'card', id: 'followup', 'aria-labelledby': 'fu-h', 'data-testid': 'followup' },
      h('div', { class: 'card-head' }, h('h2', { id: 'fu-h' }, icon('phone'), t('deal.followup'))),
      h('div', { class: 'card-body followup' },
        live ? h('p', { class: 'small muted' }, t('deal.call_still_live')) : [
          h('p', { class: 'small muted' }, t('deal.followup_lead')),
          h('span', { class: 'field-label' }, t('deal.followup_goal')),
          h('div', { style: { display: 'grid' } }, goalOptions('fu-goal', goal, labels, (m) => { goal = m; dialBtn.disabled = false; }, reached)),
          dialBtn,
        ],
        live ? h('a', { class: 'btn btn-success', href: `#/call/${this.deal.id}` }, icon('phone', 16), t('deal.return_to_call')) : null,
        h('div', { class: 'lecture-tip' }, icon('bulb', 18), h('div', null, t('plan.tip')))));
  }

  overrideCard() {
    const cur = this.effectiveScore();
    const scoreIn = h('input', { class: 'input', type: 'number', min: 0, max: 100, step: 1, value: String(cur), required: true, id: 'ov-score', 'data-testid': 'override-score' });
    const reasonIn = h('textarea', { class: 'input', rows: 3, required: true, maxlength: 2000, id: 'ov-reason', 'data-testid': 'override-reason', placeholder: t('review.reason_ph') });
    const err = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'override-submit' }, t('review.override_submit'));
    const form = h('form', {
      class: 'stack-sm', novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        err.hidden = true;
        const score = Number(scoreIn.value);
        const reason = reasonIn.value.trim();
        if (!Number.isInteger(score) || score < 0 || score > 100) { mount(err, icon('alert', 16), t('review.score_range')); err.hidden = false; scoreIn.focus(); return; }
        if (!reason) { mount(err, icon('alert', 16), t('review.reason_required')); err.hidden = false; reasonIn.focus(); return; }
        btn.disabled = true;
        try {
          const res = await this.app.api.addOverride(this.deal.id, score, reason);
          this.overrides.push(res.override);
          this.app.toast(t('review.override_saved'), 'success');
          this.render();
        } catch (ex) {
          mount(err, icon('alert', 16), this.app.errorText(ex));
          err.hidden = false;
          btn.disabled = false;
        }
      },
    },
    field(t('review.new_score'), scoreIn, t('review.original', { n: this.sc.score })),
    field(t('review.reason'), reasonIn),
    err, btn);
    return h('section', { class: 'card', 'aria-labelledby': 'ov-h', 'data-testid': 'override-card' },
      h('div', { class: 'card-head' }, h('h2', { id: 'ov-h' }, icon('edit'), t('review.override'))),
      h('div', { class: 'card-body stack' },
        form,
        this.overrides.length ? h('div', { class: 'stack-sm' },
          h('span', { class: 'field-label' }, t('review.history')),
          [...this.overrides].reverse().map((o) => h('div', { class: 'comment', 'data-testid': 'override-entry' },
            h('div', { class: 'by' }, h('span', null, `${o.author} · ${o.score}`), h('span', { class: 'muted' }, fmtDate(o.created_at))),
            h('div', null, o.reason)))) : null));
  }

  turnLink(call, turn, label) {
    return h('button', {
      type: 'button', class: 'btn btn-ghost btn-sm', style: { height: '26px', padding: '0 6px' },
      onclick: () => this.showTurn(call, turn),
    }, icon('arrow', 13), label);
  }

  transcript() {
    const sc = this.sc;
    const turns = sc.transcript || [];
    const name = personaName(this.persona) || this.deal.persona_name;
    const trainee = this.isOwner ? t('tr.you') : (this.deal.user_name || this.deal.username);
    const out = [];
    let call = 0;
    for (const tr of turns) {
      if (tr.call !== call) {
        call = tr.call;
        const cd = (sc.calls_detail || [])[call - 1];
        out.push(h('div', { class: 'call-sep' }, `${t('call.call_n', { n: call })}${cd ? ' · ' + msName(cd.goal) : ''}`));
      }
      out.push(this.turnEl(tr, name, trainee));
    }
    return h('section', { class: 'card', 'aria-labelledby': 'tr-h', 'data-testid': 'transcript' },
      h('div', { class: 'card-head' }, h('h2', { id: 'tr-h' }, icon('message'), t('sc.transcript')),
        this.canReview ? h('p', null, t('review.comment_lead')) : null),
      h('div', { class: 'card-body transcript' }, out));
  }

  turnEl(tr, name, trainee) {
    const comments = this.comments.filter((c) => c.call === tr.call && c.turn === tr.turn);
    const commentsEl = h('div', { class: 'comments' }, comments.map((c) => commentEl(c)));
    const lines = h('div', { class: 'lines' });
    if (tr.trainee) {
      lines.append(h('div', { class: 'tline trainee' }, h('span', { class: 'who' }, trainee), h('span', { class: 'txt', lang: langAttr(this.sc.lang) }, tr.trainee)));
    }
    if (tr.customer) {
      lines.append(h('div', { class: 'tline customer' }, h('span', { class: 'who' }, name), h('span', { class: 'txt', lang: langAttr(this.sc.lang) }, tr.customer)));
      // What the trainee read, when the LLM voice reworded the engine's line.
      if (tr.shown) lines.append(h('div', { class: 'tline shown', 'data-testid': 'shown-line' }, h('span', { class: 'who' }, t('sc.shown')), h('span', { class: 'txt', lang: langAttr(this.sc.lang) }, tr.shown)));
      // The voice's rewording was dropped: the persona's own line was shown.
      if (tr.voice_reason) lines.append(h('div', { class: 'tline shown small muted', 'data-testid': 'voice-dropped' }, h('span', { class: 'who' }, t('sc.voice')), h('span', { class: 'txt' }, t('sc.voice_dropped', { r: tr.voice_reason }))));
    }
    const marks = h('div', { class: 'tmarks' },
      tr.stage ? h('span', { class: `stage-chip ${tr.stage}` }, stageName(tr.stage)) : null,
      (tr.acts || []).filter((a) => a !== 'other' || tr.acts.length === 1).map((a) => h('span', { class: 'act-chip', 'data-act': a }, actName(a))),
      (tr.milestones || []).map((m) => h('span', { class: `ms-flag ${m}` }, icon('flag', 11), msName(m))),
      tr.trust || tr.patience ? h('span', { class: 'meter', title: t('tr.meters') }, `${t('tr.trust')} ${tr.trust} · ${t('tr.patience')} ${tr.patience}`) : null);
    if (marks.childElementCount) lines.append(marks);
    lines.append(commentsEl);
    if (this.canReview) {
      const btn = h('button', { type: 'button', class: 'btn btn-ghost add-comment', 'data-testid': `comment-${tr.call}-${tr.turn}`, 'aria-label': t('review.comment_on', { c: tr.call, t: tr.turn }) }, icon('message', 13), t('review.comment'));
      btn.addEventListener('click', () => {
        btn.hidden = true;
        const ta = h('textarea', { class: 'input', rows: 2, maxlength: 4000, 'aria-label': t('review.comment_on', { c: tr.call, t: tr.turn }), 'data-testid': 'comment-text' });
        const save = h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'comment-save' }, t('review.save'));
        const form = h('form', {
          class: 'comment-form',
          onsubmit: async (e) => {
            e.preventDefault();
            const text = ta.value.trim();
            if (!text) { ta.focus(); return; }
            save.disabled = true;
            try {
              const res = await this.app.api.addComment(this.deal.id, tr.call, tr.turn, text);
              this.comments.push(res.comment);
              commentsEl.append(commentEl(res.comment));
              form.remove();
              btn.hidden = false;
              this.app.toast(t('review.comment_saved'), 'success', 2500);
            } catch (ex) {
              this.app.toast(this.app.errorText(ex), 'error');
              save.disabled = false;
            }
          },
        }, ta, h('div', { class: 'stack-sm' }, save,
          h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => { form.remove(); btn.hidden = false; btn.focus(); } }, t('app.cancel'))));
        lines.append(form);
        ta.focus();
      });
      lines.append(btn);
    }
    return h('div', { class: 'tturn', id: `turn-${tr.call}-${tr.turn}`, tabindex: '-1', 'data-testid': 'turn' },
      h('span', { class: 'tn' }, tr.turn === 0 ? '↗' : `#${tr.turn}`), lines);
  }
}

// stageOrderPill says whether a call went through the stages in order.
// Only a call that began with the opening and never went back is in order
// (the server's stages_in_order); a call with no stage is neither.
function stageOrderPill(cd) {
  const ordered = cd.stages_in_order && (cd.stages || [])[0] === 'opening';
  if (!(cd.stages || []).length) return h('span', { class: 'pill', 'data-testid': `stage-order-${cd.call}`, 'data-in-order': 'false' }, t('sc.no_stages'));
  return h('span', { class: `pill ${ordered ? 'pill-success' : 'pill-warning'}`, 'data-testid': `stage-order-${cd.call}`, 'data-in-order': ordered ? 'true' : 'false' },
    icon(ordered ? 'check' : 'alert', 12), ordered ? t('sc.in_order') : cd.stages[0] !== 'opening' ? t('sc.not_from_opening') : t('sc.out_of_order'));
}

function commentEl(c) {
  return h('div', { class: 'comment', 'data-testid': 'comment' },
    h('div', { class: 'by' }, icon('message', 12), h('span', null, c.author), h('span', { class: 'muted' }, fmtDate(c.created_at))),
    h('div', null, c.text));
}

// objectionItem shows one revealed objection: its kind, the customer's
// words (in the deal's language) and what became of it in the deal.
function objectionItem(o, lang) {
  // Older scorecards list only objection ids, without what became of them.
  if (typeof o === 'string') o = { id: o, unknown: true };
  const known = !o.unknown && (o.raised !== undefined || o.resolved !== undefined);
  const state = !known ? '' : o.resolved ? 'resolved' : o.raised ? 'open' : 'never';
  const badge = {
    resolved: ['pill-success', 'check', t('obj.resolved')],
    open: ['pill-warning', 'alert', t('obj.open')],
    never: ['', 'dot', t('obj.never')],
  }[state];
  return h('li', { class: `objection${state ? ' obj-' + state : ''}`, 'data-objection': o.id || null, 'data-state': state || null },
    h('div', { class: 'obj-head' },
      h('b', null, o.kind ? objectionKind(o.kind) : String(o.id || '').replace(/[-_]/g, ' ')),
      badge ? h('span', { class: `pill ${badge[0]}` }, badge[1] === 'dot' ? null : icon(badge[1], 12), badge[2]) : null),
    o.line ? h('blockquote', { class: 'quote obj-line', lang: langAttr(lang) }, o.line) : null,
    state === 'open' ? h('p', { class: 'obj-tip' }, t('obj.open_tip')) : null,
    state === 'never' ? h('p', { class: 'obj-tip' }, t('obj.never_tip')) : null);
}
