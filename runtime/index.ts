/**
 * `ts-pdb`: the public API a program imports.
 *
 *     import { attachOnError, Debugger } from 'ts-pdb';
 *
 * With the transform, marker decorators and their import are removed at build time; what stays
 * (`Debugger.enabled = true`, ...) loads only this small module and the capture switches.
 */
import { attachOnError } from './attach-on-error';
import { breakpoint } from './breakpoint';
import { settings } from './capture';
import { MODES, type Mode, parseMode } from './config';

export { attachOnError } from './attach-on-error';
export type { AttachOptions } from './attach-on-error';
export { breakpoint } from './breakpoint';
export type { BreakpointOptions } from './breakpoint';
export { MODES, TsPdbError } from './config';
export type { Mode } from './config';
export { detectRank } from './rank';
export type { RankInfo } from './rank';

/** Programmatic equivalents of the `IPDB_*` switches, and the decorator (py_debug's `Debugger`). */
export const Debugger = {
  /** Same as `IPDB_DEBUG`; default false. */
  get enabled(): boolean {
    return settings.enabled;
  },
  set enabled(on: boolean) {
    settings.enabled = !!on;
  },
  /** Same as `IPDB_MODE` (`console`, `web` or `socket`); undefined: chosen by rank (docs/SPEC.md §3). */
  get mode(): Mode | undefined {
    return parseMode(settings.modeText);
  },
  set mode(mode: Mode | undefined) {
    settings.modeText = parseMode(mode, 'Debugger.mode');
  },
  /** Lines shown by `list`; same as `IPDB_CONTEXT_SIZE`, default 11. */
  get contextSize(): number {
    return settings.contextSize;
  },
  set contextSize(n: number) {
    if (Number.isInteger(n) && n > 0) settings.contextSize = n;
  },
  /** The valid modes. */
  modes: MODES,
  /** Same as the exported {@link attachOnError}. */
  attachOnError,
  /** Same as the exported {@link breakpoint} (py_debug's `Debugger.set_trace`). */
  setTrace: breakpoint,
};
