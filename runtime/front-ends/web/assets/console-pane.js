// The console: the session's transcript (its output, each command with its prompt), and the command
// line with history (↑↓, kept in localStorage) and Tab completion asked of the session.
import { request, send } from './connection.js';
import { $, el, loadStored, store } from './dom.js';
import { ui } from './state.js';
import { setReady } from './status.js';

/** Commands kept in the history (localStorage, per origin: per rank's port). */
const HISTORY_MAX = 500;
/** Transcript entries kept in the page: older ones are dropped, the page stays fast. */
const TRANSCRIPT_MAX = 3000;
/** Completion candidates shown at most. */
const CANDIDATES_SHOWN = 80;
const HISTORY_KEY = 'ts-pdb-history';

const history = (() => {
  const h = loadStored(HISTORY_KEY, []);
  return Array.isArray(h) ? h.filter((x) => typeof x === 'string') : [];
})();
let hpos = -1;
let draft = '';

/** Adds `text` to the transcript: `kind` is out, err, in (a command) or note. */
export function appendTranscript(text, kind) {
  const box = $('transcript');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.append(el('span', kind === 'out' ? '' : kind, text));
  while (box.childElementCount > TRANSCRIPT_MAX) box.firstElementChild.remove();
  if (atBottom) box.scrollTop = box.scrollHeight;
}

/** Empties the transcript (a new connection sends it all again). */
export function clearTranscript() {
  $('transcript').replaceChildren();
}

function remember(line) {
  if (!line.trim() || history[history.length - 1] === line) return;
  history.push(line);
  if (history.length > HISTORY_MAX) history.splice(0, history.length - HISTORY_MAX);
  store(HISTORY_KEY, history);
}

function complete(input) {
  const cursor = input.selectionStart ?? input.value.length;
  const line = input.value.slice(0, cursor);
  const rest = input.value.slice(cursor);
  request('complete', { line }).then(
    ({ candidates, substring }) => {
      if (input.value.slice(0, cursor) !== line || !candidates.length) return;
      const head = line.slice(0, line.length - substring.length);
      let insert = candidates[0];
      if (candidates.length > 1) {
        insert = candidates.reduce((a, b) => {
          let i = 0;
          while (i < a.length && a[i] === b[i]) i++;
          return a.slice(0, i);
        });
        if (insert.length <= substring.length) {
          const shown = candidates.slice(0, CANDIDATES_SHOWN).join('  ');
          appendTranscript(
            `${shown}${candidates.length > CANDIDATES_SHOWN ? `  … ${candidates.length - CANDIDATES_SHOWN} more` : ''}\n`,
            'note',
          );
          return;
        }
      }
      input.value = head + insert + rest;
      const at = (head + insert).length;
      input.setSelectionRange(at, at);
    },
    () => {},
  );
}

/** Wires the command line: Enter sends, ↑↓ walk the history, Tab completes. */
export function initConsole() {
  $('command-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('command');
    if (ui.role !== 'control' || ui.ended) return;
    if (!ui.ready) {
      appendTranscript('(the session is running a command: wait for the prompt)\n', 'note');
      return;
    }
    const line = input.value;
    remember(line);
    hpos = -1;
    input.value = '';
    send({ type: 'command', line });
    setReady(false);
  });

  $('command').addEventListener('keydown', (ev) => {
    const input = ev.target;
    if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
      if (!history.length) return;
      ev.preventDefault();
      if (hpos === -1) {
        draft = input.value;
        hpos = history.length;
      }
      hpos += ev.key === 'ArrowUp' ? -1 : 1;
      if (hpos < 0) hpos = 0;
      if (hpos >= history.length) {
        hpos = -1;
        input.value = draft;
        return;
      }
      input.value = history[hpos];
      input.setSelectionRange(input.value.length, input.value.length);
    } else if (ev.key === 'Tab') {
      ev.preventDefault();
      complete(input);
    }
  });
}
