// views/admin.js — manage users and upload persona files.

import { h, mount, icon, avatar } from '../dom.js';
import { t, tx } from '../i18n.js';
import { pageHead, loading, fmtDate, field, difficultyPill, langPills, emptyState, personaName } from './common.js';
import { confirmDialog } from './account.js';

const ROLES = ['trainee', 'coach', 'admin'];

export async function renderAdmin(app, root) {
  document.title = `${t('nav.admin')} · callsim`;
  const usersEl = h('section', { class: 'card', 'aria-labelledby': 'users-h' }, loading());
  const personasEl = h('section', { class: 'card', 'aria-labelledby': 'pers-h' }, loading());
  mount(root,
    pageHead({ eyebrow: t('admin.eyebrow'), title: t('admin.title'), lead: t('admin.lead') }),
    h('div', { class: 'stack', style: { gap: '20px' } }, usersEl, personasEl));

  // ---------- users
  async function loadUsers() {
    let users;
    try {
      users = (await app.api.users()).users || [];
    } catch (e) {
      mount(usersEl, h('div', { class: 'card-body' }, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e))));
      return;
    }
    const username = h('input', { class: 'input', required: true, pattern: '[A-Za-z0-9._-]{1,64}', autocomplete: 'off', 'data-testid': 'new-username' });
    const name = h('input', { class: 'input', autocomplete: 'off' });
    const role = h('select', { class: 'input' }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
    const team = h('input', { class: 'input', autocomplete: 'off', list: 'team-list' });
    const password = h('input', { class: 'input', type: 'password', autocomplete: 'new-password', placeholder: t('admin.password_ph'), title: t('admin.password_title') });
    const teams = [...new Set(users.map((u) => u.team).filter(Boolean))];
    const msg = h('div', { role: 'status' });
    const form = h('form', {
      class: 'form-grid', novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        mount(msg);
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(username.value.trim())) {
          mount(msg, h('div', { class: 'form-error', role: 'alert' }, icon('alert', 16), t('admin.username_rule')));
          username.focus();
          return;
        }
        try {
          const r = await app.api.createUser({
            username: username.value.trim(), name: name.value.trim(), role: role.value, team: team.value.trim(),
            ...(password.value ? { password: password.value } : {}),
          });
          app.toast(t('admin.user_created', { u: r.user.username }), 'success');
          await loadUsers();
          if (r.password) {
            usersEl.querySelector('.card-body')?.prepend(h('div', { class: 'banner banner-success', role: 'alert' }, icon('lock', 18),
              h('span', null, t('admin.generated', { u: r.user.username }), ' ', h('code', { class: 'tabnum', style: { 'font-family': 'var(--mono)', 'user-select': 'all' } }, r.password))));
          }
        } catch (ex) {
          mount(msg, h('div', { class: 'form-error', role: 'alert' }, icon('alert', 16), ex.code === 'conflict' ? t('admin.username_taken') : app.errorText(ex)));
        }
      },
    },
    field(t('admin.username'), username), field(t('admin.name'), name), field(t('admin.role'), role), field(t('admin.team'), team), field(t('admin.password'), password),
    h('button', { type: 'submit', class: 'btn btn-primary' }, icon('users', 16), t('admin.add_user')),
    h('datalist', { id: 'team-list' }, teams.map((x) => h('option', { value: x }))));

    mount(usersEl,
      h('div', { class: 'card-head' }, h('h2', { id: 'users-h' }, icon('users'), t('admin.users')), h('span', { class: 'pill' }, String(users.length))),
      h('div', { class: 'card-body stack' }, form, msg),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, t('admin.users')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('admin.user')), h('th', { scope: 'col' }, t('admin.role')), h('th', { scope: 'col' }, t('admin.team')),
          h('th', { scope: 'col' }, t('admin.created')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('col.actions'))))),
        h('tbody', null, users.map((u) => h('tr', null,
          h('td', null, h('div', { class: 'person' }, avatar(u.name || u.username, u.username, 'sm'), h('div', null, h('b', null, u.name || u.username), h('div', { class: 'small muted' }, u.username)))),
          h('td', null, h('span', { class: `pill ${u.role === 'admin' ? 'pill-danger' : u.role === 'coach' ? 'pill-primary' : ''}` }, t(`role.${u.role}`))),
          h('td', null, u.team || '—'),
          h('td', { class: 'nowrap' }, fmtDate(u.created_at, false)),
          h('td', { class: 'num nowrap' },
            h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('admin.edit_user', { u: u.username }), title: t('admin.edit'), onclick: () => editUser(u) }, icon('edit', 16)),
            u.id !== app.user.id ? h('button', {
              type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('admin.delete_user', { u: u.username }), title: t('admin.delete'),
              onclick: async () => {
                if (!await confirmDialog({ title: t('admin.delete_user', { u: u.username }), body: t('admin.delete_user_body'), ok: t('admin.delete'), danger: true })) return;
                try { await app.api.deleteUser(u.id); app.toast(t('admin.deleted'), 'success'); loadUsers(); } catch (ex) { app.toast(app.errorText(ex), 'error'); }
              },
            }, icon('trash', 16)) : null)))))));
  }

  function editUser(u) {
    const name = h('input', { class: 'input', value: u.name || '' });
    const role = h('select', { class: 'input' }, ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))));
    const team = h('input', { class: 'input', value: u.team || '' });
    const password = h('input', { class: 'input', type: 'password', autocomplete: 'new-password', placeholder: t('admin.password_keep') });
    const err = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const dlg = h('dialog', { 'aria-labelledby': 'eu-h' });
    const close = () => { dlg.close(); dlg.remove(); };
    dlg.append(h('form', {
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const upd = { name: name.value.trim(), role: role.value, team: team.value.trim() };
        if (password.value) upd.password = password.value;
        try { await app.api.updateUser(u.id, upd); app.toast(t('admin.saved'), 'success'); close(); loadUsers(); } catch (ex) { mount(err, icon('alert', 16), app.errorText(ex)); err.hidden = false; }
      },
    },
    h('div', { class: 'dlg-head' }, h('h2', { id: 'eu-h' }, t('admin.edit_user', { u: u.username }))),
    h('div', { class: 'dlg-body' }, field(t('admin.name'), name), field(t('admin.role'), role), field(t('admin.team'), team), field(t('admin.new_password'), password), err),
    h('div', { class: 'dlg-foot' }, h('button', { type: 'button', class: 'btn', onclick: close }, t('app.cancel')), h('button', { type: 'submit', class: 'btn btn-primary' }, t('app.save')))));
    dlg.addEventListener('close', () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
    name.focus();
  }

  // ---------- personas
  async function loadPersonas() {
    let data;
    try {
      data = await app.api.personas();
    } catch (e) {
      mount(personasEl, h('div', { class: 'card-body' }, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert'), app.errorText(e))));
      return;
    }
    const result = h('div', { role: 'status' });
    const fileIn = h('input', { type: 'file', accept: '.yaml,.yml,application/yaml,text/yaml', class: 'sr-only', id: 'persona-file', onchange: () => { if (fileIn.files[0]) upload(fileIn.files[0]); } });
    const zone = h('div', { class: 'dropzone' },
      icon('upload', 28),
      h('p', null, t('admin.drop')),
      h('label', { class: 'btn btn-primary', for: 'persona-file', tabindex: '0', role: 'button',
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fileIn.click(); } } }, icon('upload', 16), t('admin.choose_file')),
      fileIn,
      h('p', { class: 'hint-text' }, t('admin.upload_hint')));
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); const f = e.dataTransfer.files[0]; if (f) upload(f); });

    async function upload(file) {
      mount(result, h('div', { class: 'banner banner-info' }, h('span', { class: 'spinner' }), t('admin.uploading', { f: file.name })));
      if (file.size > 1024 * 1024) { mount(result, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert', 18), t('err.too_large'))); return; }
      const text = await file.text();
      const m = text.match(/^id:\s*["']?([^\s"'#]+)/m);
      const id = m ? m[1] : file.name.replace(/\.(ya?ml)$/i, '');
      try {
        const r = await app.api.putPersona(id, text);
        mount(result, h('div', { class: 'banner banner-success', role: 'alert' }, icon('check', 18), r.created ? t('admin.persona_created', { id }) : t('admin.persona_replaced', { id })));
        loadPersonas();
      } catch (ex) {
        const x = ex.extra || {};
        mount(result, h('div', { class: 'banner banner-danger', role: 'alert' }, icon('alert', 18),
          h('div', null,
            h('b', null, t('admin.upload_failed')),
            x.field ? h('div', { class: 'small' }, `${x.file || file.name} · ${x.field}${x.line ? ` · ${t('admin.line', { n: x.line })}` : ''}: ${x.reason || ''}`) : h('div', { class: 'small' }, ex.code === 'conflict' ? t('admin.no_dir') : app.errorText(ex)))));
      }
      fileIn.value = '';
    }

    const scen = (id) => (data.scenarios || []).find((s) => s.id === id);
    mount(personasEl,
      h('div', { class: 'card-head' }, h('h2', { id: 'pers-h' }, icon('users'), t('admin.personas')),
        h('button', {
          type: 'button', class: 'btn btn-sm',
          onclick: async () => { try { const r = await app.api.reloadPersonas(); app.toast(t('admin.reloaded', { n: r.personas }), 'success'); loadPersonas(); } catch (ex) { app.toast(app.errorText(ex), 'error'); } },
        }, icon('refresh', 15), t('admin.reload'))),
      h('div', { class: 'card-body stack' }, zone, result),
      (data.personas || []).length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'sr-only' }, t('admin.personas')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col.persona')), h('th', { scope: 'col' }, t('admin.scenario')), h('th', { scope: 'col' }, t('admin.difficulty')),
          h('th', { scope: 'col' }, t('admin.languages')), h('th', { scope: 'col' }, t('admin.urgency')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('col.actions'))))),
        h('tbody', null, data.personas.map((p) => h('tr', null,
          h('td', null, h('div', { class: 'person' }, avatar(personaName(p), p.id, 'sm'), h('div', null, h('b', null, personaName(p)), h('div', { class: 'small muted' }, p.id)))),
          h('td', null, tx(scen(p.scenario)?.name) || p.scenario),
          h('td', null, difficultyPill(p.difficulty)),
          h('td', null, h('div', { class: 'row', style: { gap: '4px' } }, langPills(p.languages))),
          h('td', null, p.hidden ? h('span', { class: `urg urg-${p.hidden.urgency}` }, t(`urgency.${p.hidden.urgency}`)) : '—'),
          h('td', { class: 'num nowrap' },
            p.editable ? h('span', { class: 'pill pill-info', style: { 'margin-right': '6px' } }, t('admin.uploaded')) : h('span', { class: 'pill', style: { 'margin-right': '6px' } }, t('admin.shipped')),
            p.editable ? h('button', {
              type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('admin.delete_persona', { id: p.id }), title: t('admin.delete'),
              onclick: async () => {
                if (!await confirmDialog({ title: t('admin.delete_persona', { id: p.id }), body: t('admin.delete_persona_body'), ok: t('admin.delete'), danger: true })) return;
                try { await app.api.deletePersona(p.id); app.toast(t('admin.deleted'), 'success'); loadPersonas(); } catch (ex) { app.toast(app.errorText(ex), 'error'); }
              },
            }, icon('trash', 16)) : null)))))) : h('div', { class: 'card-body' }, emptyState(t('practice.no_personas'), 'users')));
  }

  loadUsers();
  loadPersonas();
}
