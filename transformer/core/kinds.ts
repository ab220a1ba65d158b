/**
 * Facts about bindings shared by every adapter: which kinds can be read before they are
 * initialised (and so need a guarded read in a `catch`), and which names a strict-mode function
 * cannot take as parameters.
 */
import type { BindingKind } from '../../runtime/records';

export type { BindingKind };

/** Kinds whose bindings have a temporal dead zone: reading them early throws a ReferenceError. */
export function hasTdz(kind: BindingKind | 'import' | 'enum'): boolean {
  return kind === 'let' || kind === 'const' || kind === 'class' || kind === 'using' || kind === 'import';
}
