/**
 * What Vitest's main process does when debugging is on (`IPDB_DEBUG=1 vitest`), so that a test
 * stopped in a session in one of its workers is not cut short and its session reads cleanly on the
 * terminal they share. Called by the plugin's `configureVitest` hook (index.ts), once per project,
 * before Vitest makes its reporters and before any test runs.
 *
 * - **Timeouts off** (`testTimeout`, `hookTimeout`: 0, none), when sessions wait (a terminal, or
 *   `IPDB_MODE=socket`/`web`). A session stops the worker's event loop, so no timer fires while it is
 *   open, and a test that fails goes on failing with its own error (Vitest's timer is cleared when
 *   the test's promise rejects, before any timer runs). But Vitest also compares the test's time
 *   with its timeout when the test *passes* (@vitest/runner `withTimeout`, vitest#2920): a test that
 *   caught the error or went on from a `breakpoint()` would fail with "Test timed out" once its
 *   session took longer than the timeout. Mocha turns its timeouts off under `--inspect` for the
 *   same reason. A timeout given to one test (`test(name, fn, ms)`) is that test's and stays.
 * - **No summary redraws**, on a terminal: the default reporter's summary (a window at the bottom
 *   of the screen, redrawn every second by moving the cursor up and clearing rows) would clear the
 *   session's rows; the reporters `default`, `verbose` and `tree` print their lines without it.
 * - **Output held** while a session has the terminal (output-hold.ts): other test files' results
 *   and console output wait until it ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlag } from '../capture';
import { parseMode, type Mode } from '../config';
import { findTerminal } from '../front-ends/console/terminal-access';
import { terminalHolder, terminalKey } from '../front-ends/console/terminal-lock';
import { privateDir } from '../front-ends/shared/registry';
import { holdOutput } from './output-hold';

/** The part of Vitest's `configureVitest` context this file reads and changes. */
export interface VitestContext {
  vitest: {
    config: { reporters?: unknown[] };
    logger?: { log(...text: unknown[]): void };
  };
  project: { config: { testTimeout?: number; hookTimeout?: number } };
}

/** Reporters built on Vitest's DefaultReporter, which take `summary: false`. */
const SUMMARY_REPORTERS = new Set(['default', 'verbose', 'tree']);

/** This process's preparations, made once (configureVitest runs once per project). */
let said = false;
let holding = false;

/**
 * Prepares Vitest's main process for sessions in its workers (see the file's header); does nothing
 * with debugging off, `IPDB_MODE=dump`, or sessions that would only print a report (no terminal).
 * @param env the environment the workers inherit; default this process's.
 */
export function prepareVitest(context: VitestContext, env: NodeJS.ProcessEnv = process.env): void {
  if (!parseFlag(env.IPDB_DEBUG)) return;
  let mode: Mode | undefined;
  try {
    mode = parseMode(env.IPDB_MODE);
  } catch {
    return; // each worker says what is wrong with it
  }
  if (mode === 'dump') return;
  const onTerminal = (mode === undefined || mode === 'console') && findTerminal(env).spec !== undefined;
  if (!onTerminal && mode !== 'socket' && mode !== 'web') return;

  context.project.config.testTimeout = 0;
  context.project.config.hookTimeout = 0;
  if (onTerminal) {
    for (const reporter of context.vitest.config.reporters ?? []) {
      if (Array.isArray(reporter) && SUMMARY_REPORTERS.has(reporter[0] as string)) {
        reporter[1] = { ...(reporter[1] as object | undefined), summary: false };
      }
    }
    if (!holding) {
      holding = true;
      try {
        const dir = path.join(privateDir(), 'terminals');
        const key = terminalKey();
        // The lock's folder, watched: a session's turn is seen as it is taken (takeTurn makes it the same way).
        fs.mkdirSync(path.join(dir, key), { recursive: true, mode: 0o700 });
        holdOutput(() => terminalHolder({ dir, key }) !== undefined, { watch: path.join(dir, key) });
      } catch {
        /* no private folder: no turns either (open-console.ts), nothing to look at */
      }
    }
  }
  if (!said) {
    said = true;
    const log = context.vitest.logger?.log.bind(context.vitest.logger) ?? console.log;
    log(
      `ts-pdb: IPDB_DEBUG is on: a test that fails through a marked function opens a session${onTerminal ? ' on this terminal' : ''}; ` +
        `Vitest's testTimeout and hookTimeout are off for this run (a session stops the test's clock)` +
        (onTerminal ? ', and its summary is not redrawn (it would clear the session).' : '.'),
    );
  }
}
