// Values as a tree that opens on demand (runtime/engine/value-tree.ts answers): the Variables pane and
// the source pane's hover both draw their values with it. Children are asked for when a node opens;
// the paths of open nodes are remembered (in a Set the caller owns), so after a command the tree
// opens again with fresh values.
import { request } from './connection.js';
import { el } from './dom.js';
import { ui } from './state.js';

/** Separates the names of a node's path. */
export const SEP = '\u0001';
/** Value types with a colour of their own; an object's type is its class name, which has none. */
const STYLED = new Set([
  'string',
  'number',
  'bigint',
  'boolean',
  'undefined',
  'null',
  'function',
  'uninitialized',
  'accessor',
  'range',
  'note',
  'hole',
  'error',
]);

/** The list item of `node` (a ValueNode) at `path`; it opens on click when it has children, and at once when `opened` has its path. */
export function nodeEl(node, path, opened) {
  const li = el('li');
  const row = el('div', 'row');
  row.append(el('span', 'twisty'));
  const isRange = node.type === 'range';
  row.append(el('span', isRange ? 'key range' : 'key', isRange || node.type === 'scope' ? node.name : `${node.name}:`));
  if (node.kind && node.kind !== 'param' && node.kind !== 'var' && node.kind !== 'let' && node.kind !== 'const') {
    row.append(el('span', 'kind', node.kind));
  }
  row.append(el('span', STYLED.has(node.type) ? `val ${node.type}` : 'val', node.preview));
  row.title = `${node.name}${node.kind ? ` (${node.kind})` : ''}: ${node.type}`;
  li.append(row);
  if (node.ref !== undefined) {
    row.classList.add('open-able');
    row.addEventListener('click', () => {
      if (li.classList.contains('open')) collapse(li, path, opened);
      else expand(li, node, path, opened);
    });
    if (opened.has(path)) expand(li, node, path, opened);
  }
  return li;
}

function expand(li, node, path, opened) {
  li.classList.add('open');
  opened.add(path);
  const gen = ui.generation;
  const box = el('ul', 'tree');
  box.append(el('li', 'loading', 'loading…'));
  li.append(box);
  const params = { ref: node.ref };
  if (node.range) {
    params.from = node.range[0];
    params.to = node.range[1];
  }
  request('children', params).then(
    (answer) => {
      if (gen !== ui.generation || !li.isConnected) return;
      const items = answer.nodes.map((n) => nodeEl(n, `${path}${SEP}${n.name}`, opened));
      box.replaceChildren(...(items.length ? items : [el('li', 'loading', '(no properties)')]));
    },
    (e) => {
      if (gen === ui.generation) box.replaceChildren(el('li', 'loading', e.message));
    },
  );
}

function collapse(li, path, opened) {
  li.classList.remove('open');
  opened.delete(path);
  const sub = li.querySelector(':scope > ul');
  if (sub) sub.remove();
}
