// views/practice.js — the practice room: pick a persona by its public
// profile, choose this call's goal milestone, then dial.

import { h, mount, icon, avatar } from '../dom.js';
import { t, getLang, tx } from '../i18n.js';
import {
  pageHead, loading, difficultyPill, langPills, personaName, scenarioOf, goalOptions, emptyState,
  fmtDate, outcomeChip, scoreChip, field, dealPersonaName, msLabels, continueHref,
} from './common.js';

export async function renderPractice(app, root, _params, query) {
  // ?seed=N replays a customer exactly (protocol: start.seed).
  const seed = /^\d{1,15}$/.test(query?.get('seed') || '') ? Number(query.get('seed')) : undefined;
  document.title = `${t('nav.practice')} · callsim`;
  mount(root, pageHead({ eyebrow: t('practice.eyebrow'), title: t('practice.title'), lead: t('practice.lead') }), loading());

  let data, open = [];
  try {
    const [p, d] = await Promise.all([
      app.api.personas(),
      app.api.deals({ user: app.user.id, sort: 'date', limit: 20 }).catch(() => ({ deals: [] })),
    ]);
    data = p;
    open = (d.deals || []).filter((x) => !x.over && x.calls > 0).slice(0, 3);
  } catch (e) {
    mount(root, pageHead({ title: t('practice.title') }), h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e)));
    return;
  }
  const personas = data.personas || [];
  const scenarios = data.scenarios || [];
  const st = {
    persona: app.state.lastPersona && personas.find((p) => p.id === app.state.lastPersona) ? app.state.lastPersona : '',
    goal: 'need', lang: '', hints: false, scenario: '',
  };

  const grid = h('div', { class: 'persona-grid', role: 'list', 'aria-label': t('practice.personas') });
  const plan = h('aside', { class: 'card plan', 'aria-labelledby': 'plan-h' });

  const filterBar = h('div', { class: 'seg', role: 'group', 'aria-label': t('practice.filter'), style: { 'margin-bottom': '16px', 'flex-wrap': 'wrap' } });
  function filters() {
    const btn = (id, label) => h('button', {
      type: 'button', 'aria-pressed': st.scenario === id ? 'true' : 'false',
      onclick: () => { st.scenario = id; filters(); cards(); },
    }, label);
    mount(filterBar, btn('', t('practice.all')), scenarios.map((sc) => btn(sc.id, tx(sc.name))));
  }

  function cards() {
    mount(grid, personas.filter((p) => !st.scenario || p.scenario === st.scenario).map((p) => {
      const sc = scenarioOf(scenarios, p.scenario);
      const name = personaName(p);
      return h('div', { role: 'listitem' }, h('button', {
        type: 'button', class: 'persona-card', 'aria-pressed': st.persona === p.id ? 'true' : 'false',
        'data-testid': `persona-${p.id}`, 'data-persona': p.id,
        // Named by what it shows (the name first), not by a shorter label
        // that would differ from the visible text.
        onclick: () => select(p.id),
      },
      h('span', { class: 'selected-check', 'aria-hidden': 'true' }, icon('check', 14)),
      h('div', { class: 'who' }, avatar(name, p.id, 'md'),
        h('div', null, h('b', null, name), h('span', null, [tx(p.profile.role), tx(p.profile.company)].filter(Boolean).join(' · ')))),
      h('p', { class: 'summary' }, tx(p.profile.summary)),
      h('div', { class: 'meta' }, difficultyPill(p.difficulty), langPills(p.languages)),
      h('div', { class: 'scenario', title: sc ? tx(sc.product) : null }, icon('target', 14), sc ? tx(sc.name) : p.scenario)));
    }));
  }

  function select(id) {
    st.persona = id;
    app.state.lastPersona = id;
    const p = personas.find((x) => x.id === id);
    const sc = scenarioOf(scenarios, p.scenario);
    st.lang = p.languages.includes(getLang()) ? getLang() : p.languages[0];
    if (sc && sc.discovery === false && st.goal === 'need') st.goal = 'offer';
    cards();
    renderPlan();
    if (window.matchMedia('(max-width: 1020px)').matches) plan.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function renderPlan() {
    const p = personas.find((x) => x.id === st.persona);
    if (!p) {
      mount(plan,
        h('div', { class: 'card-head' }, h('h2', { id: 'plan-h' }, icon('target'), t('plan.title'))),
        h('div', { class: 'card-body' },
          emptyState(t('plan.pick_first'), 'users'),
          lectureTip()));
      return;
    }
    const sc = scenarioOf(scenarios, p.scenario);
    const labels = msLabels(sc);
    const langSel = h('select', {
      class: 'input', id: 'call-lang', 'data-testid': 'call-lang',
      onchange: (e) => { st.lang = e.target.value; renderPlan(); },
    }, p.languages.map((l) => h('option', { value: l, selected: l === st.lang }, t(`lang.${l}`))));
    const allowed = app.hintsAllowed();
    const hintsBox = h('input', {
      type: 'checkbox', checked: st.hints && allowed, disabled: !allowed, 'data-testid': 'hints-toggle',
      onchange: (e) => { st.hints = e.target.checked; },
    });
    const dial = h('button', {
      type: 'button', class: 'btn btn-success btn-lg', 'data-testid': 'dial',
      onclick: () => {
        app.state.pendingStart = { persona: p.id, goal: st.goal, lang: st.lang, hints: st.hints && allowed, seed };
        app.navigate('#/call/new');
      },
    }, icon('phone', 18), t('plan.dial', { name: personaName(p) }));

    mount(plan,
      h('div', { class: 'card-head' }, h('h2', { id: 'plan-h' }, icon('target'), t('plan.title'))),
      h('div', { class: 'card-body' },
        h('div', { class: 'plan-persona' }, avatar(personaName(p), p.id, 'md'),
          h('div', null, h('b', null, personaName(p)), h('span', null, tx(p.profile.role)))),
        h('div', { class: 'stack-sm' },
          h('span', { class: 'field-label', id: 'goal-h' }, t('plan.goal')),
          h('span', { class: 'hint-text' }, t('plan.goal_hint')),
          goalOptions('goal', st.goal, labels, (m) => { st.goal = m; })),
        field(t('plan.lang'), langSel),
        h('div', { class: 'stack-sm' },
          h('label', { class: `switch${allowed ? '' : ' disabled'}` }, hintsBox, h('span', { class: 'track', 'aria-hidden': 'true' }), t('plan.hints')),
          h('span', { class: 'hint-text' }, allowed ? t('plan.hints_hint') : t('plan.hints_disabled'))),
        dial,
        lectureTip()));
  }

  const inProgress = open.length ? h('section', { class: 'card', 'aria-labelledby': 'open-h', style: { 'margin-bottom': '22px' } },
    h('div', { class: 'card-head' }, h('h2', { id: 'open-h' }, icon('clock'), t('practice.in_progress'))),
    h('div', { class: 'table-wrap card-body' }, h('table', { class: 'table table-cards' },
      h('caption', { class: 'sr-only' }, t('practice.in_progress')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('col.persona')), h('th', { scope: 'col' }, t('col.updated')), h('th', { scope: 'col' }, t('col.outcome')), h('th', { scope: 'col', class: 'num' }, t('col.calls')), h('th', { scope: 'col', class: 'num' }, t('col.score')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('col.actions'))))),
      h('tbody', null, open.map((d) => h('tr', null,
        h('td', { class: 'card-title' }, h('a', { class: 'rowlink', href: `#/deal/${d.id}` }, dealPersonaName(d, personas))),
        h('td', { class: 'card-sub' }, fmtDate(d.updated_at)),
        h('td', null, outcomeChip(d.outcome)),
        h('td', { class: 'num card-hide' }, String(d.calls)),
        h('td', { class: 'num card-score', 'data-label': t('col.score') }, scoreChip(d.score, d.overridden, true)),
        h('td', { class: 'num card-action' }, h('a', { class: 'btn btn-sm', href: continueHref(d) }, t('practice.continue'))))))))) : null;

  filters();
  cards();
  renderPlan();
  mount(root,
    pageHead({ eyebrow: t('practice.eyebrow'), title: t('practice.title'), lead: t('practice.lead') }),
    inProgress,
    h('div', { class: 'grid grid-main' },
      h('section', { 'aria-label': t('practice.personas') },
        scenarios.length > 1 ? filterBar : null,
        personas.length ? grid : emptyState(t('practice.no_personas'), 'users')),
      plan));
}

function lectureTip() {
  return h('div', { class: 'lecture-tip' }, icon('bulb', 18), h('div', null, t('plan.tip')));
}
