// views/coach.js — the coach's team desk: milestone funnel, a table per
// trainee, trends, and every deal of the team to filter, sort, open and
// export.

import { h, mount, icon, avatar } from '../dom.js';
import { t } from '../i18n.js';
import { funnelChart, lineChart, barChart } from '../charts.js';
import {
  MILESTONES, msName, pageHead, loading, fmtDate, fmtDay, outcomeChip, scoreChip, emptyState, fmtNum, findingName, field, personaName, dealPersonaName,
} from './common.js';

const PAGE = 50;

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

  async function loadAll() {
    syncURL();
    mount(statsEl, loading());
    try {
      const [stats, u, s] = await Promise.all([
        app.api.teamStats(st.team, dates()),
        app.api.users({ team: st.team }).catch(() => ({ users: [] })),
        app.api.teamSettings(st.team).catch(() => null),
      ]);
      if (!alive) return;
      users = (u.users || []).filter((x) => x.role === 'trainee' || stats.trainees?.some((r) => r.user_id === x.id));
      pace = Object.fromEntries((stats.pace || []).map((p) => [p.persona_id, p]));
      renderStats(stats);
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

  function renderStats(s) {
    const f = s.funnel || { deals: 0, need: 0, offer: 0, deal: 0 };
    const trend = s.trend || [];
    const totalDeals = trend.reduce((a, p) => a + p.deals, 0);
    const avg = totalDeals ? trend.reduce((a, p) => a + p.avg_score * p.deals, 0) / totalDeals : null;
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
    const table = trainees.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'trainee-table' },
      h('caption', { class: 'sr-only' }, t('coach.trainees')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('col.trainee')), h('th', { scope: 'col', class: 'num' }, t('col.deals')),
        h('th', { scope: 'col', class: 'num' }, t('col.avg_calls')), h('th', { scope: 'col', class: 'num' }, t('col.avg_turns')),
        h('th', { scope: 'col', class: 'num' }, t('col.avg_score')),
        h('th', { scope: 'col', class: 'num', title: t('coach.stalled_title') }, t('col.stalled')),
        h('th', { scope: 'col' }, t('col.top_findings')))),
      h('tbody', null, trainees.map((r) => h('tr', null,
        h('td', null, h('div', { class: 'person' }, avatar(r.name || r.username, r.username, 'sm'),
          h('button', { type: 'button', class: 'btn btn-ghost btn-sm', style: { padding: '0 4px', 'font-weight': 650 }, title: t('coach.filter_by', { n: r.name || r.username }), onclick: () => { st.user = String(r.user_id); renderFilters(); loadDeals(); dealsEl.scrollIntoView({ behavior: 'smooth' }); } }, r.name || r.username))),
        h('td', { class: 'num' }, String(r.deals)),
        h('td', { class: 'num' }, r.deals ? fmtNum(r.avg_calls, 1) : '—'),
        h('td', { class: 'num' }, r.deals ? fmtNum(r.avg_turns, 1) : '—'),
        h('td', { class: 'num' }, r.deals ? scoreChip(Math.round(r.avg_score)) : '—'),
        h('td', { class: 'num', 'data-testid': `stalled-${r.username}`, 'data-stalled': String(r.stalled_no_urgency || 0) },
          r.deals ? h('span', { class: r.stalled_no_urgency ? 'pill pill-warning' : 'muted' }, t('coach.stalled_of', { n: r.stalled_no_urgency || 0, d: r.deals })) : '—'),
        h('td', null, (r.top_findings || []).length
          ? h('div', { class: 'finding-chips' }, r.top_findings.slice(0, 3).map((fc) => h('span', { class: 'pill pill-warning' }, `${findingName(fc.code)} ×${fc.count}`)))
          : h('span', { class: 'muted' }, '—')))))))
      : emptyState(t('coach.no_trainee_deals'), 'users');

    mount(statsEl,
      h('div', { class: 'grid grid-4' },
        kpi(t('coach.kpi_deals'), String(f.deals), t('coach.kpi_deals_sub'), 'phone'),
        kpi(t('coach.kpi_need'), pct(f.need), t('coach.kpi_of', { n: f.need }), 'target'),
        kpi(t('coach.kpi_closed'), pct(f.deal), t('coach.kpi_of', { n: f.deal }), 'flag'),
        kpi(t('coach.kpi_avg'), avg == null ? '—' : fmtNum(avg, 0), t('coach.kpi_avg_sub'), 'chart')),
      h('div', { class: 'grid grid-2' },
        h('section', { class: 'card', 'aria-labelledby': 'fun-h', 'data-testid': 'funnel', 'data-deals': String(f.deals), 'data-need': String(f.need), 'data-offer': String(f.offer), 'data-deal': String(f.deal) },
          h('div', { class: 'card-head' }, h('h2', { id: 'fun-h' }, icon('flag'), t('coach.funnel')), h('p', null, t('coach.funnel_lead'))),
          h('div', { class: 'card-body' }, funnel)),
        h('section', { class: 'card', 'aria-labelledby': 'tr-h' },
          h('div', { class: 'card-head' }, h('h2', { id: 'tr-h' }, icon('chart'), t('coach.trend')), h('p', null, t('coach.trend_lead'))),
          h('div', { class: 'card-body stack-sm' },
            lineChart({
              labels: trend.map((p) => fmtDay(p.day)), series: [{ name: t('col.avg_score'), values: trend.map((p) => p.avg_score) }],
              yMin: 0, yMax: 100, height: 170, label: t('coach.trend_label'), empty: t('coach.no_data'),
            }),
            barChart({
              items: trend.map((p) => ({ label: fmtDay(p.day), value: p.deals, title: `${fmtDay(p.day)}: ${p.deals}` })),
              height: 120, label: t('coach.deals_per_day'), empty: t('coach.no_data'), valueFormat: (v) => String(Math.round(v)), integer: true,
            })))),
      h('section', { class: 'card', 'aria-labelledby': 'tt-h' },
        h('div', { class: 'card-head' }, h('div', null, h('h2', { id: 'tt-h' }, icon('users'), t('coach.trainees')), h('p', null, t('coach.trainees_lead'))),
          trainees.length ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'csv-trainees', onclick: () => exportTrainees(trainees) }, icon('download', 15), t('coach.csv_trainees')) : null),
        h('div', { style: { 'margin-top': '12px' } }, table)),
      paceCard(s.pace || []));
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
  function exportTrainees(rows) {
    const cell = (v) => {
      let x = String(v ?? '');
      if (/^[=+\-@\t\r]/.test(x)) x = `'${x}`;
      return /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
    };
    const lines = [['username', 'name', 'deals', 'avg_calls', 'avg_turns', 'avg_score', 'stalled_no_urgency', 'top_findings']]
      .concat(rows.map((r) => [r.username, r.name, r.deals, r.avg_calls, r.avg_turns, r.avg_score, r.stalled_no_urgency || 0, (r.top_findings || []).map((f) => `${f.code}:${f.count}`).join(' ')]))
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
    mount(body, deals.length ? [
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, t('coach.deals')),
        h('thead', null, h('tr', null,
          sortBtn('date', t('col.date')), sortBtn('user', t('col.trainee')), h('th', { scope: 'col' }, t('col.persona')),
          h('th', { scope: 'col' }, t('col.outcome')), h('th', { scope: 'col', class: 'num' }, t('col.calls')),
          h('th', { scope: 'col', class: 'num' }, t('col.turns')), h('th', { scope: 'col' }, t('col.pace')), sortBtn('score', t('col.score'), 'num'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('col.actions'))))),
        h('tbody', null, deals.map((d) => h('tr', { 'data-deal': d.id },
          h('td', { class: 'nowrap' }, fmtDate(d.created_at)),
          h('td', null, h('div', { class: 'person' }, avatar(d.user_name || d.username, d.username, 'sm'), d.user_name || d.username)),
          h('td', null, dealPersonaName(d, personas)),
          h('td', null, outcomeChip(d.outcome), d.live ? h('span', { class: 'pill pill-info', style: { 'margin-left': '6px' } }, t('coach.live')) : null),
          h('td', { class: 'num' }, String(d.calls)),
          h('td', { class: 'num' }, String(d.turns)),
          h('td', { 'data-testid': `deal-pace-${d.id}` }, dealPace(d)),
          h('td', { class: 'num' }, scoreChip(d.score, d.overridden)),
          h('td', { class: 'num' }, h('a', { class: 'btn btn-sm', href: `#/deal/${d.id}`, 'data-testid': `review-${d.id}` }, t('coach.review')))))))),
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

