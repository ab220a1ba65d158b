// ts-pdb's web page: the stack, the source of the selected frame, its variables as a tree fetched
// lazily, the exception chain, and a console that runs every session command. It talks to the
// rank's worker over one WebSocket (runtime/front-ends/web/page-protocol.ts has the messages). This file wires
// the pieces, one module per concern: connection.js, status.js (header, role), stack-pane.js,
// source-pane.js, hover.js (values under the mouse), variables-pane.js and tree.js,
// console-pane.js, panes.js (resizable panes). Plain ES modules, served by the worker itself.
import { connect, send, token } from './connection.js';
import { appendTranscript, clearTranscript, initConsole } from './console-pane.js';
import { $ } from './dom.js';
import { hideHover, initHover } from './hover.js';
import { initPanes } from './panes.js';
import { initSource, renderSource } from './source-pane.js';
import { initStack, renderExceptions, renderFrames } from './stack-pane.js';
import { ui } from './state.js';
import { setReady, setRole, setStatus, setTitle, showEnded, showNotice } from './status.js';
import { renderDisplays, renderScopes } from './variables-pane.js';

function render(state) {
  ui.state = state;
  ui.generation++;
  hideHover();
  setTitle(state.title);
  renderFrames(state);
  renderExceptions(state);
  renderSource(state);
  renderScopes(state);
  renderDisplays(state);
}

function ended(text) {
  // The server's words: the error goes on, or the function returns a value instead.
  showEnded(text.trim().replace(/^ts-pdb: session ended; /, ''));
  hideHover();
  if (text.trim()) appendTranscript(text.endsWith('\n') ? text : `${text}\n`, 'note');
}

function onMessage(m) {
  switch (m.type) {
    case 'hello':
      // A snapshot (ts-pdb open --web): whose it was and when, in place of the live rank and pid.
      ui.snapshot = m.snapshot !== undefined;
      $('who').textContent = ui.snapshot ? `snapshot of ${m.snapshot}` : `rank ${m.rank} · pid ${m.pid}`;
      $('who').title = ui.snapshot ? 'a snapshot: the program is gone; its frames and locals as they were' : '';
      $('who').classList.toggle('snapshot', ui.snapshot);
      // The overview lists waiting programs; a snapshot is none of them.
      $('ranks-link').hidden = ui.snapshot;
      setTitle(m.title);
      clearTranscript();
      for (const e of m.transcript) appendTranscript(e.text, e.kind);
      if (m.state) render(m.state);
      setRole(m.role, m.why);
      if (m.ended !== undefined) ended(m.ended);
      else if (m.prompt !== undefined) setReady(true, m.prompt);
      else setReady(false);
      break;
    case 'output':
      appendTranscript(m.text, m.kind);
      break;
    case 'input':
      appendTranscript(`${m.prompt}${m.line}\n`, 'in');
      setReady(false);
      break;
    case 'prompt':
      setReady(true, m.prompt);
      break;
    case 'state':
      render(m.state);
      break;
    case 'role':
      setRole(m.role, m.why);
      break;
    case 'notice':
      appendTranscript(`${m.text}\n`, 'note');
      break;
    case 'ended':
      ended(m.text);
      break;
  }
}

function onDrop(retrying) {
  setReady(false);
  if (retrying) {
    setStatus('reconnecting…', 'bad');
  } else {
    setStatus('gone', 'bad');
    showNotice(
      ui.snapshot
        ? 'ts-pdb open no longer answers: it ended (the snapshot file is still there).'
        : 'The program no longer answers: it ended, or its session timed out.',
    );
  }
}

initPanes();
initSource();
initHover();
initConsole();
initStack((text) => appendTranscript(`*** ${text}\n`, 'err'));
$('take-control').addEventListener('click', () => send({ type: 'take-control' }));
$('ranks-link').href = `ranks${token ? `?token=${encodeURIComponent(token)}` : ''}`;
connect(onMessage, onDrop);
