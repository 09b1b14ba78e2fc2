// api.js — the HTTP API of docs/api.md (v1), and nothing else.

/** ApiError is a refused or failed request, with the API's stable code. */
export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

const BASE = '/api/v1';

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Api talks to the server; it keeps the session's CSRF token. */
export class Api {
  constructor({ onUnauthorized } = {}) {
    this.csrf = '';
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, path, body, { raw = false, contentType } = {}) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string') {
        payload = body;
        headers['Content-Type'] = contentType || 'text/plain';
      } else {
        payload = JSON.stringify(body);
        headers['Content-Type'] = 'application/json';
      }
    }
    let res;
    try {
      res = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
    } catch (e) {
      throw new ApiError(0, 'network', e.message);
    }
    if (res.status === 204) return null;
    if (!res.ok) {
      let err = {};
      try { err = (await res.json()).error || {}; } catch { /* not JSON */ }
      const code = err.code || (res.status === 401 ? 'unauthorized' : res.status === 404 ? 'not_found' : 'internal');
      const e = new ApiError(res.status, code, err.message, { ...err, retryAfter: res.headers.get('Retry-After') });
      if (res.status === 401 && path !== '/login' && !path.startsWith('/me/') && this.onUnauthorized) this.onUnauthorized(e);
      throw e;
    }
    if (raw) return res;
    return res.json();
  }

  // --- session
  async login(username, password) {
    const r = await this.request('POST', '/login', { username, password });
    this.csrf = r.csrf_token || '';
    return r;
  }
  async me() {
    const r = await this.request('GET', '/me');
    this.csrf = r.csrf_token || '';
    return r;
  }
  async logout() {
    try { await this.request('POST', '/logout', {}); } finally { this.csrf = ''; }
  }
  changePassword(oldPassword, newPassword) {
    return this.request('POST', '/me/password', { old_password: oldPassword, new_password: newPassword });
  }

  // --- personas
  personas() { return this.request('GET', '/personas'); }
  persona(id) { return this.request('GET', `/personas/${encodeURIComponent(id)}`); }
  putPersona(id, yaml) { return this.request('PUT', `/personas/${encodeURIComponent(id)}`, yaml, { contentType: 'application/yaml' }); }
  deletePersona(id) { return this.request('DELETE', `/personas/${encodeURIComponent(id)}`); }
  reloadPersonas() { return this.request('POST', '/personas/reload', {}); }

  // --- deals
  /** deals lists a page of deals; cursor is the previous page's next_cursor (none: the first page). */
  deals(filter, cursor) { return this.request('GET', `/deals${query({ ...filter, cursor })}`); }
  dealsCSVURL(filter) { return `${BASE}/deals.csv${query(filter)}`; }
  deal(id) { return this.request('GET', `/deals/${encodeURIComponent(id)}`); }
  addComment(id, call, turn, text) { return this.request('POST', `/deals/${encodeURIComponent(id)}/comments`, { call, turn, text }); }
  addOverride(id, score, reason) { return this.request('POST', `/deals/${encodeURIComponent(id)}/overrides`, { score, reason }); }

  // --- teams
  teams() { return this.request('GET', '/teams'); }
  teamStats(team, filter) { return this.request('GET', `/teams/${encodeURIComponent(team)}/stats${query(filter)}`); }
  teamSettings(team) { return this.request('GET', `/teams/${encodeURIComponent(team)}/settings`); }
  setTeamSettings(team, settings) { return this.request('PUT', `/teams/${encodeURIComponent(team)}/settings`, settings); }

  // --- users
  users(filter) { return this.request('GET', `/users${query(filter)}`); }
  createUser(u) { return this.request('POST', '/users', u); }
  updateUser(id, upd) { return this.request('PATCH', `/users/${id}`, upd); }
  deleteUser(id) { return this.request('DELETE', `/users/${id}`); }
}
