// The Stack pane: the frames, innermost first (node internals folded, as `w` does), and the
// exception chain under them. A click selects a frame or an error (the controlling page only).
import { request } from './connection.js';
import { $, el } from './dom.js';
import { ui } from './state.js';

/** Says a failed request in the console. */
let complain = () => {};

/** `onError(text)` shows why a click did nothing (a request the program refused). */
export function initStack(onError) {
  complain = onError;
}

export function renderFrames(state) {
  const items = [];
  let folded = 0;
  const flush = () => {
    if (folded) items.push(el('li', 'internal', `${folded} node-internal frame${folded === 1 ? '' : 's'}`));
    folded = 0;
  };
  for (const f of state.frames) {
    if (f.kind === 'node' && f.index !== state.index) {
      folded++;
      continue;
    }
    flush();
    const li = el('li', f.selectable ? '' : 'internal');
    li.dataset.frame = String(f.index);
    if (f.index === state.index) li.classList.add('current');
    if (f.selectable) {
      li.append(el('span', 'fn', f.name));
      if (f.instrumented) {
        const badge = el('span', 'badge', 'locals');
        badge.title = 'its local variables were captured at the throw';
        li.append(badge);
      }
      li.append(el('span', 'loc', f.location));
      li.addEventListener('click', () => selectFrame(f.index));
    } else {
      li.textContent = f.location;
    }
    items.push(li);
  }
  flush();
  if (state.moreFrames) items.push(el('li', 'internal', `${state.moreFrames} more frames (w lists them)`));
  if (!state.frames.length) items.push(el('li', 'internal', 'no stack: the thrown value has no stack trace'));
  $('frames').replaceChildren(...items);
}

function selectFrame(index) {
  if (ui.role !== 'control' || !ui.ready || !ui.state || index === ui.state.index) return;
  request('select', { frame: index }).catch((e) => complain(e.message));
}

export function renderExceptions(state) {
  $('exceptions-box').hidden = state.exceptions.length < 2;
  const items = state.exceptions.map((e) => {
    const li = el('li', e.index === state.exceptionIndex ? 'current' : '');
    li.style.paddingLeft = `${12 + 14 * e.depth}px`;
    li.dataset.exception = String(e.index);
    if (e.depth > 0) li.append(el('span', 'label', e.label));
    li.append(el('span', 'text', e.text));
    li.addEventListener('click', () => {
      if (ui.role !== 'control' || !ui.ready || e.index === state.exceptionIndex) return;
      request('exception', { index: e.index }).catch((err) => complain(err.message));
    });
    return li;
  });
  $('exceptions').replaceChildren(...items);
}
