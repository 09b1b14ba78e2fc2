// views/account.js — the change-password dialog.

import { h, icon, mount } from '../dom.js';
import { t } from '../i18n.js';
import { field } from './common.js';

export function openPasswordDialog(app) {
  const oldIn = h('input', { class: 'input', type: 'password', autocomplete: 'current-password', required: true });
  const newIn = h('input', { class: 'input', type: 'password', autocomplete: 'new-password', minlength: 8, required: true });
  const err = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const dlg = h('dialog', { 'aria-labelledby': 'pw-h' });
  const close = () => { dlg.close(); dlg.remove(); };
  const form = h('form', {
    novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      if (newIn.value.length < 8) { mount(err, icon('alert', 16), t('account.too_short')); err.hidden = false; return; }
      try {
        await app.api.changePassword(oldIn.value, newIn.value);
        app.toast(t('account.changed'), 'success');
        close();
      } catch (ex) {
        mount(err, icon('alert', 16), ex.code === 'unauthorized' ? t('account.wrong_old') : app.errorText(ex));
        err.hidden = false;
      }
    },
  },
  h('div', { class: 'dlg-head' }, h('h2', { id: 'pw-h' }, t('account.password'))),
  h('div', { class: 'dlg-body' }, field(t('account.old'), oldIn), field(t('account.new'), newIn, t('account.new_hint')), err),
  h('div', { class: 'dlg-foot' },
    h('button', { type: 'button', class: 'btn', onclick: close }, t('app.cancel')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('app.save'))));
  dlg.append(form);
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  oldIn.focus();
}

/** confirmDialog asks a yes/no question in a modal dialog. */
export function confirmDialog({ title, body, ok, danger }) {
  return new Promise((resolve) => {
    const dlg = h('dialog', { 'aria-labelledby': 'cf-h', 'data-testid': 'confirm-dialog' });
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    dlg.append(
      h('div', { class: 'dlg-head' }, h('h2', { id: 'cf-h' }, title)),
      h('div', { class: 'dlg-body' }, h('p', { class: 'muted' }, body)),
      h('div', { class: 'dlg-foot' },
        h('button', { type: 'button', class: 'btn', onclick: () => done(false) }, t('app.cancel')),
        h('button', { type: 'button', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, 'data-testid': 'confirm-ok', onclick: () => done(true) }, ok)));
    dlg.addEventListener('cancel', () => resolve(false));
    document.body.append(dlg);
    dlg.showModal();
  });
}
