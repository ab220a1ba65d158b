/**
 * Moving in the stack: `where`, `up`, `down` (pdb's messages: `*** Oldest frame`, `*** Newest frame`).
 */
import type { Frame } from '../frames';
import { entryText, frameLocation, frameSourceLine } from './frame-text';
import type { Command, CommandContext } from './command';

/** `w(here)`: the stack, oldest first, the selected frame marked with `>`; node internals folded. */
export const where: Command = {
  name: 'where',
  aliases: ['w', 'bt'],
  usage: 'w(here)',
  help:
    'Print the stack trace, oldest frame first. The newest frame is at the bottom and ">" marks the selected one. ' +
    'Frames without source (node internals, native code) are shown dimmed, and consecutive node-internal frames are folded into one line.',
  run(ctx) {
    const { session, c } = ctx;
    const frames = session.frames;
    if (frames.length === 0) {
      ctx.fail('No stack: the thrown value has no stack trace and no frame was captured');
      return;
    }
    let folded = 0;
    const flush = (): void => {
      if (folded) ctx.print(c.dim(`  [${folded} node-internal frame${folded === 1 ? '' : 's'}]`));
      folded = 0;
    };
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      if (f.kind === 'node' && i !== session.index) {
        folded++;
        continue;
      }
      flush();
      ctx.print(frameLines(f, i === session.index, ctx));
    }
    flush();
  },
};

function frameLines(f: Frame, current: boolean, ctx: CommandContext): string {
  const { c } = ctx;
  const mark = current ? c.bold('> ') : '  ';
  if (!f.selectable) return `${mark}${c.dim(f.stack?.text.replace(/^at /, '') ?? f.name)}`;
  const src = frameSourceLine(f);
  return `${mark}${frameLocation(f)}${src !== undefined ? `\n-> ${src}` : ''}`;
}

/** `u(p) [count]`. */
export const up: Command = {
  name: 'up',
  aliases: ['u'],
  usage: 'u(p) [count]',
  help: 'Move to an older frame, count levels up (default 1). Frames without source or locals are skipped.',
  run(ctx, arg) {
    move(ctx, arg, 'up');
  },
};

/** `d(own) [count]`. */
export const down: Command = {
  name: 'down',
  aliases: ['d'],
  usage: 'd(own) [count]',
  help: 'Move to a newer frame, count levels down (default 1). Frames without source or locals are skipped.',
  run(ctx, arg) {
    move(ctx, arg, 'down');
  },
};

function move(ctx: CommandContext, arg: string, dir: 'up' | 'down'): void {
  let count = 1;
  if (arg) {
    if (!/^\d+$/.test(arg)) {
      ctx.fail(`Invalid frame count (${arg})`);
      return;
    }
    count = Number(arg);
  }
  const problem = dir === 'up' ? ctx.session.up(count) : ctx.session.down(count);
  if (problem) {
    ctx.fail(problem);
    return;
  }
  const f = ctx.session.frame;
  if (f) ctx.channel.write(entryText(f, ctx.session.entryContext, ctx.channel.colors));
}
