/**
 * The overview page (`/ranks`): every waiting session of this user (the registry, shared/registry.ts), on
 * every host that shares it (`IPDB_REGISTRY`), grouped by job and host, one row per rank, with a link
 * to each web session (another host's by its IP address) and the command for each socket session; a
 * gone entry and one that other hosts cannot reach say so. Rendered on the server as static HTML,
 * every value escaped.
 */
import * as os from 'node:os';
import { reachOf, type RegistryEntry } from '../shared/registry';
import { ago, groupEntries, REACH_HINT } from '../shared/registry-table';

/** Options of {@link overviewHtml}. */
export interface OverviewOptions {
  /** The pid of the process serving the page (its row is marked, on its host). */
  pid: number;
  /** Link with the other sessions' tokens. Only a server that itself asked for a token may show them. Default false. */
  withTokens?: boolean;
  /** The token of this server, to keep on the link back to its session. */
  token?: string;
  /** Now, in ms since the epoch (for ages); default `Date.now()`. */
  now?: number;
  /** This host's name (which entries are of other hosts); default `os.hostname()`. */
  here?: string;
}

/** The cell that says how to reach entry `e`. */
function connectCell(e: RegistryEntry, options: OverviewOptions, here: string): string {
  const elsewhere = e.host !== here;
  if (elsewhere && reachOf(e) === 'host')
    return (
      `<code>${esc(e.mode === 'socket' ? `nc -U ${e.address}` : e.address)}</code> ` +
      `<span class="dim">(on ${esc(e.host)} only: other hosts cannot reach it; ${esc(REACH_HINT)})</span>`
    );
  if (e.mode === 'web') {
    // Another host's page by its IP address (the entry's): host names need not resolve here.
    const href = e.token && options.withTokens ? `${e.address}?token=${encodeURIComponent(e.token)}` : e.address;
    let how = /^https?:\/\//.test(e.address) ? `<a href="${esc(href)}">${esc(e.address)}</a>` : esc(e.address);
    if (e.token && !options.withTokens) how += ' <span class="dim">(needs its token)</span>';
    return how;
  }
  if (e.mode === 'tcp') {
    const which = elsewhere ? `${e.job !== undefined ? ` --job ${e.job}` : ''} --host ${e.host}` : '';
    return `<code>ts-pdb attach ${esc(String(e.rank))}${esc(which)}</code> <span class="dim">(${esc(e.address)})</span>`;
  }
  return `<code>nc -U ${esc(e.address)}</code>`;
}

/** The overview page's HTML: one table, its rows grouped by job, then host. Never throws. */
export function overviewHtml(entries: RegistryEntry[], options: OverviewOptions): string {
  const now = options.now ?? Date.now();
  const here = options.here ?? os.hostname();
  const back = options.token ? `./?token=${encodeURIComponent(options.token)}` : './';
  const row = (e: RegistryEntry): string => {
    const age = Math.max(0, Math.round((now - e.since) / 1000));
    const mine = e.pid === options.pid && e.host === here;
    const gone = e.state === 'gone' ? ` <span class="dim">(gone: no heartbeat for ${esc(ago(now - (e.beat ?? e.since)))})</span>` : '';
    return (
      `<tr${mine ? ' class="here"' : ''}><td class="num">${esc(String(e.rank))}</td><td class="num">${esc(String(e.pid))}</td>` +
      `<td>${esc(e.host)}</td><td>${esc(e.mode)}</td><td>${connectCell(e, options, here)}${mine ? ' <span class="dim">(this page\'s)</span>' : ''}${gone}</td>` +
      `<td class="num">${age}s</td><td class="err">${esc(e.error)}</td></tr>`
    );
  };
  const rows = groupEntries(entries, here)
    .map(
      (g) =>
        `<tr class="group"><th colspan="7">${esc(g.job !== undefined ? `job ${g.job}` : 'no job')}, host ${esc(g.host)}` +
        `${g.host === here ? ' (this host)' : ''}</th></tr>\n` +
        g.entries.map(row).join('\n'),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ts-pdb: waiting sessions</title><link rel="icon" href="favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="app.css"></head>
<body class="overview">
<header class="bar"><span class="brand">ts-pdb</span><span class="title">waiting sessions</span><a href="${esc(back)}">back to this session</a></header>
<main class="overview-main">
${
  entries.length
    ? `<table class="ranks"><thead><tr><th>rank</th><th>pid</th><th>host</th><th>mode</th><th>connect</th><th>waiting</th><th>error</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '<p>No waiting sessions in the registry.</p>'
}
<p class="dim">Sessions of this user that wait for a client, on every host that shares the registry (<code>IPDB_REGISTRY</code>; <code>npx ts-pdb ls</code> lists the same). Reload to refresh.</p>
</main></body></html>
`;
}

/** HTML-escapes text for element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
