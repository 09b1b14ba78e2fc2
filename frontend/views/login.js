// views/login.js — the sign-in page.

import { h, mount, icon } from '../dom.js';
import { t, getLang, setLang } from '../i18n.js';

export function renderLogin(app, root) {
  document.title = `${t('login.title')} · callsim`;
  const err = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const user = h('input', { class: 'input', id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { class: 'input', id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { class: 'btn btn-primary btn-lg', type: 'submit' }, t('login.submit'));

  const form = h('form', {
    class: 'login-form', 'aria-labelledby': 'login-h', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      if (!user.value.trim() || !pass.value) {
        mount(err, icon('alert', 16), t('login.missing'));
        err.hidden = false;
        return;
      }
      submit.disabled = true;
      submit.replaceChildren(h('span', { class: 'spinner' }), t('login.signing_in'));
      try {
        const r = await app.api.login(user.value.trim(), pass.value);
        app.setSession(r);
        const after = app.state.after;
        app.state.after = '';
        app.navigate(after && after !== '#/login' ? after : app.home(), { replace: true });
      } catch (ex) {
        const msg = ex.code === 'unauthorized' ? t('login.wrong') : app.errorText(ex);
        mount(err, icon('alert', 16), msg);
        err.hidden = false;
        submit.disabled = false;
        submit.replaceChildren(t('login.submit'));
        pass.select();
      }
    },
  },
  h('div', { class: 'row-between' },
    h('h2', { id: 'login-h' }, t('login.title')),
    h('div', { class: 'seg', role: 'group', 'aria-label': t('app.language') },
      ['en', 'zh'].map((l) => h('button', { type: 'button', 'aria-pressed': getLang() === l ? 'true' : 'false', onclick: () => setLang(l) }, l === 'en' ? 'EN' : '中文')))),
  h('p', { class: 'muted' }, t('login.lead')),
  h('label', { class: 'field', for: 'username' }, h('span', null, t('login.username')), user),
  h('label', { class: 'field', for: 'password' }, h('span', null, t('login.password')), pass),
  err,
  submit,
  h('p', { class: 'hint-text' }, t('login.help')));

  const step = (n, color, title, body) => h('div', { class: 'hero-step' },
    h('span', { class: 'num', style: { background: color } }, String(n)),
    h('div', null, h('b', null, title), h('span', null, body)));

  mount(root, h('div', { class: 'login' },
    h('section', { class: 'login-hero', 'aria-label': 'callsim' },
      h('div', null,
        h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('phone', 16)), 'callsim', h('span', { class: 'brand-tag' }, t('app.tagline'))),
        h('h1', null, t('login.hero')),
        h('p', { class: 'lead' }, t('login.hero_lead')),
        h('div', { class: 'hero-steps' },
          step(1, 'var(--ms-need)', t('ms.need'), t('ms.need.desc')),
          step(2, 'var(--ms-offer)', t('ms.offer'), t('ms.offer.desc')),
          step(3, 'var(--ms-deal)', t('ms.deal'), t('ms.deal.desc')))),
      h('p', { class: 'hero-foot' }, t('login.foot'))),
    h('div', { class: 'login-form-wrap' }, form)));
  user.focus();
}
