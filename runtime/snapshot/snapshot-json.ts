/**
 * The JSON text of a snapshot, as the file holds it: `JSON.stringify` of the document, byte for
 * byte. The value encoder makes the JSON of every node anyway (it is what the node costs the
 * budget) and hands it here; the document is then written with those texts instead of
 * stringifying the value graph, most of the file, a second time. A document whose `values` did
 * not come from an encoder (a test's, a copy) is stringified as it is. Imports nothing but types.
 */
import type { SnapshotFile, ValueNode } from './snapshot-format';

/** The texts an encoder made, by the `values` array it returned, with the nodes they are the JSON of. */
const made = new WeakMap<ValueNode[], { nodes: ValueNode[]; texts: (string | undefined)[] }>();

/**
 * Records that `texts[i]` is the JSON of `values[i]` (encode-values.ts, when it finishes). The
 * nodes are data nobody changes afterwards; one replaced in `values` is noticed and stringified
 * again, with the rest.
 */
export function rememberNodeTexts(values: ValueNode[], texts: (string | undefined)[]): void {
  made.set(values, { nodes: values.slice(), texts });
}

/** The JSON of `snapshot`: the same text as `JSON.stringify(snapshot)`. Throws where that throws. */
export function snapshotJson(snapshot: SnapshotFile): string {
  const known = made.get(snapshot.values);
  if (!known || !sameNodes(snapshot.values, known.nodes, known.texts)) return JSON.stringify(snapshot);
  // The document's own keys in its order, as JSON.stringify walks a plain object.
  let out = '';
  for (const key of Object.keys(snapshot)) {
    const text =
      key === 'values'
        ? `[${known.texts.join(',')}]`
        : (JSON.stringify((snapshot as unknown as Record<string, unknown>)[key]) as string | undefined);
    if (text === undefined) continue; // undefined, a function or a symbol: JSON.stringify leaves the key out
    out += `${out ? ',' : '{'}${JSON.stringify(key)}:${text}`;
  }
  return out ? `${out}}` : '{}';
}

/** True when `values` still holds the nodes the texts were made of, each with its text. */
function sameNodes(values: ValueNode[], nodes: ValueNode[], texts: (string | undefined)[]): boolean {
  if (values.length !== nodes.length || texts.length !== nodes.length) return false;
  for (let i = 0; i < nodes.length; i++) if (values[i] !== nodes[i] || texts[i] === undefined) return false;
  return true;
}
