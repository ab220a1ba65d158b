/**
 * The overview page (`/ranks`): every waiting session of this user (the registry, shared/registry.ts), one
 * row per rank, with a link to each web session and the command for each socket session. Rendered
 * on the server as static HTML, every value escaped.
 */
import type { RegistryEntry } from '../shared/registry';

/** Options of {@link overviewHtml}. */
export interface OverviewOptions {
  /** The pid of the process serving the page (its row is marked). */
  pid: number;
  /** Link with the other sessions' tokens. Only a server that itself asked for a token may show them. Default false. */
  withTokens?: boolean;
  /** The token of this server, to keep on the link back to its session. */
  token?: string;
  /** Now, in ms since the epoch (for ages); default `Date.now()`. */
  now?: number;
}

/** The overview page's HTML. Never throws. */
export function overviewHtml(entries: RegistryEntry[], options: OverviewOptions): string {
  const now = options.now ?? Date.now();
  const back = options.token ? `./?token=${encodeURIComponent(options.token)}` : './';
  const rows = entries
    .map((e) => {
      const age = Math.max(0, Math.round((now - e.since) / 1000));
      const here = e.pid === options.pid;
      let how: string;
      if (e.mode === 'web') {
        const href = e.token && options.withTokens ? `${e.address}?token=${encodeURIComponent(e.token)}` : e.address;
        how = /^https?:\/\//.test(e.address) ? `<a href="${esc(href)}">${esc(e.address)}</a>` : esc(e.address);
        if (e.token && !options.withTokens) how += ' <span class="dim">(needs its token)</span>';
      } else if (e.mode === 'tcp') {
        how = `<code>ts-pdb attach ${esc(String(e.rank))}</code> <span class="dim">(${esc(e.address)})</span>`;
      } else {
        how = `<code>nc -U ${esc(e.address)}</code>`;
      }
      return (
        `<tr${here ? ' class="here"' : ''}><td class="num">${esc(String(e.rank))}</td><td class="num">${esc(String(e.pid))}</td>` +
        `<td>${esc(e.host)}</td><td>${esc(e.mode)}</td><td>${how}${here ? ' <span class="dim">(this page\'s)</span>' : ''}</td>` +
        `<td class="num">${age}s</td><td class="err">${esc(e.error)}</td></tr>`
      );
    })
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
<p class="dim">Sessions of this user that wait for a client (<code>npx ts-pdb ls</code> lists the same). Reload to refresh.</p>
</main></body></html>
`;
}

/** HTML-escapes text for element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
