/**
 * The names the transform adds to a file (the capture namespace, the module descriptor, the
 * caught error, temporaries, setter parameters), chosen so that they collide with no identifier of
 * the file: both adapters make them the same way.
 */
export class GeneratedNames {
  /** The capture module's namespace (`__tsPdb`). */
  readonly ns: string;
  /** The module descriptor (`__tsPdbM`). */
  readonly mod: string;
  /** The caught error of every catch the transform writes (`__tsPdbE`). */
  readonly err: string;
  private temps = 0;

  /**
   * @param used every identifier text of the file (grows with each name made)
   * @param enabled false when the transform only removes markers (no names are made)
   */
  constructor(
    private readonly used: Set<string>,
    enabled: boolean,
  ) {
    this.ns = enabled ? this.unique('__tsPdb') : '';
    this.mod = enabled ? this.unique('__tsPdbM') : '';
    this.err = enabled ? this.unique('__tsPdbE') : '';
  }

  /** `base`, or `base1`, `base2`, ... : the first not used in the file. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }

  /** A fresh temporary (`__tsPdbT1`, ...). */
  temp(): string {
    return this.unique(`__tsPdbT${++this.temps}`);
  }
}
