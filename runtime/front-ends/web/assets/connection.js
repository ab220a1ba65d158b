// The page's one WebSocket to the rank's worker (runtime/front-ends/web/page-protocol.ts has the messages):
// reconnects with backoff while the program may still be there, and turns requests into promises.
import { ui } from './state.js';

/** The session's token, when its URL has one: the WebSocket needs it too. */
export const token = new URLSearchParams(location.search).get('token');
/** Reconnection attempts before the page says the program is gone. */
const RETRIES = 20;

let ws = null;
let retries = 0;
let nextId = 1;
const pending = new Map();

/**
 * Connects, and reconnects after a drop. `onMessage(m)` gets every message; `onDrop(retrying)` is
 * told of each drop (false: the page gives up).
 */
export function connect(onMessage, onDrop) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  ws = new WebSocket(`${scheme}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  ws.onopen = () => {
    retries = 0;
  };
  ws.onmessage = (ev) => {
    let m;
    try {
      m = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (m.type === 'answer') answered(m);
    else onMessage(m);
  };
  ws.onclose = () => {
    for (const p of pending.values()) p.reject(new Error('disconnected'));
    pending.clear();
    if (ui.ended) return;
    if (retries >= RETRIES) {
      onDrop(false);
      return;
    }
    onDrop(true);
    setTimeout(() => connect(onMessage, onDrop), Math.min(10000, 500 * 2 ** retries++));
  };
}

/** True while the WebSocket is open. */
export const isOpen = () => ws !== null && ws.readyState === WebSocket.OPEN;

/** Sends a message (dropped while disconnected: the page is redrawn on reconnection). */
export function send(m) {
  if (isOpen()) ws.send(JSON.stringify(m));
}

/** A request answered by the program at its prompt: resolves with its result, rejects with its error. */
export function request(method, params) {
  return new Promise((resolve, reject) => {
    if (!isOpen()) {
      reject(new Error('disconnected'));
      return;
    }
    const id = nextId++;
    pending.set(id, { resolve, reject });
    send({ type: 'request', id, method, params });
  });
}

function answered(m) {
  const p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  if (m.error !== undefined) p.reject(new Error(m.error));
  else p.resolve(m.result);
}
