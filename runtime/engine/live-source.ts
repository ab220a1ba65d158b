/**
 * The live frame source: the frames the capture recorded for a value thrown in this process (or
 * for a live breakpoint), read while the program is stopped. The one file of the engine that reads
 * the hot path's store (capture.ts `captureOf`, for the errors linked to the thrown value): it is
 * loaded by front-ends/open-session.ts, which capture.ts loads lazily, the first time a session
 * opens; the import cycle that makes is documented in capture.ts.
 */
import { captureOf } from '../capture';
import { type ErrorCapture, metaOf } from '../records';
import type { Boundary, FrameSource } from './frame-source';
import type { Frame } from './frames';

/** A frame source on the capture of a value thrown in this process. */
export class LiveFrameSource implements FrameSource {
  readonly kind = 'live' as const;

  /**
   * @param thrown the value that left the boundary (or the breakpoint's Error).
   * @param capture what the capture recorded for it; undefined without the transform.
   */
  constructor(
    readonly thrown: unknown,
    readonly capture: ErrorCapture | undefined,
  ) {}

  framesOf(value: unknown): Frame[] {
    // Loaded with the first frames, not with this file: a socket or web front-end starts its worker
    // thread first, and the frame builder (source maps, stack parsing) loads while the thread boots.
    const { buildFrames } = require('./frames') as typeof import('./frames');
    return buildFrames(value, Object.is(value, this.thrown) ? this.capture : safeCapture(value));
  }

  boundary(): Boundary | undefined {
    // Records are innermost first: the outermost boundary is where the session opened.
    const records = this.capture?.frames ?? [];
    for (let i = records.length - 1; i >= 0; i--) {
      const meta = metaOf(records[i].mod)?.fns[records[i].fn];
      if (meta?.boundary) return { name: meta.name, retry: meta.retry === true };
    }
    return undefined;
  }
}

function safeCapture(value: unknown): ErrorCapture | undefined {
  try {
    return captureOf(value, false);
  } catch {
    return undefined;
  }
}
