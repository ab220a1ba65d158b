/**
 * Looking at values: `a(rgs)`, `p`, `pp`, `whatis`, `inspect`. Evaluation happens in the selected
 * frame (its locals, the module's bindings, globals); an error is printed and the session goes on.
 */
import { parsesAsExpression } from '../evaluate';
import { describeFault, formatValue, typeName } from '../../render/format';
import type { Command, CommandContext } from './command';
import type { Frame } from '../frames';
import type { Session } from '../session';

/** `a(rgs)`. */
export const args: Command = {
  name: 'args',
  aliases: ['a'],
  usage: 'a(rgs)',
  help: 'Print the arguments of the selected frame. Their values are those at the throw; this is shown when the function has one and it is set.',
  run(ctx) {
    const f = ctx.session.frame;
    if (!f) {
      ctx.fail('No frame selected');
      return;
    }
    if (!f.instrumented) {
      ctx.fail(notInstrumented(ctx.session, f));
      return;
    }
    // A plain call's `this` is undefined in strict code: saying so for every function is noise.
    if (f.hasThis && f.thisValue !== undefined) ctx.print(`this = ${show(ctx, f.thisValue)}`);
    for (const [name, b] of f.locals) {
      if (b.kind === 'param') ctx.print(`${name} = ${show(ctx, read(b.get))}`);
    }
  },
};

/** `p expr`. */
export const print: Command = {
  name: 'p',
  aliases: [],
  usage: 'p expression',
  help:
    "Print the value of an expression, on one line. It is evaluated in the selected frame: its locals, the module's top-level bindings and imports, and globals. " +
    "Inside it, locals() and globals() give the frame's locals and the module's bindings as objects.",
  argument: 'expression',
  run(ctx, arg) {
    evalAndPrint(ctx, arg, false, print.usage);
  },
};

/** `pp expr`. */
export const prettyPrint: Command = {
  name: 'pp',
  aliases: [],
  usage: 'pp expression',
  help: 'Pretty-print the value of an expression. Like p, over several lines and deeper.',
  argument: 'expression',
  run(ctx, arg) {
    evalAndPrint(ctx, arg, true, prettyPrint.usage);
  },
};

/** `whatis expr`. */
export const whatis: Command = {
  name: 'whatis',
  aliases: [],
  usage: 'whatis expression',
  help: "Print the type of an expression's value. That is typeof for primitives, the class for objects, the kind and name for functions.",
  argument: 'expression',
  run(ctx, arg) {
    if (!arg) {
      ctx.fail(`usage: ${whatis.usage}`);
      return;
    }
    const r = ctx.session.evaluate(arg, 'expression');
    if (!r.ok) {
      ctx.fail(describeFault(r.error));
      return;
    }
    ctx.print(typeName(r.value));
  },
};

/** `inspect expr [depth]`. */
export const inspectCommand: Command = {
  name: 'inspect',
  aliases: [],
  usage: 'inspect expression [depth]',
  help:
    'Print a value in full with util.inspect. Non-enumerable properties are shown and getters are called ' +
    '(a getter that throws shows its error), to the given depth (default 3, or "Infinity").',
  argument: 'expression',
  run(ctx, arg) {
    if (!arg) {
      ctx.fail(`usage: ${inspectCommand.usage}`);
      return;
    }
    let expr = arg;
    let depth = 3;
    const m = /^(.*\S)\s+(\d+|Infinity)$/s.exec(arg);
    if (m && parsesAsExpression(m[1])) {
      expr = m[1];
      depth = m[2] === 'Infinity' ? Infinity : Number(m[2]);
    }
    const r = ctx.session.evaluate(expr, 'expression');
    if (!r.ok) {
      ctx.fail(describeFault(r.error));
      return;
    }
    ctx.print(formatValue(r.value, { pretty: true, deep: true, depth, colors: ctx.channel.colors }));
  },
};

function evalAndPrint(ctx: CommandContext, arg: string, pretty: boolean, usage: string): void {
  if (!arg) {
    ctx.fail(`usage: ${usage}`);
    return;
  }
  const r = ctx.session.evaluate(arg, 'expression');
  if (!r.ok) {
    ctx.fail(describeFault(r.error));
    return;
  }
  ctx.print(formatValue(r.value, { pretty, colors: ctx.channel.colors }));
}

function show(ctx: CommandContext, v: unknown): string {
  return formatValue(v, { colors: ctx.channel.colors });
}

function read(get: () => unknown): unknown {
  try {
    return get();
  } catch (e) {
    return `<cannot read: ${describeFault(e)}>`;
  }
}

/** The message for commands that need captured locals on a frame that has none: why, and how to get them. */
export function notInstrumented(session: Session, frame: Frame): string {
  const why = `No locals for ${frame.name}: ${session.noLocalsReason(frame) ?? 'none were captured'}`;
  if (!session.transformed) {
    return (
      `${why} (build with it: tspc with "plugins": [{ "transform": "ts-pdb/transformer" }] in tsconfig.json, ` +
      'or run the TypeScript with npx ts-pdb run app.ts)'
    );
  }
  if (frame.capturedLater && !session.breakpoint) {
    return `${why} (locals are captured on the error's way out, so a session has those of the frames from the first marked function inwards)`;
  }
  if (frame.capturedLater) return why;
  return `${why} (mark the function with // @debuggable or @attachOnError(), or build with instrument: "all")`;
}
