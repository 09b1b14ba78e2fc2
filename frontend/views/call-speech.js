// views/call-speech.js — the call's voice, where the browser has one: the
// trainee speaks a line (speech recognition) and hears the customer (speech
// synthesis). Both are optional; typing always works.

const SR = window.SpeechRecognition || window.webkitSpeechRecognition;
const TTS = 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;
const SPEAK_KEY = 'callsim.speak';

function bcp47(lang) { return lang === 'zh' ? 'zh-CN' : 'en-US'; }

/**
 * Speech holds the microphone and the loudspeaker of one call screen.
 * handlers: onText(text) while the trainee speaks, onFinal(text) when a
 * spoken line is complete, onListening(bool), onError().
 */
export class Speech {
  constructor(handlers) {
    this.h = handlers;
    this.canListen = !!SR;
    this.canSpeak = TTS;
    this.listening = false;
    this.rec = null;
    let saved = '0';
    try { saved = localStorage.getItem(SPEAK_KEY) || '0'; } catch { /* storage may be off */ }
    this.speakOn = TTS && saved === '1';
  }

  /** setSpeakOn turns reading the customer's lines aloud on or off (remembered). */
  setSpeakOn(on) {
    this.speakOn = TTS && !!on;
    try { localStorage.setItem(SPEAK_KEY, this.speakOn ? '1' : '0'); } catch { /* ignore */ }
    if (!this.speakOn) this.cancel();
  }

  /** toggle starts listening, or stops it. */
  toggle(lang) { if (this.listening) this.stop(); else this.listen(lang); }

  /** listen starts recognising one spoken line in lang ("zh" or "en"). */
  listen(lang) {
    if (!SR || this.listening) return;
    const rec = new SR();
    this.rec = rec;
    rec.lang = bcp47(lang);
    rec.interimResults = true;
    rec.continuous = false;
    let finalText = '';
    rec.onresult = (e) => {
      let interim = '';
      for (let i = e.resultIndex; i < e.results.length; i++) {
        const r = e.results[i];
        if (r.isFinal) finalText += r[0].transcript; else interim += r[0].transcript;
      }
      this.h.onText?.((finalText + interim).trim());
    };
    rec.onerror = (e) => {
      if (e.error !== 'no-speech' && e.error !== 'aborted') this.h.onError?.();
    };
    rec.onend = () => {
      this.listening = false;
      this.h.onListening?.(false);
      if (finalText.trim()) this.h.onFinal?.(finalText.trim());
    };
    try {
      rec.start();
      this.listening = true;
      this.h.onListening?.(true);
    } catch {
      this.h.onError?.();
    }
  }

  /** stop ends listening; what was recognised so far is kept. */
  stop() { try { this.rec?.stop(); } catch { /* ignore */ } }

  /** speak reads a customer's line aloud, when that is on. */
  speak(text, lang) {
    if (!this.speakOn || !text) return;
    try {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = bcp47(lang);
      const v = window.speechSynthesis.getVoices().find((x) => x.lang?.toLowerCase().startsWith(lang));
      if (v) u.voice = v;
      window.speechSynthesis.speak(u);
    } catch { /* voice is optional */ }
  }

  /** cancel stops reading aloud. */
  cancel() { if (TTS) { try { window.speechSynthesis.cancel(); } catch { /* ignore */ } } }

  /** close releases the microphone and the loudspeaker. */
  close() {
    if (this.listening) this.stop();
    this.cancel();
  }
}
