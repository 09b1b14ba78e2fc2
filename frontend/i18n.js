// i18n.js — the interface in Chinese and English. The language follows the
// browser until the user picks one; the choice is remembered.

import { en } from './i18n-en.js';
import { zh } from './i18n-zh.js';

const DICTS = { en, zh };
const KEY = 'callsim.lang';
const listeners = new Set();

function detect() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch { /* storage may be off */ }
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language || 'en'];
  for (const p of prefs) {
    const l = String(p).toLowerCase();
    if (l.startsWith('zh')) return 'zh';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

let current = detect();

/** getLang returns the interface language, "zh" or "en". */
export function getLang() { return current; }

/** setLang switches the interface language and re-renders. */
export function setLang(lang) {
  if (lang !== 'zh' && lang !== 'en' || lang === current) return;
  current = lang;
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
  for (const f of listeners) f(lang);
}

/** onLangChange registers a callback for language switches. */
export function onLangChange(f) { listeners.add(f); return () => listeners.delete(f); }

/** t translates a key, filling {name} placeholders from vars. */
export function t(key, vars) {
  let s = DICTS[current][key];
  if (s === undefined) s = DICTS.en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
  return s;
}

/** tx picks a multilingual text ({"en": …, "zh": …}) in the interface language. */
export function tx(text, lang) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  const l = lang || current;
  return text[l] || text.en || text.zh || '';
}

/** has reports whether a key exists. */
export function has(key) { return key in DICTS.en; }
