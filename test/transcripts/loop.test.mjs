// Transcripts of the loop itself: ;;, empty-line repeat, how a session ends, prompts, generated help,
// interact, and faults (a failing command, a huge line, a vanished channel) that must not end it.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'node:test';
import { expectTranscript, FakeChannel, loop, ROOT, runSession, sessionOn, shop, transcriptOf } from './harness.mjs';

const commands = createRequire(import.meta.url)(join(ROOT, 'dist/runtime/engine/commands/index.js'));
const { checkout } = shop;
const noCoupon = () => sessionOn(() => checkout([{ name: 'pen', price: 2, qty: 3 }]), { stackLimit: 2 });

test(';; separates commands, but not inside a string', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> p "a;;b";; p 2
    'a;;b'
    2
    ipdb> p 1 ;;  ;; p 3
    1
    3
    ipdb> u;;p coupon;;d
    > test/transcripts/fixtures/src/shop.ts(21)checkout()
         20   }
    ---> 21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
    undefined
    > test/transcripts/fixtures/src/shop.ts(28)applyCoupon()
         27   const codes: Record<string, number> = { TEN: 10 };
    ---> 28   const rate = codes[coupon!.toUpperCase()];
         29   return total * rate / 100;
    ipdb> q
  `,
  );
  assert.deepEqual(loop.splitCommands('p `x;;${1}`;; p "y" // ;; in a comment'), ['p `x;;${1}`', 'p "y" // ;; in a comment']);
});

test('an empty line repeats the last command (the last one of a ;; line); before any command it does nothing', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> 
    ipdb> p 1;; p 2
    1
    2
    ipdb> 
    2
    ipdb>    
    2
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(21)checkout()
         20   }
    ---> 21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
    ipdb> 
    *** Oldest frame
    ipdb> q
  `,
  );
});

test('c, q, exit and end of input end the session and say how', async () => {
  assert.equal(expectTranscript(await noCoupon(), 'ipdb> c\n'), 'continue');
  assert.equal(expectTranscript(await noCoupon(), 'ipdb> cont\n'), 'continue');
  assert.equal(expectTranscript(await noCoupon(), 'ipdb> continue\n'), 'continue');
  assert.equal(expectTranscript(await noCoupon(), 'ipdb> q\n'), 'quit');
  assert.equal(expectTranscript(await noCoupon(), 'ipdb> exit\n'), 'quit');
  assert.equal(expectTranscript(await noCoupon(), 'ipdb> p 1\n1\nipdb> ^D\n'), 'eof');
  // Commands after the one that ended the session are not run.
  const { text, end } = transcriptOf(await noCoupon(), ['q;; p "not run"']);
  assert.equal(end, 'quit');
  assert.equal(text, 'ipdb> q;; p "not run"\n');
});

test('a variable named like a command: assignment and property access are JavaScript, ! forces it', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> var c = { n: 1 }
    ipdb> c.n
    1
    ipdb> c = 5
    ipdb> !c
    5
    ipdb> p c
    5
    ipdb> q
  `,
  );
});

test('prompts: the option, and the rank prompts', async () => {
  expectTranscript(await noCoupon(), '(rank-2-pdb) p 1\n1\n(rank-2-pdb) q\n', { prompt: '(rank-2-pdb) ' });
  assert.equal(loop.promptFor(undefined), 'ipdb> ');
  assert.equal(loop.promptFor({ rank: 0, source: 'single' }), 'ipdb> ');
  assert.equal(loop.promptFor({ rank: 0, source: 'torchrun' }), '(rank-0-pdb) ');
  assert.equal(loop.promptFor({ rank: 3, source: 'mpi' }), '(rank-3-pdb) ');
  // A Vitest worker is a failing test, not a rank of a job, whichever pool slot it has.
  assert.equal(loop.promptFor({ rank: 2, source: 'vitest' }), 'ipdb> ');
});

test('help is generated from the command table: every command, every alias', async () => {
  const { text } = transcriptOf(await noCoupon(), ['h', 'q']);
  const lines = text.split('\n');
  assert.equal(lines[1], 'Commands (h <command> for details). Any other line is JavaScript, run in the selected frame.');
  for (const c of commands.COMMANDS) {
    assert.ok(
      lines.some((l) => l.startsWith(`  ${c.usage} `)),
      `h lists ${c.usage}`,
    );
  }
  // The pdb names are all there.
  for (const name of [
    'h',
    'help',
    'w',
    'where',
    'bt',
    'u',
    'up',
    'd',
    'down',
    'l',
    'list',
    'll',
    'longlist',
    'a',
    'args',
    'p',
    'pp',
    'whatis',
    'display',
    'undisplay',
    'interact',
    'exceptions',
    'c',
    'cont',
    'continue',
    'q',
    'quit',
    'inspect',
    'source',
  ]) {
    assert.ok(commands.TABLE.find(name), `command ${name}`);
    const help = transcriptOf(await noCoupon(), [`h ${name}`, 'q']).text;
    assert.equal(help.split('\n')[1], commands.TABLE.find(name).usage, `h ${name}`);
  }
});

test('help of one command: usage then the wrapped text; unknown topics are errors', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> h u
    u(p) [count]
        Move to an older frame, count levels up (default 1). Frames without source
        or locals are skipped.
    ipdb> ? bt
    w(here)
        Print the stack trace, oldest frame first. The newest frame is at the bottom
        and ">" marks the selected one. Frames without source (node internals,
        native code) are shown dimmed, and consecutive node-internal frames are
        folded into one line.
    ipdb> h nope
    *** No help for 'nope'
    ipdb> q
  `,
  );
});

test('interact: JavaScript only until .exit or end of input', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> interact
    *interactive* (Ctrl-D or .exit returns to the debugger)
    >>> total
    7.199999999999999
    >>> let t2 = total * 2
    >>> u
    *** ReferenceError: u is not defined
    >>> .exit
    now exiting interactive mode...
    ipdb> p t2
    14.399999999999999
    ipdb> q
  `,
  );
});

test('a command that throws is reported and the session goes on', async () => {
  const boom = {
    name: 'boom',
    aliases: [],
    usage: 'boom',
    help: 'Throws.',
    run() {
      throw new TypeError('kaput');
    },
  };
  const table = commands.buildTable([...commands.COMMANDS, boom]);
  const ch = new FakeChannel(['boom', 'p 1', 'q']);
  assert.equal(runSession(await noCoupon(), ch, { banner: false, table }), 'quit');
  assert.equal(
    ch.transcript,
    `\
ipdb> boom
*** internal error in the debugger (the session goes on): TypeError: kaput
ipdb> p 1
1
ipdb> q
`,
  );
  assert.throws(() => commands.buildTable([...commands.COMMANDS, { ...boom, name: 'p' }]), {
    code: 'ERR_TS_PDB_COMMAND_TABLE',
    message: /command name p is used twice/,
  });
});

test('a huge line is refused with a message; binary garbage is a syntax error', async () => {
  const huge = `p ${'1+'.repeat(60_000)}1`;
  const { text } = transcriptOf(await noCoupon(), [huge, '\u0000\u0001\u00ff', 'p 2', 'q']);
  assert.ok(text.includes('*** Line too long (120003 characters; the limit is 100000)\n'), text.slice(-300));
  assert.match(text, /\*\*\* SyntaxError: Invalid or unexpected token\nipdb> p 2\n2\n/);
});

test('a channel that fails ends the session as end of input, without throwing', async () => {
  const s = await noCoupon();
  let reads = 0;
  const broken = {
    colors: false,
    write() {
      throw new Error('EPIPE');
    },
    error() {
      throw new Error('EPIPE');
    },
    readLine() {
      reads++;
      return 'p 1';
    },
  };
  assert.equal(runSession(s, broken, { banner: false }), 'eof');
  assert.equal(reads, 1);
  const unreadable = {
    colors: false,
    write() {},
    error() {},
    readLine() {
      throw new Error('tty gone');
    },
  };
  assert.equal(runSession(s, unreadable), 'eof');
});
