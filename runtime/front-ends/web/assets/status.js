// The header and the notice bar: the error's title, whether the session waits for a command, this
// page's role (controls or watches), and the end of the session.
import { isOpen } from './connection.js';
import { $ } from './dom.js';
import { ui } from './state.js';

/** The error's first line, in the header and the tab's title. */
export function setTitle(title) {
  $('title').textContent = title;
  document.title = `ts-pdb · ${title}`;
}

/** The status pill: `cls` is ready, busy, ended or bad. */
export function setStatus(text, cls) {
  const s = $('status');
  s.textContent = text;
  s.className = `status ${cls}`;
}

/** The session waits for a command (`prompt`), or runs one. */
export function setReady(ready, prompt) {
  ui.ready = ready;
  if (ui.ended) return;
  if (ready) {
    ui.prompt = prompt;
    $('prompt').textContent = prompt;
    setStatus(ui.role === 'control' ? 'waiting for your command' : 'waiting for a command', 'ready');
  } else if (isOpen()) {
    setStatus('running…', 'busy');
  }
}

/** This page controls the session (types, selects frames) or watches it; `why` is said in the notice bar. */
export function setRole(role, why) {
  ui.role = role;
  const input = $('command');
  const take = $('take-control');
  if (role === 'control') {
    input.disabled = ui.ended;
    input.placeholder = 'p expression · h for help · Tab completes · ↑↓ history';
    take.hidden = true;
    if (why && !ui.ended) showNotice(why);
    else hideNotice();
    document.body.classList.remove('watching');
    if (!ui.ended) input.focus();
  } else {
    input.disabled = true;
    input.placeholder = 'Watching: another page controls this session';
    take.hidden = ui.ended;
    showNotice(why || 'Another page controls this session: this one watches.');
    document.body.classList.add('watching');
  }
  if (ui.ready) setReady(true, ui.prompt);
}

export function showNotice(text, cls = '') {
  $('notice-text').textContent = text;
  $('notice').className = `notice ${cls}`;
  $('notice').hidden = false;
}

export function hideNotice() {
  $('notice').hidden = true;
}

/** The session ended: `said` is the server's goodbye (the error goes on, or what the program does instead). */
export function showEnded(said) {
  ui.ended = true;
  ui.ready = false;
  setStatus('session ended', 'ended');
  showNotice(`Session ended: ${said || 'the error goes on in the program.'}`, 'ended');
  $('take-control').hidden = true;
  $('command').disabled = true;
  $('command').placeholder = 'The session has ended.';
  $('prompt').textContent = '';
}
