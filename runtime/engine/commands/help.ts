/**
 * `h(elp) [command]`, generated from the command table: nothing here lists commands by hand.
 */
import type { Command, CommandContext } from './command';

/** `h(elp) [command]`. */
export const help: Command = {
  name: 'help',
  aliases: ['h', '?'],
  usage: 'h(elp) [command]',
  help: 'List the commands, or show the help of one. Without argument, list every command with its summary; with a command name, print its usage and help.',
  argument: 'command',
  run(ctx, arg) {
    if (!arg) {
      ctx.channel.write(helpIndex(ctx));
      return;
    }
    const cmd = ctx.table.find(arg.replace(/^!.*/, '!'));
    if (!cmd) {
      ctx.fail(`No help for '${arg}'`);
      return;
    }
    ctx.print(ctx.c.bold(cmd.usage));
    ctx.print(wrap(cmd.help, 76, '    '));
  },
};

/** The command list: usage and the first sentence of the help, one per line. */
export function helpIndex(ctx: Pick<CommandContext, 'table' | 'c'>): string {
  const rows = ctx.table.commands.map((c) => [c.usage, firstSentence(c.help)] as const);
  const width = Math.max(...rows.map(([u]) => u.length)) + 2;
  let out = 'Commands (h <command> for details). Any other line is JavaScript, run in the selected frame.\n';
  for (const [usage, summary] of rows) out += `  ${ctx.c.bold(usage)}${' '.repeat(width - usage.length)}${summary}\n`;
  return out;
}

/** The first sentence of a help text (up to a period followed by a capital letter, or the end). */
export function firstSentence(text: string): string {
  const m = /^.*?\.(?=\s+[A-Z]|\s*$)/s.exec(text);
  return (m ? m[0] : text).replace(/\.$/, '');
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join('\n');
}
