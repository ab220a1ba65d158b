/**
 * A module's top-level bindings as the transform records them (`ModuleDesc.g`: a getter per
 * binding). Its own file, with nothing heavy imported: the snapshot writer reads module bindings
 * without loading the expression evaluator (js-tokens, vm), which a dump never needs.
 */
import type { ModuleDesc } from '../records';

/** Names of the module's top-level bindings and imports, as the transform listed them. */
export function moduleNames(mod: ModuleDesc | undefined): string[] {
  try {
    return mod?.g ? Object.keys(mod.g) : [];
  } catch {
    return [];
  }
}

/** Reads one module binding through its getter (which throws while the binding is in its TDZ). */
export function readModuleBinding(mod: ModuleDesc, name: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: (mod.g as Record<string, unknown>)[name] };
  } catch {
    return { ok: false };
  }
}
