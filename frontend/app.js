// app.js — the shell: session, hash router, top bar, language switch,
// toasts. Views live in views/ and render into the page container.

import { h, mount, icon, avatar } from './dom.js';
import { Api, ApiError } from './api.js';
import { t, getLang, setLang, onLangChange, tx } from './i18n.js';
import { renderLogin } from './views/login.js';
import { renderPractice } from './views/practice.js';
import { renderCall } from './views/call.js';
import { renderDeal } from './views/deal.js';
import { renderHistory } from './views/history.js';
import { renderCoach } from './views/coach.js';
import { renderAdmin } from './views/admin.js';
import { openPasswordDialog } from './views/account.js';
import { refusal } from './views/common.js';

const ROUTES = [
  { re: /^\/login$/, view: renderLogin, bare: true },
  { re: /^\/practice$/, view: renderPractice, nav: 'practice' },
  { re: /^\/call\/(new|[A-Za-z0-9_-]+)$/, view: renderCall, nav: 'practice', wide: true },
  { re: /^\/deal\/([A-Za-z0-9_-]+)$/, view: renderDeal, nav: 'deal' },
  { re: /^\/history$/, view: renderHistory, nav: 'history' },
  { re: /^\/coach$/, view: renderCoach, nav: 'coach', roles: ['coach', 'admin'] },
  { re: /^\/admin$/, view: renderAdmin, nav: 'admin', roles: ['admin'] },
];

class App {
  constructor() {
    this.api = new Api({ onUnauthorized: () => this.sessionLost() });
    this.user = null;
    this.teamSettings = null;
    this.cleanup = null;
    this.state = {}; // hand-over between views (e.g. the call to start)
    this.root = document.getElementById('app');
    this.toasts = document.getElementById('toasts');
    this.renderSeq = 0;
  }

  async start() {
    document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
    window.addEventListener('hashchange', () => this.route());
    onLangChange(() => {
      document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
      this.route();
    });
    document.addEventListener('click', (e) => {
      const a = e.target.closest('.skip-link');
      if (a) { e.preventDefault(); document.getElementById('main')?.focus(); }
    });
    try {
      const me = await this.api.me();
      this.setSession(me);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) this.toast(this.errorText(e), 'error');
    }
    this.route();
  }

  setSession(r) {
    this.user = r ? r.user : null;
    this.teamSettings = r ? r.team_settings || null : null;
  }

  hintsAllowed() { return !this.teamSettings?.hints_disabled; }

  /** home is the landing page for the user's role. */
  home() {
    if (!this.user) return '#/login';
    return this.user.role === 'trainee' ? '#/practice' : '#/coach';
  }

  navigate(hash, { replace = false } = {}) {
    if (replace) {
      history.replaceState(null, '', hash);
      this.route();
    } else if (location.hash === hash) {
      this.route();
    } else {
      location.hash = hash;
    }
  }

  sessionLost() {
    if (!this.user) return;
    this.user = null;
    this.toast(t('err.session_expired'), 'error');
    this.state.after = location.hash;
    this.navigate('#/login');
  }

  async logout() {
    try { await this.api.logout(); } catch { /* the session is gone either way */ }
    this.user = null;
    this.navigate('#/login');
  }

  parseHash() {
    const raw = location.hash.replace(/^#/, '') || '/';
    const [path, qs] = raw.split('?');
    return { path, query: new URLSearchParams(qs || '') };
  }

  async route() {
    const seq = ++this.renderSeq;
    if (this.cleanup) { try { this.cleanup(); } catch { /* ignore */ } this.cleanup = null; }
    const { path, query } = this.parseHash();
    if (!this.user && path !== '/login') {
      if (path !== '/' && path !== '') this.state.after = location.hash;
      history.replaceState(null, '', '#/login');
      return this.route();
    }
    if (path === '/' || path === '') {
      history.replaceState(null, '', this.home());
      return this.route();
    }
    const r = ROUTES.find((x) => x.re.test(path));
    if (!r) return this.renderShell(null, (el) => this.renderNotFound(el));
    if (r.roles && !r.roles.includes(this.user.role)) {
      return this.renderShell(r, (el) => this.renderForbidden(el));
    }
    if (path === '/login' && this.user) {
      history.replaceState(null, '', this.home());
      return this.route();
    }
    const params = path.match(r.re).slice(1);
    if (r.bare) {
      const el = h('main', { id: 'main', tabindex: '-1' });
      mount(this.root, el);
      this.cleanup = await r.view(this, el, params, query);
      return;
    }
    const newPage = path !== this.lastPath;
    this.lastPath = path;
    await this.renderShell(r, async (el) => {
      if (newPage) {
        // A new page starts at its top, with focus on it for screen readers.
        window.scrollTo(0, 0);
        el.focus({ preventScroll: true });
      }
      const c = await r.view(this, el, params, query);
      if (seq === this.renderSeq) this.cleanup = c || null;
      else if (typeof c === 'function') c();
    });
  }

  async renderShell(route, fill) {
    const main = h('main', { id: 'main', class: route?.wide ? 'page page-wide' : 'page', tabindex: '-1' });
    mount(this.root, this.topbar(route), main);
    document.title = 'callsim';
    await fill(main);
  }

  topbar(route) {
    const u = this.user;
    // A deal belongs under the coach's desk for coaches, else under history.
    const nav = route?.nav === 'deal' ? (u.role === 'trainee' ? 'history' : 'coach') : route?.nav;
    const link = (href, key, label, ic) => h('a', {
      href, 'aria-current': nav === key ? 'page' : null,
    }, icon(ic, 17), label);
    const items = [];
    if (u.role === 'coach' || u.role === 'admin') items.push(link('#/coach', 'coach', t('nav.coach'), 'users'));
    items.push(link('#/practice', 'practice', t('nav.practice'), 'phone'));
    items.push(link('#/history', 'history', t('nav.history'), 'chart'));
    if (u.role === 'admin') items.push(link('#/admin', 'admin', t('nav.admin'), 'settings'));
    const langBtn = (code, label) => h('button', {
      type: 'button', 'aria-pressed': getLang() === code ? 'true' : 'false', lang: code === 'zh' ? 'zh-CN' : 'en',
      onclick: () => setLang(code),
    }, label);
    return h('header', { class: 'topbar' },
      h('div', { class: 'topbar-inner' },
        h('a', { class: 'brand', href: this.home(), 'aria-label': t('app.home') },
          h('span', { class: 'brand-mark' }, icon('phone', 16)), 'callsim',
          h('span', { class: 'brand-tag' }, t('app.tagline'))),
        h('nav', { class: 'nav', 'aria-label': t('nav.label') }, items),
        h('div', { class: 'topbar-right' },
          h('div', { class: 'seg', role: 'group', 'aria-label': t('app.language') }, langBtn('en', 'EN'), langBtn('zh', '中文')),
          h('div', { class: 'user-chip' },
            avatar(u.name || u.username, u.username, 'sm'),
            h('div', { class: 'who' }, h('b', null, u.name || u.username), h('span', null, `${t('role.' + u.role)}${u.team ? ' · ' + u.team : ''}`))),
          h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('account.password'), title: t('account.password'), onclick: () => openPasswordDialog(this) }, icon('lock', 17)),
          h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-icon', 'aria-label': t('app.logout'), title: t('app.logout'), onclick: () => this.logout() }, icon('logout', 17)),
        )));
  }

  renderNotFound(el) {
    mount(el, refusal(t('err.page_not_found'), t('err.page_not_found_body'), this.home()));
  }

  renderForbidden(el) {
    mount(el, refusal(t('err.forbidden_title'), t('err.forbidden_body'), this.home()));
  }

  /** errorText turns an API or protocol error into a sentence for people. */
  errorText(e) {
    const code = e?.code || 'internal';
    if (code === 'too_many_requests' && e.extra?.retryAfter) return t('err.too_many_requests_wait', { s: e.extra.retryAfter });
    const key = `err.${code}`;
    const msg = t(key);
    if (msg !== key) return e.message && code === 'invalid' ? `${msg} ${e.message}` : msg;
    return e?.message || t('err.internal');
  }

  toast(text, kind = 'info', ms = 5000) {
    const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      icon(kind === 'error' ? 'alert' : kind === 'success' ? 'check' : 'info', 18),
      h('span', null, text),
      h('button', { type: 'button', 'aria-label': t('app.dismiss'), onclick: () => el.remove() }, icon('x', 16)));
    this.toasts.append(el);
    if (ms) setTimeout(() => el.remove(), ms);
  }

  tx(text) { return tx(text); }
}

new App().start();
