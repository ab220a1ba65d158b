/**
 * The VS Code extension of ts-pdb: the `ts-pdb` debug type.
 *
 * - A DebugAdapterDescriptorFactory: VS Code starts the adapter as `<ts-pdb> dap` (DAP on stdio),
 *   `<ts-pdb>` being the command of ts-pdb-command.ts (the `ts-pdb.command` setting, the
 *   workspace's node_modules/.bin/ts-pdb, or `npx --no ts-pdb`).
 * - A DebugConfigurationProvider: F5 with no launch.json attaches to a waiting rank; `rank: "pick"`
 *   (or no target) shows a quick pick of the waiting ranks from `<ts-pdb> ls --json`;
 *   `snapshot: "pick"` shows a file dialog for a `*.tspdb.json.gz`.
 *
 * What the extension decides is in ranks.ts and ts-pdb-command.ts (no `vscode` import, tested in
 * Node); this file only shows their results with VS Code's API.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  attachConfiguration,
  PICK,
  rankItems,
  snapshotConfiguration,
  SNAPSHOT_SUFFIX,
  wantsRankPick,
  wantsSnapshotPick,
  isSnapshotFile,
  type AttachConfiguration,
  type RankItem,
} from './ranks';
import { describeCommand, listWaiting, tsPdbCommand, type Command } from './ts-pdb-command';

/** The debug type (package.json's contributes.debuggers). */
const TYPE = 'ts-pdb';

/** The configuration F5 starts when there is no launch.json. */
const DEFAULT_CONFIGURATION: AttachConfiguration = { type: TYPE, request: 'attach', name: 'ts-pdb: Attach to a waiting rank', rank: PICK };

/** The folder a debug session runs in: its own, else the first of the workspace. */
function folderPath(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  const f = folder ?? vscode.workspace.workspaceFolders?.[0];
  return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
}

/** The command that runs ts-pdb for `folder` (the `ts-pdb.command` setting, else found). */
function commandFor(folder: vscode.WorkspaceFolder | undefined): Command {
  const setting = vscode.workspace.getConfiguration('ts-pdb', folder).get<string[]>('command');
  return tsPdbCommand(setting, folderPath(folder));
}

/** Starts `ts-pdb dap` for each session, DAP on its stdin and stdout. */
class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const c = commandFor(session.workspaceFolder);
    return new vscode.DebugAdapterExecutable(c.command, [...c.args, 'dap'], { cwd: folderPath(session.workspaceFolder) });
  }
}

/** Fills in F5 with no launch.json, and resolves `"pick"` with a quick pick or a file dialog. */
class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    // F5 without launch.json: VS Code passes an empty configuration.
    if (!config.type && !config.request && !config.name) return { ...DEFAULT_CONFIGURATION };
    return config;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const attach = config as AttachConfiguration;
    if (wantsSnapshotPick(attach)) {
      const file = await pickSnapshot(folder);
      return file === undefined ? undefined : snapshotConfiguration(attach, file);
    }
    if (wantsRankPick(attach)) {
      const item = await pickRank(folder);
      return item === undefined ? undefined : attachConfiguration(attach, item.entry);
    }
    return config;
  }
}

/**
 * A quick pick of the waiting ranks (the one rank, without asking, when only one waits, as
 * `ts-pdb attach` does); undefined (the launch cancelled) when none waits, ls fails, or the user
 * dismisses the pick. What went wrong is shown as a message.
 */
async function pickRank(folder: vscode.WorkspaceFolder | undefined): Promise<RankItem | undefined> {
  const c = commandFor(folder);
  let items: RankItem[];
  let leftOut: string[];
  try {
    ({ items, leftOut } = rankItems(await listWaiting(c, folderPath(folder))));
  } catch (e) {
    void vscode.window.showErrorMessage(`ts-pdb: cannot list the waiting ranks: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  if (items.length === 0) {
    const more = leftOut.length ? ` (${leftOut.join('; ')})` : '';
    void vscode.window.showInformationMessage(`ts-pdb: no rank waits for a client (${describeCommand(c, 'ls')})${more}.`);
    return undefined;
  }
  if (items.length === 1) return items[0];
  return vscode.window.showQuickPick(items, {
    title: 'ts-pdb: attach to a waiting rank',
    placeHolder: 'The ranks that wait for a client, with their errors',
    matchOnDescription: true,
    matchOnDetail: true,
  });
}

/** A file dialog for a snapshot, opening in the workspace's ts-pdb-dumps/ when there is one. */
async function pickSnapshot(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  const base = folderPath(folder);
  const dumps = base === undefined ? undefined : path.join(base, 'ts-pdb-dumps');
  const start = dumps !== undefined && fs.existsSync(dumps) ? dumps : base;
  const picked = await vscode.window.showOpenDialog({
    title: 'ts-pdb: open a snapshot',
    openLabel: 'Open snapshot',
    canSelectMany: false,
    canSelectFolders: false,
    defaultUri: start === undefined ? undefined : vscode.Uri.file(start),
    // Dialogs match one extension, not `.tspdb.json.gz`: the name is checked below.
    filters: { [`ts-pdb snapshots (*${SNAPSHOT_SUFFIX})`]: ['gz'], 'All files': ['*'] },
  });
  const file = picked?.[0]?.fsPath;
  if (file === undefined) return undefined;
  if (!isSnapshotFile(file)) {
    void vscode.window.showErrorMessage(
      `ts-pdb: ${path.basename(file)} is not a snapshot (a snapshot's name ends with ${SNAPSHOT_SUFFIX}).`,
    );
    return undefined;
  }
  return file;
}

/** Called by VS Code on the first `ts-pdb` debug session (package.json's activationEvents). */
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, new AdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(TYPE, new ConfigurationProvider()),
  );
}

/** Nothing to release: the subscriptions go with the context. */
export function deactivate(): void {}
