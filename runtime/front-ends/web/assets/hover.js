// The value of a name under the mouse in the Source pane, as DevTools shows it: after a short rest
// on an identifier (or the last name of `a.b.c`), the page asks the program for its value in the
// selected frame (runtime/engine/hover-value.ts: locals, closure variables, `this`, the module's
// bindings; properties read from their descriptors, so no getter or Proxy trap runs) and shows it as
// a tree node that opens like a variable. A name that is no variable of the frame shows nothing.
import { request } from './connection.js';
import { $, el } from './dom.js';
import { nameChainAt } from './source-words.js';
import { drawnLine, markedFrame, textOffset, textRange } from './source-pane.js';
import { ui } from './state.js';
import { nodeEl, SEP } from './tree.js';

/** Rest of the mouse on a name before its value is asked for, in ms. */
const DELAY = 250;
/** Time to move from the name to the popup before it closes, in ms. */
const LINGER = 350;

let restTimer = 0;
let hideTimer = 0;
/** The name shown (`generation:line:col:path`), and the one asked for. */
let shown = null;
let asked = null;
/** Open nodes in the popup (forgotten with it). */
const opened = new Set();

export function initHover() {
  const box = $('source');
  const pop = $('hover');
  box.addEventListener('mousemove', (ev) => {
    clearTimeout(restTimer);
    const { clientX: x, clientY: y } = ev;
    restTimer = setTimeout(() => lookAt(x, y), DELAY);
  });
  box.addEventListener('mouseleave', () => {
    clearTimeout(restTimer);
    hideSoon();
  });
  box.addEventListener('scroll', () => hideHover());
  pop.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  pop.addEventListener('mouseleave', () => hideSoon());
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') hideHover();
  });
  document.addEventListener('mousedown', (ev) => {
    if (!pop.contains(ev.target)) hideHover();
  });
}

/** Closes the popup (also on each new state: the values it shows are from the previous prompt). */
export function hideHover() {
  clearTimeout(hideTimer);
  shown = null;
  asked = null;
  $('hover').hidden = true;
  if (typeof CSS !== 'undefined' && CSS.highlights) CSS.highlights.delete('ts-pdb-hover');
}

function hideSoon() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hideHover, LINGER);
}

/**
 * Says on the popup what the last rest of the mouse came to (`data-looked`: `line:col:a.b`, or
 * empty for no name; `data-looks` counts them): a test waits for it instead of for time to pass.
 */
function looked(what) {
  const pop = $('hover');
  pop.dataset.looked = what;
  pop.dataset.looks = String(Number(pop.dataset.looks || 0) + 1);
}

function lookAt(x, y) {
  const frame = markedFrame();
  const target = frame && ui.state && frame.index === ui.state.index ? nameAt(x, y) : null;
  if (!target) {
    if (!$('hover').matches(':hover')) hideSoon();
    looked('');
    return;
  }
  const what = `${target.line}:${target.start}:${target.path.join('.')}`;
  const key = `${ui.generation}:${what}`;
  if (key === shown) {
    clearTimeout(hideTimer);
    looked(what);
    return;
  }
  if (key === asked) return;
  asked = key;
  const gen = ui.generation;
  request('hover', { frame: frame.index, line: target.line, col: target.start, path: target.path }).then(
    (answer) => {
      if (gen !== ui.generation || asked !== key) return;
      asked = null;
      if (answer.none !== undefined) hideHover();
      else show(answer, target, key);
      looked(what);
    },
    () => {
      if (asked === key) asked = null;
    },
  );
}

/** The name chain under the point `x`, `y` of the source pane: `{ line, start, path, range }`, or null. */
function nameAt(x, y) {
  const pos = caretAt(x, y);
  if (!pos || pos.node.nodeType !== Node.TEXT_NODE) return null;
  const code = pos.node.parentElement && pos.node.parentElement.closest('#source .code');
  if (!code) return null;
  const line = Number(code.closest('.ln').dataset.line);
  const tokens = drawnLine(line);
  if (!tokens) return null;
  const at = textOffset(code, pos.node, pos.offset);
  // A caret falls between two characters: the one under the pointer is on either side.
  for (const offset of [at, at - 1]) {
    const found = nameChainAt(tokens, offset);
    if (!found) continue;
    const word = textRange(code, found.wordStart, found.end);
    if (!word || ![...word.getClientRects()].some((r) => x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1))
      continue;
    return { line, start: found.start, path: found.path, range: textRange(code, found.start, found.end) };
  }
  return null;
}

function caretAt(x, y) {
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    return p && { node: p.offsetNode, offset: p.offset };
  }
  const r = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
  return r && { node: r.startContainer, offset: r.startOffset };
}

function show(answer, target, key) {
  const pop = $('hover');
  opened.clear();
  const parts = [];
  if (answer.note !== undefined) {
    parts.push(el('div', 'hover-expr', answer.expression), el('div', 'hover-note', answer.note));
  } else {
    const tree = el('ul', 'tree');
    const item = nodeEl(answer.node, `hover${SEP}${answer.expression}`, opened);
    // Where the name was found (Locals, Closure, this, Module), at the end of its row.
    item.querySelector('.row').append(el('span', 'hover-scope', answer.scope));
    tree.append(item);
    parts.push(tree);
  }
  pop.replaceChildren(...parts);
  pop.hidden = false;
  shown = key;
  clearTimeout(hideTimer);
  const r = target.range.getBoundingClientRect();
  const left = Math.max(8, Math.min(r.left, window.innerWidth - pop.offsetWidth - 8));
  let top = r.bottom + 4;
  if (top + pop.offsetHeight > window.innerHeight - 8) top = Math.max(8, r.top - 4 - pop.offsetHeight);
  pop.style.left = `${left}px`;
  pop.style.top = `${top}px`;
  if (typeof CSS !== 'undefined' && CSS.highlights) CSS.highlights.set('ts-pdb-hover', new Highlight(target.range));
}
