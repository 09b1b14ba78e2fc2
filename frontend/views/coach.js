// views/coach.js — the coach's team desk: milestone funnel, a table per
// trainee, trends, and every deal of the team to filter, sort, open and
// export.

import { h, mount, icon, avatar } from '../dom.js';
import { t } from '../i18n.js';
import { funnelChart, lineChart, barChart } from '../charts.js';
import {
  MILESTONES, msName, pageHead, loading, fmtDate, fmtDay, outcomeChip, scoreChip, emptyState, fmtNum, findingName, field, personaName, dealPersonaName,
  dealStatus, statusPill, overriddenLegend,
} from './common.js';

const PAGE = 50;
// The period's deals are read in pages of this many (the API's largest),
// at most this many pages, to average finished deals apart from open ones.
const PERIOD_PAGE = 500;
const PERIOD_PAGES = 20;

/**
 * finishedStats averages the scores of finished deals only (an open deal's
 * score is a score so far: at 0 it would drag an average down) and counts
 * the open deals, overall, per trainee and per day (YYYY-MM-DD, as the
 * team's trend).
 */
function finishedStats(deals) {
  const blank = () => ({ n: 0, sum: 0, open: 0 });
  const all = blank();
  const byUser = new Map();
  const byDay = new Map();
  for (const d of deals) {
    const u = byUser.get(d.user_id) || blank();
    byUser.set(d.user_id, u);
    if (!d.over) { all.open++; u.open++; continue; }
    all.n++; all.sum += d.score; u.n++; u.sum += d.score;
    const day = String(d.created_at || '').slice(0, 10);
    const x = byDay.get(day) || blank();
    x.n++; x.sum += d.score;
    byDay.set(day, x);
  }
  const avg = (x) => (x && x.n ? x.sum / x.n : null);
  return { all, byUser, byDay, avg };
}

export async function renderCoach(app, root, _params, query) {
  document.title = `${t('nav.coach')} · callsim`;
  mount(root, pageHead({ eyebrow: t('coach.eyebrow'), title: t('coach.title') }), loading());

  let teams = [], personas = [];
  try {
    const [tr, pr] = await Promise.all([app.api.teams(), app.api.personas().catch(() => ({ personas: [] }))]);
    teams = tr.teams || [];
    personas = pr.personas || [];
  } catch (e) {
    mount(root, pageHead({ title: t('coach.title') }), h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e)));
    return null;
  }
  if (!teams.length) {
    mount(root, pageHead({ eyebrow: t('coach.eyebrow'), title: t('coach.title') }), h('div', { class: 'card' }, emptyState(t('coach.no_teams'), 'users')));
    return null;
  }

  const st = {
    team: teams.includes(query.get('team')) ? query.get('team') : (teams.includes(app.user.team) ? app.user.team : teams[0]),
    range: query.get('range') || '30',
    user: query.get('user') || '', persona: query.get('persona') || '', outcome: query.get('outcome') || '',
    sort: query.get('sort') || 'date',
  };
  let users = [];
  let pace = {}; // persona id → the team's pace on it, from the stats
  let alive = true;

  const statsEl = h('div', { class: 'stack', style: { gap: '20px' } }, loading());
  const dealsEl = h('section', { class: 'card', 'aria-labelledby': 'deals-h', 'data-testid': 'coach-deals' });
  const settingsEl = h('div', { class: 'row' });

  function dates() {
    if (st.range === 'all') return {};
    const days = Number(st.range) || 30;
    const from = new Date(Date.now() - (days - 1) * 86400000);
    return { from: from.toISOString().slice(0, 10) };
  }

  function dealFilter() {
    return { team: st.team, user: st.user, persona: st.persona, outcome: st.outcome, sort: st.sort, ...dates() };
  }

  function syncURL() {
    const q = new URLSearchParams();
    for (const k of ['team', 'range', 'user', 'persona', 'outcome', 'sort']) if (st[k]) q.set(k, st[k]);
    history.replaceState(null, '', `#/coach?${q}`);
  }

  // periodDeals reads every deal of the team in the period (a few pages),
  // or null when there are more than it reads.
  async function periodDeals() {
    const out = [];
    let cursor;
    for (let i = 0; i < PERIOD_PAGES; i++) {
      const r = await app.api.deals({ team: st.team, sort: 'date', limit: PERIOD_PAGE, ...dates() }, cursor);
      out.push(...(r.deals || []));
      cursor = r.next_cursor;
      if (!cursor) return out;
    }
    return null;
  }

  async function loadAll() {
    syncURL();
    mount(statsEl, loading());
    try {
      const [stats, u, s, period] = await Promise.all([
        app.api.teamStats(st.team, dates()),
        app.api.users({ team: st.team }).catch(() => ({ users: [] })),
        app.api.teamSettings(st.team).catch(() => null),
        periodDeals().catch(() => null),
      ]);
      if (!alive) return;
      users = (u.users || []).filter((x) => x.role === 'trainee' || stats.trainees?.some((r) => r.user_id === x.id));
      pace = Object.fromEntries((stats.pace || []).map((p) => [p.persona_id, p]));
      renderStats(stats, period ? finishedStats(period) : null);
      renderSettings(s);
    } catch (e) {
      mount(statsEl, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e)));
    }
    loadDeals();
  }

  function renderSettings(s) {
    if (!s) { mount(settingsEl); return; }
    const box = h('input', {
      type: 'checkbox', checked: !s.hints_disabled, 'data-testid': 'team-hints',
      onchange: async (e) => {
        box.disabled = true;
        try {
          await app.api.setTeamSettings(st.team, { hints_disabled: !e.target.checked });
          if (st.team === app.user.team && app.teamSettings) app.teamSettings.hints_disabled = !e.target.checked;
          app.toast(e.target.checked ? t('coach.hints_on_saved') : t('coach.hints_off_saved'), 'success', 3000);
        } catch (ex) {
          e.target.checked = !e.target.checked;
          app.toast(app.errorText(ex), 'error');
        }
        box.disabled = false;
      },
    });
    mount(settingsEl, h('label', { class: 'switch', title: t('coach.hints_help') }, box, h('span', { class: 'track', 'aria-hidden': 'true' }), t('coach.hints_allowed')));
  }

  // renderStats draws the team's figures; fin (finishedStats of the
  // period's deals, null when they could not all be read) separates the
  // scores of finished deals from the open ones.
  function renderStats(s, fin) {
    const f = s.funnel || { deals: 0, need: 0, offer: 0, deal: 0 };
    const trend = s.trend || [];
    const totalDeals = trend.reduce((a, p) => a + p.deals, 0);
    const avg = fin ? fin.avg(fin.all) : (totalDeals ? trend.reduce((a, p) => a + p.avg_score * p.deals, 0) / totalDeals : null);
    const avgSub = fin
      ? [t('coach.kpi_avg_finished', { n: fin.all.n }), fin.all.open ? t('stats.open_n', { n: fin.all.open }) : ''].filter(Boolean).join(' · ')
      : t('coach.kpi_avg_sub');
    const pct = (n) => (f.deals ? `${Math.round((n / f.deals) * 100)}%` : '—');
    const kpi = (label, value, sub, ic, testid) => h('div', { class: 'card kpi', 'data-testid': testid || null },
      h('div', { class: 'label' }, icon(ic, 15), label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);

    const funnel = funnelChart({
      label: t('coach.funnel_label', { d: f.deals, n: f.need, o: f.offer, c: f.deal }),
      steps: [
        { label: t('coach.funnel_deals'), value: f.deals, color: '#9aa7c7' },
        { label: t('ms.need'), value: f.need, color: 'var(--ms-need)' },
        { label: t('ms.offer'), value: f.offer, color: 'var(--ms-offer)' },
        { label: t('ms.deal'), value: f.deal, color: 'var(--ms-deal)' },
      ],
    });

    const trainees = s.trainees || [];
    // On a phone each trainee is a card: deals, average and stalls labelled.
    const table = trainees.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table-cards', 'data-testid': 'trainee-table' },
      h('caption', { class: 'sr-only' }, t('coach.trainees')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('col.trainee')), h('th', { scope: 'col', class: 'num' }, t('col.deals')),
        h('th', { scope: 'col', class: 'num' }, t('col.avg_calls')), h('th', { scope: 'col', class: 'num' }, t('col.avg_turns')),
        h('th', { scope: 'col', class: 'num', title: fin ? t('coach.avg_finished_title') : null }, fin ? t('col.avg_score_finished') : t('col.avg_score')),
        h('th', { scope: 'col', class: 'num', title: t('coach.stalled_title') }, t('col.stalled')),
        h('th', { scope: 'col' }, t('col.top_findings')))),
      h('tbody', null, trainees.map((r) => h('tr', null,
        h('td', { class: 'card-title' }, h('div', { class: 'person' }, avatar(r.name || r.username, r.username, 'sm'),
          h('button', { type: 'button', class: 'btn btn-ghost btn-sm', style: { padding: '0 4px', 'font-weight': 650 }, title: t('coach.filter_by', { n: r.name || r.username }), onclick: () => { st.user = String(r.user_id); renderFilters(); loadDeals(); dealsEl.scrollIntoView({ behavior: 'smooth' }); } }, r.name || r.username))),
        h('td', { class: 'num', 'data-label': t('col.deals') }, String(r.deals)),
        h('td', { class: 'num card-hide' }, r.deals ? fmtNum(r.avg_calls, 1) : '—'),
        h('td', { class: 'num card-hide' }, r.deals ? fmtNum(r.avg_turns, 1) : '—'),
        avgCell(r, fin),
        h('td', { class: 'num', 'data-label': t('col.stalled'), 'data-testid': `stalled-${r.username}`, 'data-stalled': String(r.stalled_no_urgency || 0) },
          r.deals ? h('span', { class: r.stalled_no_urgency ? 'pill pill-warning' : 'muted' }, t('coach.stalled_of', { n: r.stalled_no_urgency || 0, d: r.deals })) : '—'),
        h('td', { class: 'card-meta' }, (r.top_findings || []).length
          ? h('div', { class: 'finding-chips' }, r.top_findings.slice(0, 3).map((fc) => h('span', { class: 'pill pill-warning' }, `${findingName(fc.code)} ×${fc.count}`)))
          : h('span', { class: 'muted' }, '—')))))))
      : emptyState(t('coach.no_trainee_deals'), 'users');

    mount(statsEl,
      h('div', { class: 'grid grid-4' },
        kpi(t('coach.kpi_deals'), String(f.deals), t('coach.kpi_deals_sub'), 'phone'),
        kpi(t('coach.kpi_need'), pct(f.need), t('coach.kpi_of', { n: f.need }), 'target'),
        kpi(t('coach.kpi_closed'), pct(f.deal), t('coach.kpi_of', { n: f.deal }), 'flag'),
        kpi(t('coach.kpi_avg'), avg == null ? '—' : fmtNum(avg, 0), avgSub, 'chart', 'kpi-avg')),
      h('div', { class: 'grid grid-2' },
        h('section', { class: 'card', 'aria-labelledby': 'fun-h', 'data-testid': 'funnel', 'data-deals': String(f.deals), 'data-need': String(f.need), 'data-offer': String(f.offer), 'data-deal': String(f.deal) },
          h('div', { class: 'card-head' }, h('h2', { id: 'fun-h' }, icon('flag'), t('coach.funnel')), h('p', null, t('coach.funnel_lead'))),
          h('div', { class: 'card-body' }, funnel)),
        h('section', { class: 'card', 'aria-labelledby': 'tr-h' },
          h('div', { class: 'card-head' }, h('h2', { id: 'tr-h' }, icon('chart'), t('coach.trend')), h('p', null, t('coach.trend_lead'))),
          h('div', { class: 'card-body stack-sm' },
            lineChart({
              // The daily average of the deals finished among those started that day.
              labels: trend.map((p) => fmtDay(p.day)),
              series: [{ name: t('col.avg_score'), values: trend.map((p) => (fin ? fin.avg(fin.byDay.get(p.day)) : p.avg_score)) }],
              yMin: 0, yMax: 100, height: 170, label: t('coach.trend_label'), empty: t('coach.no_data'),
            }),
            barChart({
              items: trend.map((p) => ({ label: fmtDay(p.day), value: p.deals, title: `${fmtDay(p.day)}: ${p.deals}` })),
              height: 120, label: t('coach.deals_per_day'), empty: t('coach.no_data'), valueFormat: (v) => String(Math.round(v)), integer: true,
            })))),
      h('section', { class: 'card', 'aria-labelledby': 'tt-h' },
        h('div', { class: 'card-head' }, h('div', null, h('h2', { id: 'tt-h' }, icon('users'), t('coach.trainees')), h('p', null, t('coach.trainees_lead'))),
          trainees.length ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'csv-trainees', onclick: () => exportTrainees(trainees, fin) }, icon('download', 15), t('coach.csv_trainees')) : null),
        h('div', { style: { 'margin-top': '12px' } }, table)),
      paceCard(s.pace || []));
  }

  // avgCell is a trainee's average score over finished deals, with the
  // open deals counted beside it.
  function avgCell(r, fin) {
    if (!fin) return h('td', { class: 'num', 'data-label': t('col.avg_score') }, r.deals ? scoreChip(Math.round(r.avg_score)) : '—');
    const u = fin.byUser.get(r.user_id) || { n: 0, sum: 0, open: 0 };
    const a = fin.avg(u);
    return h('td', { class: 'num card-end', 'data-label': t('col.avg_score_finished'), 'data-testid': `avg-${r.username}`, 'data-avg': a == null ? '' : String(Math.round(a)), 'data-open': String(u.open) },
      a == null ? h('span', { class: 'muted' }, '—') : scoreChip(Math.round(a)),
      u.open ? h('div', { class: 'small muted nowrap' }, t('stats.open_n', { n: u.open })) : null);
  }

  // paceCard: per persona, the team's median calls and turns to each
  // milestone (the lecture: unclear milestones make more and longer calls).
  function paceCard(rows) {
    const byId = Object.fromEntries(personas.map((p) => [p.id, p]));
    const cell = (pm, n) => (pm && pm.reached
      ? [t('coach.pace_cell', { c: fmtNum(pm.median_calls, 1), t: fmtNum(pm.median_turns, 1) }), h('div', { class: 'small muted' }, t('coach.pace_reached', { r: pm.reached, n }))]
      : h('span', { class: 'muted' }, '—'));
    return h('section', { class: 'card', 'aria-labelledby': 'pace-h', 'data-testid': 'coach-pace' },
      h('div', { class: 'card-head' }, h('div', null, h('h2', { id: 'pace-h' }, icon('clock'), t('coach.pace')), h('p', null, t('coach.pace_lead')))),
      h('div', { style: { 'margin-top': '12px' } }, rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, t('coach.pace')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col.persona')), h('th', { scope: 'col', class: 'num' }, t('col.deals')),
          MILESTONES.map((m) => h('th', { scope: 'col' }, msName(m))))),
        h('tbody', null, rows.map((p) => h('tr', { 'data-persona': p.persona_id },
          h('th', { scope: 'row' }, byId[p.persona_id] ? personaName(byId[p.persona_id]) : p.persona_id),
          h('td', { class: 'num' }, String(p.deals)),
          MILESTONES.map((m) => h('td', null, cell((p.milestones || []).find((x) => x.milestone === m), p.deals))))))))
        : emptyState(t('coach.no_data'), 'chart')));
  }

  // dealPace is the deal-list cell: the furthest milestone's calls and
  // turns, with the team's median on the same persona beneath.
  function dealPace(d) {
    const m = [...MILESTONES].reverse().find((x) => d.pace?.[x]);
    if (!m) return h('span', { class: 'muted' }, '—');
    const own = d.pace[m];
    const tm = (pace[d.persona_id]?.milestones || []).find((x) => x.milestone === m);
    return [h('span', { class: 'nowrap' }, t('coach.pace_deal', { m: msName(m), c: own.call, t: own.turns })),
      tm && tm.reached ? h('div', { class: 'small muted nowrap' }, t('coach.pace_deal_team', { c: fmtNum(tm.median_calls, 1), t: fmtNum(tm.median_turns, 1) })) : null];
  }

  // exportTrainees saves the trainee table as shown, as CSV (with a BOM so
  // that spreadsheets read Chinese names as UTF-8).
  function exportTrainees(rows, fin) {
    const cell = (v) => {
      let x = String(v ?? '');
      if (/^[=+\-@\t\r]/.test(x)) x = `'${x}`;
      return /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
    };
    // As the table shows it: the average over finished deals, the open ones beside.
    const own = (r) => fin?.byUser.get(r.user_id);
    const avg = (r) => (fin ? fin.avg(own(r)) ?? '' : r.avg_score);
    const lines = [['username', 'name', 'deals', 'avg_calls', 'avg_turns', fin ? 'avg_score_finished' : 'avg_score', 'open_deals', 'stalled_no_urgency', 'top_findings']]
      .concat(rows.map((r) => [r.username, r.name, r.deals, r.avg_calls, r.avg_turns, avg(r), own(r)?.open ?? '', r.stalled_no_urgency || 0, (r.top_findings || []).map((f) => `${f.code}:${f.count}`).join(' ')]))
      .map((r) => r.map(cell).join(','));
    const url = URL.createObjectURL(new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' }));
    const a = h('a', { href: url, download: `callsim-trainees-${st.team}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const filtersEl = h('div', { class: 'filters', role: 'group', 'aria-label': t('coach.filters') });
  function renderFilters() {
    const sel = (id, label, value, options, onChange) => field(label, h('select', { class: 'input', id, 'data-testid': id, onchange: (e) => onChange(e.target.value) },
      options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
    mount(filtersEl,
      teams.length > 1 ? sel('f-team', t('col.team'), st.team, teams.map((x) => [x, x]), (v) => { st.team = v; st.user = ''; loadAll(); }) : null,
      sel('f-range', t('coach.period'), st.range, [['7', t('coach.last_n', { n: 7 })], ['30', t('coach.last_n', { n: 30 })], ['90', t('coach.last_n', { n: 90 })], ['all', t('coach.all_time')]], (v) => { st.range = v; loadAll(); }),
      sel('f-user', t('col.trainee'), st.user, [['', t('coach.all_trainees')], ...users.map((u) => [String(u.id), u.name || u.username])], (v) => { st.user = v; loadDeals(); }),
      sel('f-persona', t('col.persona'), st.persona, [['', t('coach.all_personas')], ...personas.map((p) => [p.id, personaName(p)])], (v) => { st.persona = v; loadDeals(); }),
      sel('f-outcome', t('col.outcome'), st.outcome, [['', t('coach.all_outcomes')], ['deal', t('outcome.deal')], ['offer', t('outcome.offer')], ['need', t('outcome.need')], ['none', t('outcome.none')]], (v) => { st.outcome = v; loadDeals(); }),
      sel('f-sort', t('coach.sort'), st.sort, [['date', t('coach.sort_date')], ['score', t('coach.sort_score')], ['user', t('coach.sort_user')]], (v) => { st.sort = v; loadDeals(); }));
  }

  // The deals listed so far: pages read by cursor ("show more" appends the
  // next page); a new filter or sort starts again from the first page.
  let listed = [], listTotal = 0, nextCursor = null, listGen = 0;

  async function loadDeals() {
    syncURL();
    renderFilters();
    const gen = ++listGen;
    const body = h('div', null, loading());
    const csv = h('a', { class: 'btn btn-sm', href: app.api.dealsCSVURL(dealFilter()), download: 'callsim-deals.csv', 'data-testid': 'csv-export' }, icon('download', 15), t('coach.csv'));
    mount(dealsEl,
      h('div', { class: 'card-head', style: { 'padding-bottom': '14px' } }, h('h2', { id: 'deals-h' }, icon('message'), t('coach.deals')), h('div', { class: 'row' }, csv)),
      filtersEl, body);
    let r;
    try {
      r = await app.api.deals({ ...dealFilter(), limit: PAGE });
    } catch (e) {
      if (gen === listGen) mount(body, h('div', { class: 'card-body' }, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e))));
      return;
    }
    if (!alive || gen !== listGen) return;
    listed = r.deals || [];
    listTotal = r.total ?? listed.length;
    nextCursor = r.next_cursor || null;
    renderDeals(body);
  }

  async function moreDeals(body, btn) {
    const gen = listGen;
    btn.disabled = true;
    let r;
    try {
      r = await app.api.deals({ ...dealFilter(), limit: PAGE }, nextCursor);
    } catch (e) {
      btn.disabled = false;
      app.toast(app.errorText(e), 'error');
      return;
    }
    if (!alive || gen !== listGen) return;
    listed = listed.concat(r.deals || []);
    listTotal = r.total ?? listTotal;
    nextCursor = r.next_cursor || null;
    renderDeals(body);
  }

  function renderDeals(body) {
    const deals = listed;
    const sortBtn = (key, label, cls) => h('th', { scope: 'col', class: cls || null, 'aria-sort': st.sort === key ? (key === 'user' ? 'ascending' : 'descending') : null },
      h('button', { type: 'button', class: 'sort', onclick: () => { st.sort = key; loadDeals(); } }, label, st.sort === key ? (key === 'user' ? ' ↑' : ' ↓') : ''));
    // On a phone each deal is a card (styles.css, .table-cards): who and
    // whom on top, then outcome and status, then the score and Review.
    mount(body, deals.length ? [
      h('div', { class: 'table-wrap' }, h('table', { class: 'table table-cards' },
        h('caption', { class: 'sr-only' }, t('coach.deals')),
        h('thead', null, h('tr', null,
          sortBtn('date', t('col.date')), sortBtn('user', t('col.trainee')), h('th', { scope: 'col' }, t('col.persona')),
          h('th', { scope: 'col' }, t('col.outcome')), h('th', { scope: 'col' }, t('col.status')), h('th', { scope: 'col', class: 'num' }, t('col.calls')),
          h('th', { scope: 'col', class: 'num' }, t('col.turns')), h('th', { scope: 'col' }, t('col.pace')), sortBtn('score', t('col.score'), 'num'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('col.actions'))))),
        h('tbody', null, deals.map((d) => h('tr', { 'data-deal': d.id },
          h('td', { class: 'nowrap card-sub' }, fmtDate(d.created_at)),
          h('td', { class: 'card-title' }, h('div', { class: 'person' }, avatar(d.user_name || d.username, d.username, 'sm'), d.user_name || d.username)),
          h('td', { class: 'card-sub', 'data-testid': 'deal-persona' }, dealPersonaName(d, personas)),
          h('td', null, outcomeChip(d.outcome)),
          h('td', { class: 'card-end' }, statusPill(dealStatus(d))),
          h('td', { class: 'num card-hide' }, String(d.calls)),
          h('td', { class: 'num card-hide' }, String(d.turns)),
          h('td', { class: 'card-meta', 'data-testid': `deal-pace-${d.id}` }, dealPace(d)),
          h('td', { class: 'num card-score', 'data-label': t('col.score') }, scoreChip(d.score, d.overridden, !d.over)),
          h('td', { class: 'num card-action' }, h('a', { class: 'btn btn-sm', href: `#/deal/${d.id}`, 'data-testid': `review-${d.id}` }, t('coach.review')))))))),
      overriddenLegend(),
      h('div', { class: 'row-between card-body small muted' },
        h('span', null, t('coach.showing', { n: deals.length, total: Math.max(listTotal, deals.length) })),
        nextCursor ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'deals-more', onclick: (e) => moreDeals(body, e.currentTarget) }, t('coach.more')) : null),
    ] : h('div', { class: 'card-body' }, emptyState(t('coach.no_deals'), 'message')));
  }

  mount(root,
    pageHead({
      eyebrow: t('coach.eyebrow'), title: t('coach.title'), lead: t('coach.lead', { team: teams.length > 1 ? teams.join(', ') : st.team }),
      actions: settingsEl,
    }),
    statsEl,
    h('div', { style: { height: '20px' } }),
    dealsEl);
  loadAll();
  return () => { alive = false; };
}

