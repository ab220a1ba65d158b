// Resizable panes: drag the bar between two panes (or focus it and use the arrow keys); a
// double-click gives the pane its default size back. Sizes are kept in localStorage (per origin:
// per rank's port), so a reload or the next session of the rank opens as the user left it. The
// source pane always keeps room for code, however wide the others are dragged or the window shrinks.
import { $, loadStored, store } from './dom.js';

const KEY = 'ts-pdb-panes';
/** The panes that can be resized: the CSS variable that sizes each, its splitter, and its least size in px. */
const PANES = {
  stack: { prop: '--stack-w', splitter: 'split-stack', min: 140, axis: 'x', sign: 1 },
  vars: { prop: '--vars-w', splitter: 'split-vars', min: 180, axis: 'x', sign: -1 },
  console: { prop: '--console-h', splitter: 'split-console', min: 90, axis: 'y', sign: -1 },
};
/** Room always left to the source pane (px wide) and to the top row (px high). */
const MIN_SOURCE = 320;
const MIN_TOP = 160;
/** A key press moves a splitter by this many px (with Shift, four times as far). */
const STEP = 16;

let sizes = {};

/** The size of a pane now, in px. */
function sizeOf(name) {
  const r = $(`${name}-pane`).getBoundingClientRect();
  return PANES[name].axis === 'x' ? r.width : r.height;
}

/** The largest size `name` may have, given the others and the window. */
function maxOf(name) {
  const grid = $('grid');
  const cs = getComputedStyle(grid);
  if (PANES[name].axis === 'x') {
    const inner = grid.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const bars = $('split-stack').offsetWidth + $('split-vars').offsetWidth;
    const other = name === 'stack' ? sizeOf('vars') : sizeOf('stack');
    return inner - bars - other - MIN_SOURCE;
  }
  const inner = grid.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
  return inner - $('split-console').offsetHeight - MIN_TOP;
}

/** Gives `name` the size `px` (within its bounds); the page keeps it until told otherwise. */
function apply(name, px) {
  const p = PANES[name];
  const size = Math.round(Math.max(p.min, Math.min(px, maxOf(name))));
  $('grid').style.setProperty(p.prop, `${size}px`);
  $(p.splitter).setAttribute('aria-valuenow', String(size));
  return size;
}

function save(name, size) {
  if (size === undefined) delete sizes[name];
  else sizes[name] = size;
  store(KEY, Object.keys(sizes).length ? sizes : undefined);
}

function reset(name) {
  $('grid').style.removeProperty(PANES[name].prop);
  save(name, undefined);
}

/** Restores the kept sizes and wires the splitters. */
export function initPanes() {
  const kept = loadStored(KEY, {});
  sizes = {};
  for (const name of Object.keys(PANES)) {
    if (Number.isFinite(kept?.[name])) sizes[name] = kept[name];
  }
  // Stack and variables first: the source's share depends on both.
  for (const name of Object.keys(PANES)) if (sizes[name] !== undefined) apply(name, sizes[name]);
  for (const [name, p] of Object.entries(PANES)) wire(name, p);
  // A smaller window: the kept sizes give way, so that the source keeps its room (they come back
  // as the window grows again).
  window.addEventListener('resize', () => {
    for (const name of Object.keys(PANES)) if (sizes[name] !== undefined) apply(name, sizes[name]);
  });
}

function wire(name, p) {
  const bar = $(p.splitter);
  bar.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    ev.preventDefault();
    bar.setPointerCapture(ev.pointerId);
    const from = p.axis === 'x' ? ev.clientX : ev.clientY;
    const start = sizeOf(name);
    bar.classList.add('dragging');
    document.body.classList.add(p.axis === 'x' ? 'resizing-x' : 'resizing-y');
    const move = (e) => apply(name, start + p.sign * ((p.axis === 'x' ? e.clientX : e.clientY) - from));
    const end = () => {
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', end);
      bar.removeEventListener('pointercancel', end);
      bar.classList.remove('dragging');
      document.body.classList.remove('resizing-x', 'resizing-y');
      save(name, Math.round(sizeOf(name)));
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', end);
    bar.addEventListener('pointercancel', end);
  });
  bar.addEventListener('dblclick', () => reset(name));
  bar.addEventListener('keydown', (ev) => {
    const keys = p.axis === 'x' ? { ArrowLeft: -1, ArrowRight: 1 } : { ArrowUp: -1, ArrowDown: 1 };
    if (ev.key === 'Home') {
      ev.preventDefault();
      reset(name);
      return;
    }
    if (!(ev.key in keys)) return;
    ev.preventDefault();
    save(name, apply(name, sizeOf(name) + p.sign * keys[ev.key] * STEP * (ev.shiftKey ? 4 : 1)));
  });
}
