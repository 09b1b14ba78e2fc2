// views/call-end.js — the end of a call on the call screen: why it ended,
// the verdict at once (the call's goal, the milestones it reached, the
// deal's score so far, the estimated speaking time, the two findings that
// matter most with the turn they point at) and what to do next.

import { h, mount, icon } from '../dom.js';
import { t, getLang } from '../i18n.js';
import {
  MILESTONES, msName, findingName, fmtDuration, goalOptions, langAttr, confirmEndDeal,
} from './common.js';

const SEV_RANK = { problem: 0, warning: 1 };

/**
 * topFindings returns the findings of call n that matter most: problems,
 * then warnings, the costliest first; with none of those, what went well.
 */
export function topFindings(sc, n, max = 2) {
  const mine = (sc?.findings || []).filter((f) => f.call === n);
  const bad = mine.filter((f) => f.severity in SEV_RANK)
    .sort((a, b) => SEV_RANK[a.severity] - SEV_RANK[b.severity] || (a.points || 0) - (b.points || 0) || (a.turn || 0) - (b.turn || 0));
  if (bad.length) return bad.slice(0, max);
  return mine.filter((f) => f.severity === 'good').slice(0, max);
}

/** endReason says why call end ended, in a sentence. */
export function endReason(end, name) {
  if (end.endedBy === 'customer') return t('call.ended_customer', { name });
  if (end.endedBy === 'limit') return t('call.ended_limit');
  return end.dealOver ? t('call.ended_finish') : t('call.ended_trainee');
}

/**
 * EndPanel is the panel under the conversation once a call has ended. Its
 * head (why the call ended) is made once per end, so that a later render —
 * the scorecard arriving, the scenario's labels loading — never replaces an
 * alert with a neutral line; the verdict and the actions are re-rendered.
 */
export class EndPanel {
  /**
   * @param {{session: import('./call-session.js').CallSession,
   *          labels: function(): object, name: function(): string,
   *          onDial: function(string)}} opts
   */
  constructor(opts) {
    this.o = opts;
    this.key = '';
    this.head = h('div', { class: 'end-head' });
    this.verdict = h('div', { class: 'verdict', 'data-testid': 'verdict' });
    this.actions = h('div', { class: 'end-actions', 'data-testid': 'end-actions' });
    this.el = h('section', { class: 'call-ended', hidden: true, 'data-testid': 'call-ended', 'aria-labelledby': 'end-h' },
      this.head, this.verdict, this.actions);
  }

  hide() { this.el.hidden = true; this.key = ''; }

  /** render shows the end of the session's last call. */
  render() {
    const s = this.o.session.state;
    const end = s.end;
    if (!end) { this.hide(); return; }
    const key = `${end.call}:${end.endedBy}:${end.dealOver}:${end.restored ? 'r' : ''}`;
    if (key !== this.key) {
      this.key = key;
      // A customer who hangs up is news: announce it once.
      const alert = end.endedBy === 'customer' && !end.restored;
      mount(this.head,
        h('span', { class: `end-ico ${end.endedBy}`, 'aria-hidden': 'true' }, icon(end.endedBy === 'trainee' ? 'check' : 'alert', 20)),
        h('div', { class: 'grow', role: alert ? 'alert' : null },
          h('h2', { id: 'end-h', tabindex: '-1', 'data-testid': 'end-reason', 'data-ended-by': end.endedBy }, endReason(end, this.o.name())),
          h('div', { class: 'small muted' }, t('call.call_over', { n: end.call }))));
    }
    this.renderVerdict();
    this.renderActions();
    this.el.hidden = false;
  }

  renderVerdict() {
    const { session } = this.o;
    const s = session.state;
    const n = s.end.call;
    const cd = session.callDetail(n);
    // The scorecard of this end comes after the end itself.
    if (!cd || !cd.ended_by) {
      this.verdict.dataset.ready = 'false';
      mount(this.verdict, h('div', { class: 'row small muted', role: 'status' }, h('span', { class: 'spinner' }), t('call.scoring')));
      return;
    }
    const sc = s.scorecard;
    const labels = this.o.labels();
    const goalName = `${MILESTONES.indexOf(cd.goal) + 1}. ${msName(cd.goal)}${labels[cd.goal] && labels[cd.goal] !== msName(cd.goal) ? ' — ' + labels[cd.goal] : ''}`;
    const reachedHere = cd.milestones || [];
    const top = topFindings(sc, n);
    const lang = getLang();
    Object.assign(this.verdict.dataset, {
      ready: 'true', call: String(n), goalReached: cd.goal_reached ? 'true' : 'false',
      score: String(sc.score ?? 0), speakingSec: String(cd.duration_sec ?? 0), milestones: reachedHere.join(' '),
      findings: top.map((f) => f.code).join(' '),
    });
    mount(this.verdict,
      h('div', { class: `verdict-goal ${cd.goal_reached ? 'ok' : 'missed'}`, 'data-testid': 'verdict-goal' },
        h('span', { class: 'status-ico', 'aria-hidden': 'true' }, icon(cd.goal_reached ? 'check' : 'x', 14)),
        h('div', null,
          h('b', null, t(cd.goal_reached ? 'call.goal_reached_n' : 'call.goal_missed_n', { n })),
          h('div', { class: 'small' }, `${t('call.goal')} ${goalName}`))),
      h('dl', { class: 'verdict-facts' },
        h('div', { 'data-testid': 'verdict-score' }, h('dt', null, s.over ? t('sc.deal_score') : t('sc.deal_score_so_far')), h('dd', null, String(sc.score ?? 0), h('span', { class: 'of' }, ' / 100'))),
        h('div', { 'data-testid': 'verdict-speaking' }, h('dt', null, t('sc.speaking_time')), h('dd', null, fmtDuration(cd.duration_sec))),
        h('div', null, h('dt', null, t('sc.turns')), h('dd', null, String(cd.turns ?? 0)))),
      h('div', { class: 'verdict-ms' },
        h('span', { class: 'field-label' }, t('call.ms_this_call')),
        reachedHere.length
          ? h('span', { class: 'row', style: { gap: '6px' } }, reachedHere.map((m) => h('span', { class: `ms-flag ${m}`, 'data-testid': `verdict-ms-${m}` }, icon('flag', 11), msName(m))))
          : h('span', { class: 'small muted' }, t('call.ms_none'))),
      top.length ? h('div', { class: 'verdict-findings' },
        h('span', { class: 'field-label' }, t('call.findings_top')),
        h('ul', null, top.map((f) => {
          const own = f.texts?.[lang];
          return h('li', { class: `vf sev-${f.severity}`, 'data-code': f.code },
            h('span', { class: 'sev', role: 'img', 'aria-label': t(`sev.${f.severity}`) }, icon(f.severity === 'good' ? 'star' : 'alert', 14)),
            h('div', { class: 'grow' },
              h('b', null, findingName(f.code)),
              h('p', { lang: langAttr(own ? lang : sc.lang) }, own?.message || f.message),
              f.turn ? h('a', { class: 'turn-link', href: `#/deal/${s.dealId}?turn=${f.call}-${f.turn}`, 'data-testid': 'verdict-turn' }, icon('arrow', 13), t('sc.at_turn', { c: f.call, t: f.turn })) : null));
        }))) : null);
  }

  renderActions() {
    const { session } = this.o;
    const s = session.state;
    const full = h('a', { class: 'btn', href: `#/deal/${s.dealId}`, 'data-testid': 'view-scorecard' }, icon('chart', 16), t('call.view_scorecard'));
    const next = h('a', { class: 'btn btn-ghost', href: '#/practice', 'data-testid': 'next-customer' }, icon('users', 16), t('call.next_customer'));
    if (s.over) {
      mount(this.actions, h('div', { class: 'row' },
        h('a', { class: 'btn btn-primary', href: `#/deal/${s.dealId}`, 'data-testid': 'see-hidden' }, icon('eye', 16), t('call.see_hidden')),
        next));
      return;
    }
    if (s.blocked) { mount(this.actions, h('div', { class: 'row' }, full)); return; }
    // Confirmed as everywhere a deal ends; then its scorecard, with the
    // customer's hidden state, is the next page.
    const finish = async (btn) => {
      if (!await confirmEndDeal()) return;
      btn.disabled = true;
      session.finish({ reveal: true });
    };
    const reached = session.reached();
    let goal = session.nextGoal();
    const dialBtn = h('button', {
      type: 'button', class: session.won() ? 'btn' : 'btn btn-success', 'data-testid': 'dial-followup', disabled: !goal,
      onclick: () => { if (goal) this.o.onDial(goal); },
    }, icon('phone', 16), t('deal.dial_followup'));
    const follow = h('div', { class: 'followup' },
      h('span', { class: 'field-label', id: 'fgoal-h' }, t('deal.followup_goal')),
      goalOptions('fgoal', goal, this.o.labels(), (g) => { goal = g; dialBtn.disabled = false; }, reached),
      h('div', { class: 'row' }, dialBtn));
    if (session.won()) {
      // Won: ending the deal (and seeing the customer's hidden state) is
      // what comes next; a follow-up is there, folded away.
      const endBtn = h('button', {
        type: 'button', class: 'btn btn-primary', 'data-testid': 'end-deal-reveal',
        onclick: (e) => finish(e.currentTarget),
      }, icon('eye', 16), t('call.finish_reveal'));
      mount(this.actions,
        h('div', { class: 'row' }, endBtn, next, full),
        h('details', { class: 'more-followup' }, h('summary', null, t('call.followup_anyway')), follow));
      return;
    }
    const endBtn = h('button', {
      type: 'button', class: 'btn btn-ghost', 'data-testid': 'end-deal',
      onclick: (e) => finish(e.currentTarget),
    }, icon('flag', 16), t('deal.finish'));
    mount(this.actions, follow, h('div', { class: 'row' }, full, endBtn));
  }
}
