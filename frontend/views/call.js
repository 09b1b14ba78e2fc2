// views/call.js — the call screen: a phone call with a simulated customer
// over the practice websocket. Three parts, one concern each: the session
// (call-session.js) owns the protocol and the call's state, the view
// (call-view.js, call-end.js) draws it, and the speech (call-speech.js)
// listens and reads aloud where the browser can. This file wires them.

import { CallSession } from './call-session.js';
import { CallView } from './call-view.js';
import { Speech } from './call-speech.js';
import { t } from '../i18n.js';

export function renderCall(app, root, [id], query) {
  const isNew = id === 'new';
  const start = isNew ? app.state.pendingStart : null;
  if (isNew && !start) {
    app.navigate('#/practice', { replace: true });
    return null;
  }
  if (isNew) app.state.pendingStart = null;

  const session = new CallSession({
    dealId: isNew ? '' : id,
    start,
    hints: !!start?.hints,
    hintsAllowed: app.hintsAllowed(),
    pendingDial: !isNew ? query.get('goal') || '' : '',
    pendingFinish: !isNew && query.get('finish') === '1',
  });
  let view = null;
  const speech = new Speech({
    onText: (text) => view?.heard(text, false),
    onFinal: (text) => view?.heard(text, true),
    onListening: (on) => view?.listening(on),
    onError: () => app.toast(t('call.mic_error'), 'error'),
  });
  view = new CallView({ app, root, session, speech });
  const off = session.on((ev) => view.apply(ev));
  session.connect();

  const onOffline = () => view.showBanner('warning', t('call.offline'), true);
  const onResize = () => view.onResize();
  window.addEventListener('offline', onOffline);
  window.addEventListener('resize', onResize);

  return () => {
    view.close();
    off();
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('resize', onResize);
    speech.close();
    session.close();
  };
}
