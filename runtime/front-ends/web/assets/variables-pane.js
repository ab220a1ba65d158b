// The Variables pane (the selected frame's locals, closure variables, `this`, the module's bindings,
// as trees) and the displays under it.
import { $, el } from './dom.js';
import { nodeEl, SEP } from './tree.js';

/** Paths of the nodes the user opened: opened again after each command, with fresh values. */
const opened = new Set();

export function renderScopes(state) {
  const groups = state.scopes.map((scope) => {
    const g = el('div', 'scope');
    if (scope.ref !== undefined) {
      // A group listed on demand (the module's bindings): its header opens like a node.
      const tree = el('ul', 'tree');
      tree.append(nodeEl({ name: scope.name, preview: '', type: 'scope', ref: scope.ref }, `${scope.name}`, opened));
      g.append(tree);
      return g;
    }
    g.append(el('div', 'scope-name', scope.name));
    if (scope.note) g.append(el('div', 'scope-note', scope.note));
    const tree = el('ul', 'tree');
    for (const n of scope.nodes) tree.append(nodeEl(n, `${scope.name}${SEP}${n.name}`, opened));
    if (!scope.nodes.length && !scope.note) g.append(el('div', 'scope-note', '(none)'));
    g.append(tree);
    return g;
  });
  if (!groups.length) groups.push(el('div', 'scope-note', 'No variables for this frame.'));
  $('scopes').replaceChildren(...groups);
}

export function renderDisplays(state) {
  $('displays-box').hidden = !state.displays.length;
  $('displays').replaceChildren(...state.displays.map((d) => el('li', '', `${d.expr}: ${d.text}`)));
}
