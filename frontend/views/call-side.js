// views/call-side.js — the call screen's side panel: the milestones of the
// deal with this call's goal, the customer's public summary, and the live
// hints (stage and milestones) when they are on.

import { h, mount, icon } from '../dom.js';
import { t, tx } from '../i18n.js';
import { msName, stageName, STAGES, MILESTONES } from './common.js';

/** renderSide draws the side panel of the call in state s into el. */
export function renderSide(el, s, labels) {
  const cards = [];
  const p = s.persona;
  cards.push(h('section', { class: 'card', 'aria-labelledby': 'plan-h' },
    h('div', { class: 'card-head' }, h('h2', { id: 'plan-h' }, icon('target'), t('call.plan'))),
    h('div', { class: 'card-body stack-sm' },
      h('span', { class: 'field-label' }, t('call.ladder')),
      h('ol', { class: 'ladder' }, MILESTONES.map((m, i) => h('li', {
        class: `ladder-step ${m}${s.goal === m ? ' is-goal' : ''}`, 'aria-current': s.goal === m ? 'step' : null,
      },
      h('span', { class: 'ladder-n', 'aria-hidden': 'true' }, String(i + 1)),
      h('div', { class: 'grow' },
        h('b', null, msName(m)),
        h('div', { class: 'small muted' }, labels[m] && labels[m] !== msName(m) ? labels[m] : t(`ms.${m}.desc`))),
      s.goal === m ? h('span', { class: 'pill pill-primary' }, icon('target', 12), t('call.goal_tag')) : null))),
      p ? h('p', { class: 'small muted', style: { 'margin-top': '6px' } }, tx(p.profile?.summary)) : null)));

  if (s.hints) {
    const hint = s.hint;
    const cur = hint?.stage || '';
    const idx = STAGES.indexOf(cur);
    cards.push(h('section', { class: 'card', 'aria-labelledby': 'hints-h', 'data-testid': 'hints-panel' },
      h('div', { class: 'card-head' }, h('h2', { id: 'hints-h' }, icon('bulb'), t('call.live_hints'))),
      h('div', { class: 'card-body stack' },
        h('div', { class: 'stack-sm' },
          h('span', { class: 'field-label' }, t('call.stage_now')),
          h('div', { class: 'hint-stages' }, STAGES.map((st, i) => h('div', {
            class: `hint-stage${st === cur ? ' current' : i < idx ? ' done' : ''}`, 'aria-current': st === cur ? 'step' : null,
          }, h('span', { class: 'n', 'aria-hidden': 'true' }, i < idx ? icon('check', 12) : String(i + 1)), stageName(st))))),
        h('div', { class: 'stack-sm' },
          h('span', { class: 'field-label' }, t('call.milestones')),
          h('div', { class: 'ms-track' }, MILESTONES.map((m) => {
            const ok = !!hint?.milestones?.[m];
            return h('div', { class: `ms-item ${m}${ok ? ' reached' : ''}${s.goal === m ? ' goal' : ''}`, 'data-goal': t('call.goal_tag') },
              h('span', { class: 'ms-ico', 'aria-hidden': 'true' }, ok ? icon('check', 14) : String(MILESTONES.indexOf(m) + 1)),
              h('span', null, msName(m)),
              h('span', { class: 'sr-only' }, ok ? t('sc.reached') : t('sc.not_reached')));
          })),
          h('div', { class: 'row small' },
            h('span', { class: `pill ${hint?.commitment?.price ? 'pill-success' : ''}` }, hint?.commitment?.price ? icon('check', 12) : null, t('sc.price')),
            h('span', { class: `pill ${hint?.commitment?.time ? 'pill-success' : ''}` }, hint?.commitment?.time ? icon('check', 12) : null, t('sc.time')))))));
  } else {
    cards.push(h('section', { class: 'card card-pad stack-sm' },
      h('h2', null, icon('bulb'), ' ', t('call.live_hints')),
      h('p', { class: 'small muted' }, s.hintsAllowed ? t('call.hints_off') : t('plan.hints_disabled'))));
  }
  cards.push(h('div', { class: 'lecture-tip' }, icon('bulb', 18), h('div', null, t('call.tip'))));
  mount(el, cards);
}
