/**
 * The name a session shows for a function (`Trainer.step`, `get Trainer.value`, `riskyOperation`,
 * `<anonymous>`), made the same way by both adapters from what each reads of its AST.
 */

/** What a function's user-facing name is made of. */
export interface NameParts {
  /** The class of a method, accessor or constructor (`<class>` for an anonymous one); undefined elsewhere. */
  className: string | undefined;
  isConstructor: boolean;
  /** Its own name or key (`step`, `#run`, `[Symbol.iterator]`). */
  own: string | undefined;
  accessor: 'get' | 'set' | undefined;
  /** The name it takes from where it is written (`const f = () => ...`, `{ f: function () {} }`): read only without its own. */
  context(): string | undefined;
}

/** The user-facing name of a function. */
export function displayName(p: NameParts): string {
  if (p.isConstructor) return `${p.className ?? '<class>'}.constructor`;
  if (p.own) return (p.accessor ? `${p.accessor} ` : '') + (p.className ? `${p.className}.${p.own}` : p.own);
  return p.context() ?? '<anonymous>';
}
