// The Source pane: the selected frame's file in its TypeScript, highlighted, the current line marked
// and scrolled into view, the throw's column marked.
//
// Long lines scroll sideways, as in DevTools' Sources panel and in editors: wrapped code loses the
// shape its indentation gives it, and a wrapped line looks like several. The line numbers stay put
// while the code scrolls, the current line's mark runs the whole width, and a throw far to the right
// is scrolled into view. The `wrap` button (remembered) wraps them instead, for those who prefer it.
import { request } from './connection.js';
import { $, el, loadStored, store } from './dom.js';
import { ui } from './state.js';

const WRAP_KEY = 'ts-pdb-wrap';
/** Source answers by file. */
const sources = new Map();
/** The source answer drawn in the pane, and the frame whose line is marked. */
let drawn = null;
let marked = null;

/** The tokens (`[class, text][]`) of line `n` of the drawn file, or undefined. */
export function drawnLine(n) {
  if (!drawn || drawn.missing) return undefined;
  return drawn.lines[n - drawn.first];
}

/** The drawn frame (its index, line and column), or null. */
export const markedFrame = () => marked;

/** Wires the wrap button, with the choice kept from the last visit. */
export function initSource() {
  setWrap(loadStored(WRAP_KEY, false) === true);
  $('wrap').addEventListener('click', () => {
    const on = !$('source').classList.contains('wrap');
    setWrap(on);
    store(WRAP_KEY, on || undefined);
    reveal();
  });
}

function setWrap(on) {
  $('source').classList.toggle('wrap', on);
  $('wrap').setAttribute('aria-pressed', String(on));
  $('wrap').title = on ? 'Long lines wrap: click to scroll them sideways instead' : 'Long lines scroll sideways: click to wrap them';
}

export function renderSource(state) {
  const frame = state.frames.find((f) => f.index === state.index);
  const box = $('source');
  if (!frame || !frame.file) {
    $('source-title').textContent = 'Source';
    box.replaceChildren(el('div', 'empty', frame ? 'No source for this frame.' : 'No frame selected.'));
    drawn = null;
    marked = null;
    return;
  }
  const cached = sources.get(frame.file);
  const covers = (a) => a && (a.total === 0 || (frame.line >= a.first && frame.line < a.first + a.lines.length));
  if (covers(cached)) {
    drawSource(cached, frame);
    return;
  }
  const gen = ui.generation;
  request('source', { frame: frame.index }).then(
    (answer) => {
      sources.set(answer.file, answer);
      if (gen === ui.generation) drawSource(answer, frame);
    },
    (e) => {
      if (gen === ui.generation) box.replaceChildren(el('div', 'empty', e.message));
    },
  );
}

function drawSource(answer, frame) {
  const box = $('source');
  $('source-title').textContent = `${answer.shown}${frame.line ? `:${frame.line}` : ''}`;
  $('source-title').title = answer.file;
  if (drawn !== answer) {
    if (answer.missing) {
      box.replaceChildren(el('div', 'empty', `The source of ${answer.shown} cannot be read.`));
    } else {
      // One block as wide as the longest line: every row (and the current line's mark) is that wide.
      const lines = el('div', 'lines');
      answer.lines.forEach((tokens, i) => {
        const n = answer.first + i;
        const row = el('div', 'ln');
        row.dataset.line = String(n);
        row.append(el('span', 'num', String(n)));
        const code = el('span', 'code');
        for (const [cls, text] of tokens) code.append(cls ? el('span', `tk-${cls}`, text) : document.createTextNode(text));
        if (!tokens.length) code.append(document.createTextNode(' '));
        row.append(code);
        lines.append(row);
      });
      box.replaceChildren(lines);
    }
    drawn = answer;
  }
  for (const old of box.querySelectorAll('.ln.current')) old.classList.remove('current');
  marked = frame;
  const line = box.querySelector(`.ln[data-line="${frame.line}"]`);
  if (line) line.classList.add('current');
  markColumn(line, frame.col);
  reveal();
}

/** Scrolls the current line to the middle of the pane, and sideways to the throw's column. */
function reveal() {
  const box = $('source');
  const line = box.querySelector('.ln.current');
  if (!line) return;
  box.scrollTop = Math.max(0, line.offsetTop - box.clientHeight / 2 + line.clientHeight / 2);
  const at = marked?.col === undefined ? null : textRange(line.querySelector('.code'), marked.col, marked.col + 1);
  if (!at || box.classList.contains('wrap')) {
    box.scrollLeft = 0;
    return;
  }
  const boxLeft = box.getBoundingClientRect().left;
  const x = at.getBoundingClientRect().left - boxLeft + box.scrollLeft;
  // The line numbers stay on the left: the code is seen from the right of them.
  const gutter = line.querySelector('.num').getBoundingClientRect().right - boxLeft;
  const room = box.clientWidth - gutter;
  box.scrollLeft = x - gutter < room * 0.8 ? 0 : x - gutter - room / 3;
}

/** Marks the throw's position: the word at column `col` of `line` (a CSS highlight: the DOM stays as drawn). */
function markColumn(line, col) {
  if (typeof CSS === 'undefined' || !CSS.highlights) return;
  CSS.highlights.delete('ts-pdb-here');
  if (!line || col === undefined) return;
  const code = line.querySelector('.code');
  const text = code.textContent;
  let end = col + 1;
  while (end < text.length && /[$\w]/.test(text[end]) && /[$\w]/.test(text[col])) end++;
  const range = textRange(code, col, Math.min(end, text.length));
  if (range) CSS.highlights.set('ts-pdb-here', new Highlight(range));
}

/** A DOM Range over characters `[from, to)` of the text inside `container`, or null when out of it. */
export function textRange(container, from, to) {
  if (!container || from < 0 || to <= from) return null;
  const walk = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let pos = 0;
  let started = false;
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const len = node.data.length;
    if (!started && from < pos + len) {
      range.setStart(node, from - pos);
      started = true;
    }
    if (started && to <= pos + len) {
      range.setEnd(node, to - pos);
      return range;
    }
    pos += len;
  }
  return null;
}

/** The offset in the text of `container` of position `offset` in its text node `node`. */
export function textOffset(container, node, offset) {
  const walk = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let pos = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n === node) return pos + offset;
    pos += n.data.length;
  }
  return -1;
}
