/**
 * Which command runs ts-pdb for the extension, and running its `ls --json`.
 *
 * One command serves both uses: `<command> dap` is the debug adapter VS Code starts
 * (extension.ts), `<command> ls --json` lists the waiting ranks for the quick pick. No `vscode`
 * import: the tests run this module in plain Node against the real CLI. It only reads the file
 * system and starts ts-pdb.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseRegistry, type RegistryEntry } from './ranks';

/** A program and its first arguments; ts-pdb's command (`dap`, `ls --json`) follows them. */
export interface Command {
  command: string;
  args: string[];
}

/**
 * The command that runs ts-pdb for a workspace folder.
 * @param setting the `ts-pdb.command` setting: the program, then its first arguments;
 *   `${workspaceFolder}` in them is replaced. Empty or missing (the default): found as below.
 * @param folder the workspace folder's path (undefined: no folder open)
 * @param platform default `process.platform`
 * @returns the setting's command; else `node_modules/.bin/ts-pdb` in `folder` or the nearest
 *   folder above it that has one (on Windows, where a `.cmd` cannot be started without a shell,
 *   `node` and the package's bin script); else `npx --no ts-pdb` (`--no`: npx never downloads a
 *   package of that name from the registry in its place).
 */
export function tsPdbCommand(setting: readonly string[] | undefined, folder: string | undefined, platform = process.platform): Command {
  if (setting && setting.length > 0 && setting[0]) {
    const expand = (s: string): string => (folder === undefined ? s : s.split('${workspaceFolder}').join(folder));
    return { command: expand(setting[0]), args: setting.slice(1).map(expand) };
  }
  for (let dir = folder === undefined ? undefined : resolve(folder); dir !== undefined;) {
    if (platform === 'win32') {
      const script = binScript(join(dir, 'node_modules', 'ts-pdb'));
      if (script) return { command: 'node', args: [script] };
    } else {
      const bin = join(dir, 'node_modules', '.bin', 'ts-pdb');
      if (existsSync(bin)) return { command: bin, args: [] };
    }
    const up = dirname(dir);
    dir = up === dir ? undefined : up;
  }
  if (platform === 'win32') return { command: process.env.ComSpec || 'cmd.exe', args: ['/d', '/s', '/c', 'npx', '--no', 'ts-pdb'] };
  return { command: 'npx', args: ['--no', 'ts-pdb'] };
}

/** The file of the `ts-pdb` bin of the package installed at `pkgDir`, or undefined. */
function binScript(pkgDir: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['ts-pdb'];
    return bin && existsSync(join(pkgDir, bin)) ? join(pkgDir, bin) : undefined;
  } catch {
    return undefined;
  }
}

/** How a command is shown in messages. */
export function describeCommand(c: Command, ...more: string[]): string {
  return [c.command, ...c.args, ...more].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/**
 * The waiting sessions, from `<command> ls --json` run in `cwd`.
 * @param env the environment (default: this process's; the registry is `$TS_PDB_HOME`, else the
 *   user's temporary folder, so the extension sees the ranks its user started)
 * @param timeoutMs how long ls may take (default 15 s)
 * @throws an Error whose message says which command failed and what it printed
 */
export function listWaiting(
  c: Command,
  cwd: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 15_000,
): Promise<RegistryEntry[]> {
  const shown = describeCommand(c, 'ls', '--json');
  return new Promise((resolvePromise, reject) => {
    execFile(
      c.command,
      [...c.args, 'ls', '--json'],
      { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const why =
            (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${c.command} was not found` : String(stderr || error.message).trim();
          reject(new Error(`${shown} failed: ${why} (set ts-pdb.command to the command that runs ts-pdb)`));
          return;
        }
        try {
          resolvePromise(parseRegistry(stdout));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
  });
}
