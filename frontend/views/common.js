// views/common.js — small pieces shared by the views: formatting, chips,
// page headers, refusals, and the label of every domain word.

import { h, icon } from '../dom.js';
import { t, getLang, tx } from '../i18n.js';
import { confirmDialog } from './account.js';

export const MILESTONES = ['need', 'offer', 'deal'];
export const STAGES = ['opening', 'discovery', 'solution', 'commitment'];

/** refusal is a full-page "you cannot see this" card. */
export function refusal(title, body, homeHref) {
  return h('section', { class: 'card refused', role: 'alert', 'data-testid': 'refused' },
    h('div', { class: 'big-ico' }, icon('lock', 30)),
    h('h1', null, title),
    h('p', { class: 'muted' }, body),
    h('a', { class: 'btn btn-primary', href: homeHref }, icon('back', 16), t('app.back_home')));
}

/** pageHead is a page title with an optional eyebrow, lead and actions. */
export function pageHead({ eyebrow, title, lead, actions, crumb }) {
  return h('div', { class: 'page-head' },
    h('div', null,
      crumb || null,
      eyebrow ? h('div', { class: 'eyebrow' }, eyebrow) : null,
      h('h1', null, title),
      lead ? h('p', null, lead) : null),
    actions ? h('div', { class: 'row' }, actions) : null);
}

/** loading is a placeholder while data loads. */
export function loading() {
  return h('div', { class: 'empty', role: 'status' }, h('span', { class: 'spinner' }), t('app.loading'));
}

export function locale() { return getLang() === 'zh' ? 'zh-CN' : 'en-GB'; }

export function fmtDate(iso, withTime = true) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(locale(), withTime
    ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { year: 'numeric', month: 'short', day: 'numeric' });
}

export function fmtDay(iso) {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return d.toLocaleDateString(locale(), { month: 'short', day: 'numeric' });
}

export function fmtDuration(sec) {
  const s = Math.max(0, Math.round(sec || 0));
  const m = Math.floor(s / 60), r = s % 60;
  return `${m}:${String(r).padStart(2, '0')}`;
}

export function fmtMoney(v, currency) {
  if (v == null) return '—';
  try {
    // "¥26,000" in both languages, not "CN¥" in English.
    return new Intl.NumberFormat(locale(), { style: 'currency', currency: currency || 'CNY', currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 }).format(v);
  } catch {
    return `${v} ${currency || ''}`.trim();
  }
}

export function fmtPct(v) { return `${Math.round((v || 0) * 100)}%`; }
export function fmtNum(v, digits = 1) {
  if (v == null || Number.isNaN(v)) return '—';
  return Number(v).toLocaleString(locale(), { maximumFractionDigits: digits });
}

export function msName(m) { return t(`ms.${m}`); }
export function stageName(s) { return t(`stage.${s}`); }
export function actName(a) { const k = `act.${a}`; const v = t(k); return v === k ? a : v; }
export function findingName(code) { const k = `finding.${code}`; const v = t(k); return v === k ? code.replace(/_/g, ' ') : v; }
export function objectionKind(kind) { const k = `objection.${kind}`; const v = t(k); return v === k ? String(kind || '').replace(/[-_]/g, ' ') : v; }
export function urgencyName(u) { const k = `urgency.${u}`; const v = t(k); return v === k ? String(u || '—') : v; }
/** breakdownName names a score line in the interface language (the server's label is in the deal's). */
export function breakdownName(b) { const k = `bd.${b.item}`; const v = t(k); return v === k ? b.label || b.item : v; }

/** langAttr is the lang attribute for text in a deal's language. */
export function langAttr(lang) { return lang === 'zh' ? 'zh-CN' : 'en'; }

/**
 * msLabel is the scenario's name for a milestone in the interface language;
 * without the scenario, the label the server sent (in the deal's language).
 */
export function msLabel(scenario, m, fallback) {
  return tx(scenario?.milestones?.[m]?.label) || fallback || '';
}

/** msLabels returns msLabel for every milestone. */
export function msLabels(scenario, fallback = {}) {
  const out = {};
  for (const m of MILESTONES) { const l = msLabel(scenario, m, fallback[m]); if (l) out[m] = l; }
  return out;
}

export function scoreTone(v) { return v >= 75 ? 'good' : v >= 50 ? 'ok' : 'low'; }

/**
 * scoreChip shows a deal's score: toned once the deal is finished, neutral
 * while it is open (a score so far); outlined when a coach overrode it.
 */
export function scoreChip(score, overridden, open = false) {
  const title = [open ? t('stats.score_so_far') : '', overridden ? t('deal.overridden') : ''].filter(Boolean).join(' · ');
  return h('span', {
    class: `score-chip ${open ? 'open' : scoreTone(score)}${overridden ? ' over' : ''}`,
    title: title || null, 'data-overridden': overridden ? 'true' : null,
  }, String(score ?? '—'), overridden ? h('span', { class: 'sr-only' }, ` (${t('deal.overridden')})`) : null);
}

/** overriddenLegend explains the outlined score of an overridden deal. */
export function overriddenLegend() {
  return h('p', { class: 'legend-line small muted', 'data-testid': 'override-legend' },
    h('span', { class: 'score-chip ok over', 'aria-hidden': 'true' }, '72'), t('stats.override_legend'));
}

/** dealStatus is where a deal stands: "live" (a call screen drives it), "open" or "finished". */
export function dealStatus(d) {
  if (d.over) return 'finished';
  return d.live ? 'live' : 'open';
}

/** statusPill shows a deal's status. */
export function statusPill(status) {
  const cls = { live: 'pill-info', open: 'pill-warning', finished: '' }[status] || '';
  return h('span', { class: `pill status-pill ${cls}`, 'data-status': status }, status === 'live' ? h('i', { class: 'dot', 'aria-hidden': 'true' }) : null, t(`status.${status}`));
}

/** continueHref is where a trainee takes up an open deal: its live call, else its scorecard. */
export function continueHref(d) { return d.in_call ? `#/call/${d.id}` : `#/deal/${d.id}`; }

export function outcomeChip(outcome) {
  const o = outcome || 'none';
  return h('span', { class: `outcome ${o}` }, h('i', { 'aria-hidden': 'true' }), t(`outcome.${o}`));
}

export function difficultyPill(d) {
  return h('span', { class: `pill pill-${d}` }, t(`difficulty.${d}`));
}

export function langPills(langs) {
  return (langs || []).map((l) => h('span', { class: 'pill pill-outline' }, t(`lang.${l}`)));
}

/** personaName picks the persona's name in the interface language. */
export function personaName(p) { return tx(p?.profile?.name) || p?.id || ''; }

/**
 * dealPersonaName names a deal's customer in the interface language: the
 * deal summary's persona_name is in the deal's language, so the name comes
 * from the persona list when the persona is in it.
 */
export function dealPersonaName(d, personas) {
  const p = (personas || []).find((x) => x.id === d.persona_id);
  return (p && personaName(p)) || d.persona_name || d.persona_id;
}

/** scenarioOf finds a scenario by id in a list. */
export function scenarioOf(scenarios, id) { return (scenarios || []).find((s) => s.id === id); }

export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', null, label), control, hint ? h('span', { class: 'hint-text' }, hint) : null);
}

export function emptyState(text, ic = 'info') {
  return h('div', { class: 'empty' }, icon(ic, 36), h('p', null, text));
}

/** goalOptions renders the milestone choice as radio cards. */
export function goalOptions(name, selected, labels, onChange, reached = {}) {
  return h('div', { class: 'goal-options', role: 'radiogroup', 'aria-label': t('plan.goal') },
    MILESTONES.map((m, i) => {
      const input = h('input', {
        type: 'radio', name, value: m, checked: selected === m,
        'data-testid': `goal-${m}`,
        onchange: () => onChange(m),
      });
      return h('label', { class: 'goal-option' },
        input,
        h('div', { class: 'grow' },
          h('b', null, `${i + 1}. ${msName(m)}`),
          // The scenario's label, unless it only repeats the milestone's name.
          h('span', null, labels?.[m] && labels[m] !== msName(m) ? labels[m] : t(`ms.${m}.desc`))),
        reached[m] ? h('span', { class: 'pill pill-success ms-num' }, icon('check', 12), t('plan.reached')) : null);
    }));
}

/**
 * confirmEndDeal asks, the same way wherever a deal can be ended, whether
 * to end it: no more calls, and the customer's hidden state is revealed.
 */
export function confirmEndDeal() {
  return confirmDialog({ title: t('deal.finish_title'), body: t('deal.finish_confirm'), ok: t('deal.finish') });
}

export { tx };
