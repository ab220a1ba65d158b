/**
 * Showing source: `list`, `longlist`, `source`. Listings are in the original source (source maps),
 * in ipdb's layout with `---->` on the frame's line.
 */
import { displayPath } from '../../render/display-path';
import { describeFault, formatValue, typeName } from '../../render/format';
import type { Frame } from '../frames';
import { functionSource } from '../function-source';
import { formatListing } from '../../render/listing';
import type { Command, CommandContext } from './command';

/** `l(ist) [first[, last]]` and `l .`. */
export const list: Command = {
  name: 'list',
  aliases: ['l'],
  usage: 'l(ist) [first[, last] | .]',
  help:
    'List source lines of the selected frame. Without arguments, list 11 lines (IPDB_CONTEXT_SIZE) around the current line, ' +
    'or continue the previous listing. "l ." lists around the current line again. With one argument, list 11 lines ' +
    'around that line; with two, the given range (a second argument smaller than the first is a count).',
  run(ctx, arg) {
    const f = ctx.session.frame;
    const lines = sourceOf(ctx, f);
    if (!lines || !f) return;
    const size = ctx.session.contextSize;
    const half = Math.floor(size / 2);
    const here = f.line ?? 1;
    let first: number;
    let last: number;
    if (arg === '' || arg === '.') {
      first = arg === '' && ctx.session.listedTo !== undefined ? ctx.session.listedTo + 1 : Math.max(1, here - half);
      last = first + size - 1;
    } else {
      const m = /^(\d+)\s*(?:,\s*(\d+))?$/.exec(arg);
      if (!m) {
        ctx.fail(`Error in argument: '${arg}'; usage: ${list.usage}`);
        return;
      }
      const a = Number(m[1]);
      if (m[2] === undefined) {
        first = Math.max(1, a - half);
        last = first + size - 1;
      } else {
        const b = Number(m[2]);
        first = a;
        last = b < a ? a + b : b;
      }
    }
    printRange(ctx, f, lines, first, last);
  },
};

/** `ll` / `longlist`. */
export const longlist: Command = {
  name: 'longlist',
  aliases: ['ll'],
  usage: 'll | longlist',
  help: 'List the whole function of the selected frame. Known for instrumented frames.',
  run(ctx) {
    const f = ctx.session.frame;
    const lines = sourceOf(ctx, f);
    if (!lines || !f) return;
    if (!f.meta) {
      ctx.fail('The function\'s extent is known for instrumented frames only; use "l" for the lines around the current one');
      return;
    }
    if (f.unmappedFrom) {
      ctx.fail(
        `The function's extent is known in ${displayPath(f.unmappedFrom)}, and ${displayPath(f.file)} has no source map to it; ` +
          'use "l" for the lines around the current one',
      );
      return;
    }
    ctx.channel.write(formatListing(lines, f.meta.line, f.meta.endLine, { current: f.line, colors: ctx.channel.colors }));
  },
};

/** `source expr`. */
export const source: Command = {
  name: 'source',
  aliases: [],
  usage: 'source expression',
  help: 'Print the source of a function or class. The expression is evaluated in the selected frame; the source is the original one when a source map leads there.',
  argument: 'expression',
  run(ctx, arg) {
    if (!arg) {
      ctx.fail(`usage: ${source.usage}`);
      return;
    }
    const r = ctx.session.evaluate(arg, 'expression');
    if (!r.ok) {
      ctx.fail(describeFault(r.error));
      return;
    }
    if (typeof r.value !== 'function') {
      ctx.fail(`${arg} is not a function or class (${typeName(r.value)}): ${formatValue(r.value, { maxLength: 200 })}`);
      return;
    }
    const s = functionSource(r.value);
    if (s.kind === 'text') {
      ctx.print(ctx.c.dim(`(no original source: ${s.reason})`));
      ctx.print(s.text);
      return;
    }
    const f = ctx.session.frame;
    const current = f && f.file === s.file && f.line !== undefined && f.line >= s.first && f.line <= s.last ? f.line : undefined;
    ctx.print(ctx.c.dim(`${displayPath(s.file)}:`));
    ctx.channel.write(formatListing(s.lines, s.first, s.last, { current, colors: ctx.channel.colors }));
  },
};

function printRange(ctx: CommandContext, f: Frame, lines: string[], first: number, last: number): void {
  if (first > lines.length) {
    ctx.print('[EOF]');
    ctx.session.listedTo = lines.length;
    return;
  }
  ctx.channel.write(formatListing(lines, first, last, { current: f.line, colors: ctx.channel.colors }));
  if (last > lines.length) ctx.print('[EOF]');
  ctx.session.listedTo = Math.min(last, lines.length);
}

function sourceOf(ctx: CommandContext, f: Frame | undefined): string[] | undefined {
  if (!f) {
    ctx.fail('No frame selected');
    return undefined;
  }
  const lines = f.lines();
  if (!lines) {
    ctx.fail(f.file ? `No source for ${f.file}` : `No source for this frame (${f.stack?.text ?? f.name})`);
    return undefined;
  }
  return lines;
}
