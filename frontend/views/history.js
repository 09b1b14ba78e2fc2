// views/history.js — my past deals and my scores over time.

import { h, mount, icon } from '../dom.js';
import { t } from '../i18n.js';
import { lineChart } from '../charts.js';
import {
  pageHead, loading, fmtDate, fmtDay, outcomeChip, scoreChip, emptyState, fmtNum, dealPersonaName, dealStatus, statusPill,
  continueHref, overriddenLegend,
} from './common.js';

export async function renderHistory(app, root) {
  document.title = `${t('nav.history')} · callsim`;
  const head = pageHead({ eyebrow: t('history.eyebrow'), title: t('history.title'), lead: t('history.lead'),
    actions: h('a', { class: 'btn btn-primary', href: '#/practice' }, icon('phone', 16), t('deal.new_deal')) });
  mount(root, head, loading());
  let deals, personas;
  try {
    const [d, p] = await Promise.all([
      app.api.deals({ user: app.user.id, sort: 'date', limit: 500 }),
      app.api.personas().catch(() => ({ personas: [] })),
    ]);
    deals = d.deals || [];
    personas = p.personas || [];
  } catch (e) {
    mount(root, head, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e)));
    return;
  }
  const played = deals.filter((d) => d.calls > 0);
  // Scores are averaged over finished deals: an open deal's score is only
  // a score so far, and would drag the average down.
  const finished = played.filter((d) => d.over);
  const open = played.length - finished.length;
  const chrono = [...finished].reverse();
  const avg = finished.length ? finished.reduce((a, d) => a + d.score, 0) / finished.length : 0;
  const closed = played.filter((d) => d.outcome === 'deal').length;
  const avgCalls = played.length ? played.reduce((a, d) => a + d.calls, 0) / played.length : 0;
  const recent = chrono.slice(-5);
  const recentAvg = recent.length ? recent.reduce((a, d) => a + d.score, 0) / recent.length : 0;

  const kpi = (label, value, sub, ic) => h('div', { class: 'card kpi' },
    h('div', { class: 'label' }, icon(ic, 15), label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);

  const chart = lineChart({
    labels: chrono.map((d) => fmtDay(d.created_at)),
    series: [{ name: t('col.score'), values: chrono.map((d) => d.score) }],
    yMin: 0, yMax: 100, label: t('history.chart_label', { n: chrono.length }), empty: t('history.no_deals'), width: 1100, height: 260,
  });

  mount(root, head,
    h('div', { class: 'grid grid-4', style: { 'margin-bottom': '20px' } },
      kpi(t('history.kpi_deals'), String(played.length), null, 'phone'),
      kpi(t('history.kpi_avg'), finished.length ? fmtNum(avg, 0) : '—',
        [t('history.kpi_avg_sub', { n: finished.length }), open ? ` · ${t('stats.open_n', { n: open })}` : '', finished.length > 5 ? ` · ${t('history.kpi_recent', { n: fmtNum(recentAvg, 0) })}` : ''].join(''), 'chart'),
      kpi(t('history.kpi_closed'), String(closed), played.length ? t('history.kpi_rate', { p: Math.round((closed / played.length) * 100) }) : null, 'flag'),
      kpi(t('history.kpi_calls'), played.length ? fmtNum(avgCalls, 1) : '—', t('history.kpi_calls_sub'), 'clock')),
    h('section', { class: 'card', style: { 'margin-bottom': '20px' }, 'aria-labelledby': 'hc-h' },
      h('div', { class: 'card-head' }, h('h2', { id: 'hc-h' }, icon('chart'), t('history.chart'))),
      h('div', { class: 'card-body' }, chrono.length ? chart : emptyState(t('history.no_deals'), 'chart'))),
    h('section', { class: 'card', 'aria-labelledby': 'ht-h' },
      h('div', { class: 'card-head' }, h('h2', { id: 'ht-h' }, icon('message'), t('history.deals'))),
      deals.length ? [h('div', { class: 'table-wrap', style: { 'margin-top': '12px' } }, h('table', { class: 'table table-cards', 'data-testid': 'history-table' },
        h('caption', { class: 'sr-only' }, t('history.deals')),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('col.date')), h('th', { scope: 'col' }, t('col.persona')), h('th', { scope: 'col' }, t('col.outcome')),
          h('th', { scope: 'col' }, t('col.status')), h('th', { scope: 'col', class: 'num' }, t('col.calls')),
          h('th', { scope: 'col', class: 'num' }, t('col.turns')), h('th', { scope: 'col', class: 'num' }, t('col.score')),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('col.actions'))))),
        h('tbody', null, deals.map((d) => h('tr', { 'data-deal': d.id },
          h('td', { class: 'nowrap card-sub' }, fmtDate(d.created_at)),
          h('td', { class: 'card-title' }, h('a', { class: 'rowlink', href: `#/deal/${d.id}` }, dealPersonaName(d, personas))),
          h('td', null, outcomeChip(d.outcome)),
          h('td', { class: 'card-end' }, statusPill(dealStatus(d))),
          h('td', { class: 'num card-hide' }, String(d.calls)),
          h('td', { class: 'num card-hide' }, String(d.turns)),
          h('td', { class: 'num card-score', 'data-label': t('col.score') }, scoreChip(d.score, d.overridden, !d.over)),
          h('td', { class: 'num card-action' }, d.over ? null
            : h('a', { class: 'btn btn-sm', href: continueHref(d), 'data-testid': `continue-${d.id}` }, t('practice.continue')))))))),
      deals.some((d) => d.overridden) ? overriddenLegend() : null]
        : h('div', { class: 'card-body' }, emptyState(t('history.no_deals'), 'phone'))));
}
