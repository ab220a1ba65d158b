// ts-pdb's web page: the stack, the source of the selected frame, its variables as a tree fetched
// lazily, the exception chain, and a console that runs every session command. It talks to the
// rank's worker over one WebSocket (runtime/web/page-protocol.ts has the messages). Text from the
// program is only ever set with textContent: a value or a source line can hold anything.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.search).get('token');
  /** Commands kept in the history (localStorage, per origin: per rank's port). */
  const HISTORY_MAX = 500;
  /** Transcript entries kept in the page: older ones are dropped, the page stays fast. */
  const TRANSCRIPT_MAX = 3000;
  /** Completion candidates shown at most. */
  const CANDIDATES_SHOWN = 80;
  const SEP = '\u0001';
  const STYLED = new Set(['string', 'number', 'bigint', 'boolean', 'undefined', 'null', 'function', 'uninitialized', 'accessor', 'range', 'note', 'hole', 'error']);

  const ui = {
    ws: null,
    role: null,
    ready: false,
    ended: false,
    prompt: '',
    state: null,
    /** Paths of the tree nodes the user opened: opened again after each command, with fresh values. */
    expanded: new Set(),
    /** Source answers by file. */
    sources: new Map(),
    /** The file drawn in the source pane. */
    drawn: null,
    pending: new Map(),
    nextId: 1,
    /** Bumped by each state: answers about an older one are dropped. */
    generation: 0,
    history: loadHistory(),
    hpos: -1,
    draft: '',
    retries: 0,
  };

  // --- connection ------------------------------------------------------------------------------

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    ui.ws = ws;
    ws.onopen = () => { ui.retries = 0; };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      onMessage(m);
    };
    ws.onclose = () => {
      for (const p of ui.pending.values()) p.reject(new Error('disconnected'));
      ui.pending.clear();
      if (ui.ended) return;
      setReady(false);
      if (ui.retries >= 20) {
        setStatus('gone', 'bad');
        showNotice('The program no longer answers: it ended, or its session timed out.');
        return;
      }
      setStatus('reconnecting…', 'bad');
      const wait = Math.min(10000, 500 * 2 ** ui.retries++);
      setTimeout(connect, wait);
    };
  }

  function send(m) {
    if (ui.ws && ui.ws.readyState === WebSocket.OPEN) ui.ws.send(JSON.stringify(m));
  }

  /** A request answered by the program at its prompt. */
  function request(method, params) {
    return new Promise((resolve, reject) => {
      const id = ui.nextId++;
      ui.pending.set(id, { resolve, reject });
      send({ type: 'request', id, method, params });
    });
  }

  function onMessage(m) {
    switch (m.type) {
      case 'hello':
        $('who').textContent = `rank ${m.rank} · pid ${m.pid}`;
        setTitle(m.title);
        $('transcript').replaceChildren();
        for (const e of m.transcript) appendTranscript(e.text, e.kind);
        if (m.state) render(m.state);
        setRole(m.role, m.why);
        if (m.ended !== undefined) showEnded(m.ended);
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
      case 'answer': {
        const p = ui.pending.get(m.id);
        if (!p) break;
        ui.pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.result);
        break;
      }
      case 'role':
        setRole(m.role, m.why);
        break;
      case 'notice':
        appendTranscript(`${m.text}\n`, 'note');
        break;
      case 'ended':
        showEnded(m.text);
        break;
    }
  }

  // --- header, status, role --------------------------------------------------------------------

  function setTitle(title) {
    $('title').textContent = title;
    document.title = `ts-pdb · ${title}`;
  }

  function setStatus(text, cls) {
    const s = $('status');
    s.textContent = text;
    s.className = `status ${cls}`;
  }

  function setReady(ready, prompt) {
    ui.ready = ready;
    if (ui.ended) return;
    if (ready) {
      ui.prompt = prompt;
      $('prompt').textContent = prompt;
      setStatus(ui.role === 'control' ? 'waiting for your command' : 'waiting for a command', 'ready');
    } else if (ui.ws && ui.ws.readyState === WebSocket.OPEN) {
      setStatus('running…', 'busy');
    }
  }

  function setRole(role, why) {
    ui.role = role;
    const input = $('command');
    const take = $('take-control');
    if (role === 'control') {
      input.disabled = ui.ended;
      input.placeholder = 'p expression · h for help · Tab completes · ↑↓ history';
      take.hidden = true;
      if (why && !ui.ended) showNotice(why); else hideNotice();
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

  function showNotice(text, cls = '') {
    $('notice-text').textContent = text;
    $('notice').className = `notice ${cls}`;
    $('notice').hidden = false;
  }

  function hideNotice() {
    $('notice').hidden = true;
  }

  function showEnded(text) {
    ui.ended = true;
    ui.ready = false;
    setStatus('session ended', 'ended');
    // The server's words: the error goes on, or the function returns a value instead.
    const said = text.trim().replace(/^ts-pdb: session ended; /, '');
    showNotice(`Session ended: ${said || 'the error goes on in the program.'}`, 'ended');
    if (text.trim()) appendTranscript(text.endsWith('\n') ? text : `${text}\n`, 'note');
    $('take-control').hidden = true;
    $('command').disabled = true;
    $('command').placeholder = 'The session has ended.';
    $('prompt').textContent = '';
  }

  // --- state -----------------------------------------------------------------------------------

  function render(state) {
    ui.state = state;
    ui.generation++;
    setTitle(state.title);
    renderFrames(state);
    renderExceptions(state);
    renderSource(state);
    renderScopes(state);
    renderDisplays(state);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderFrames(state) {
    const list = $('frames');
    const items = [];
    let folded = 0;
    const flush = () => {
      if (folded) items.push(el('li', 'internal', `${folded} node-internal frame${folded === 1 ? '' : 's'}`));
      folded = 0;
    };
    for (const f of state.frames) {
      if (f.kind === 'node' && f.index !== state.index) { folded++; continue; }
      flush();
      const li = el('li', f.selectable ? '' : 'internal');
      li.dataset.frame = String(f.index);
      if (f.index === state.index) li.classList.add('current');
      if (f.selectable) {
        const name = el('span', 'fn', f.name);
        li.append(name);
        if (f.instrumented) {
          const badge = el('span', 'badge', 'locals');
          badge.title = 'its local variables were captured at the throw';
          li.append(badge);
        }
        li.append(el('span', 'loc', f.location));
        li.addEventListener('click', () => selectFrame(f.index));
      } else {
        li.textContent = f.location;
      }
      items.push(li);
    }
    flush();
    if (state.moreFrames) items.push(el('li', 'internal', `${state.moreFrames} more frames (w lists them)`));
    if (!state.frames.length) items.push(el('li', 'internal', 'no stack: the thrown value has no stack trace'));
    list.replaceChildren(...items);
  }

  function selectFrame(index) {
    if (ui.role !== 'control' || !ui.ready || !ui.state || index === ui.state.index) return;
    request('select', { frame: index }).catch((e) => appendTranscript(`*** ${e.message}\n`, 'err'));
  }

  function renderExceptions(state) {
    $('exceptions-box').hidden = state.exceptions.length < 2;
    const items = state.exceptions.map((e) => {
      const li = el('li', e.index === state.exceptionIndex ? 'current' : '');
      li.style.paddingLeft = `${12 + 14 * e.depth}px`;
      li.dataset.exception = String(e.index);
      if (e.depth > 0) li.append(el('span', 'label', e.label));
      li.append(el('span', 'text', e.text));
      li.addEventListener('click', () => {
        if (ui.role !== 'control' || !ui.ready || e.index === state.exceptionIndex) return;
        request('exception', { index: e.index }).catch((err) => appendTranscript(`*** ${err.message}\n`, 'err'));
      });
      return li;
    });
    $('exceptions').replaceChildren(...items);
  }

  function renderSource(state) {
    const frame = state.frames.find((f) => f.index === state.index);
    const box = $('source');
    if (!frame || !frame.file) {
      $('source-title').textContent = 'Source';
      box.replaceChildren(el('div', 'empty', frame ? 'No source for this frame.' : 'No frame selected.'));
      ui.drawn = null;
      return;
    }
    const cached = ui.sources.get(frame.file);
    const covers = (a) => a && (a.total === 0 || (frame.line >= a.first && frame.line < a.first + a.lines.length));
    if (covers(cached)) {
      drawSource(cached, frame);
      return;
    }
    const gen = ui.generation;
    request('source', { frame: frame.index }).then((answer) => {
      ui.sources.set(answer.file, answer);
      if (gen === ui.generation) drawSource(answer, frame);
    }, (e) => {
      if (gen === ui.generation) box.replaceChildren(el('div', 'empty', e.message));
    });
  }

  function drawSource(answer, frame) {
    const box = $('source');
    $('source-title').textContent = `${answer.shown}${frame.line ? `:${frame.line}` : ''}`;
    $('source-title').title = answer.file;
    if (ui.drawn !== answer) {
      if (answer.missing) {
        box.replaceChildren(el('div', 'empty', `The source of ${answer.shown} cannot be read.`));
      } else {
        const fragment = document.createDocumentFragment();
        answer.lines.forEach((tokens, i) => {
          const n = answer.first + i;
          const row = el('div', 'ln');
          row.dataset.line = String(n);
          row.append(el('span', 'num', String(n)));
          const code = el('span', 'code');
          for (const [cls, text] of tokens) code.append(cls ? el('span', `tk-${cls}`, text) : document.createTextNode(text));
          if (!tokens.length) code.append(document.createTextNode(' '));
          row.append(code);
          fragment.append(row);
        });
        box.replaceChildren(fragment);
      }
      ui.drawn = answer;
    }
    for (const old of box.querySelectorAll('.ln.current')) old.classList.remove('current');
    const line = box.querySelector(`.ln[data-line="${frame.line}"]`);
    if (line) {
      line.classList.add('current');
      box.scrollTop = Math.max(0, line.offsetTop - box.clientHeight / 2 + line.clientHeight / 2);
    }
  }

  function renderScopes(state) {
    const box = $('scopes');
    const groups = state.scopes.map((scope) => {
      const g = el('div', 'scope');
      if (scope.ref !== undefined) {
        // A group listed on demand (the module's bindings): its header opens like a node.
        const tree = el('ul', 'tree');
        tree.append(nodeEl({ name: scope.name, preview: '', type: 'scope', ref: scope.ref }, `${scope.name}`));
        g.append(tree);
        return g;
      }
      g.append(el('div', 'scope-name', scope.name));
      if (scope.note) g.append(el('div', 'scope-note', scope.note));
      const tree = el('ul', 'tree');
      for (const n of scope.nodes) tree.append(nodeEl(n, `${scope.name}${SEP}${n.name}`));
      if (!scope.nodes.length && !scope.note) g.append(el('div', 'scope-note', '(none)'));
      g.append(tree);
      return g;
    });
    if (!groups.length) groups.push(el('div', 'scope-note', 'No variables for this frame.'));
    box.replaceChildren(...groups);
  }

  function nodeEl(node, path) {
    const li = el('li');
    const row = el('div', 'row');
    row.append(el('span', 'twisty'));
    const isRange = node.type === 'range';
    row.append(el('span', isRange ? 'key range' : 'key', isRange || node.type === 'scope' ? node.name : `${node.name}:`));
    if (node.kind && node.kind !== 'param' && node.kind !== 'var' && node.kind !== 'let' && node.kind !== 'const') {
      row.append(el('span', 'kind', node.kind));
    }
    // Primitive types colour their value; an object's type is its class name, which has no style.
    row.append(el('span', STYLED.has(node.type) ? `val ${node.type}` : 'val', node.preview));
    row.title = `${node.name}${node.kind ? ` (${node.kind})` : ''}: ${node.type}`;
    li.append(row);
    if (node.ref !== undefined) {
      row.classList.add('open-able');
      row.addEventListener('click', () => {
        if (li.classList.contains('open')) collapse(li, path);
        else expand(li, node, path);
      });
      if (ui.expanded.has(path)) expand(li, node, path);
    }
    return li;
  }

  function expand(li, node, path) {
    li.classList.add('open');
    ui.expanded.add(path);
    const gen = ui.generation;
    const box = el('ul', 'tree');
    box.append(el('li', 'loading', 'loading…'));
    li.append(box);
    const params = { ref: node.ref };
    if (node.range) { params.from = node.range[0]; params.to = node.range[1]; }
    request('children', params).then((answer) => {
      if (gen !== ui.generation || !li.isConnected) return;
      const items = answer.nodes.map((n) => nodeEl(n, `${path}${SEP}${n.name}`));
      box.replaceChildren(...(items.length ? items : [el('li', 'loading', '(no properties)')]));
    }, (e) => {
      if (gen === ui.generation) box.replaceChildren(el('li', 'loading', e.message));
    });
  }

  function collapse(li, path) {
    li.classList.remove('open');
    ui.expanded.delete(path);
    const sub = li.querySelector(':scope > ul');
    if (sub) sub.remove();
  }

  function renderDisplays(state) {
    $('displays-box').hidden = !state.displays.length;
    $('displays').replaceChildren(...state.displays.map((d) => el('li', '', `${d.expr}: ${d.text}`)));
  }

  // --- console ---------------------------------------------------------------------------------

  function appendTranscript(text, kind) {
    const box = $('transcript');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.append(el('span', kind === 'out' ? '' : kind, text));
    while (box.childElementCount > TRANSCRIPT_MAX) box.firstElementChild.remove();
    if (atBottom) box.scrollTop = box.scrollHeight;
  }

  function loadHistory() {
    try {
      const h = JSON.parse(localStorage.getItem('ts-pdb-history') || '[]');
      return Array.isArray(h) ? h.filter((x) => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  function remember(line) {
    if (!line.trim() || ui.history[ui.history.length - 1] === line) return;
    ui.history.push(line);
    if (ui.history.length > HISTORY_MAX) ui.history.splice(0, ui.history.length - HISTORY_MAX);
    try { localStorage.setItem('ts-pdb-history', JSON.stringify(ui.history)); } catch { /* private mode */ }
  }

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
    ui.hpos = -1;
    input.value = '';
    send({ type: 'command', line });
    setReady(false);
  });

  $('command').addEventListener('keydown', (ev) => {
    const input = ev.target;
    if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
      if (!ui.history.length) return;
      ev.preventDefault();
      if (ui.hpos === -1) { ui.draft = input.value; ui.hpos = ui.history.length; }
      ui.hpos += ev.key === 'ArrowUp' ? -1 : 1;
      if (ui.hpos < 0) ui.hpos = 0;
      if (ui.hpos >= ui.history.length) { ui.hpos = -1; input.value = ui.draft; return; }
      input.value = ui.history[ui.hpos];
      input.setSelectionRange(input.value.length, input.value.length);
    } else if (ev.key === 'Tab') {
      ev.preventDefault();
      complete(input);
    }
  });

  function complete(input) {
    const cursor = input.selectionStart ?? input.value.length;
    const line = input.value.slice(0, cursor);
    const rest = input.value.slice(cursor);
    request('complete', { line }).then(({ candidates, substring }) => {
      if (input.value.slice(0, cursor) !== line || !candidates.length) return;
      const head = line.slice(0, line.length - substring.length);
      let insert = candidates[0];
      if (candidates.length > 1) {
        insert = candidates.reduce((a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); });
        if (insert.length <= substring.length) {
          const shown = candidates.slice(0, CANDIDATES_SHOWN).join('  ');
          appendTranscript(`${shown}${candidates.length > CANDIDATES_SHOWN ? `  … ${candidates.length - CANDIDATES_SHOWN} more` : ''}\n`, 'note');
          return;
        }
      }
      input.value = head + insert + rest;
      const at = (head + insert).length;
      input.setSelectionRange(at, at);
    }, () => {});
  }

  $('take-control').addEventListener('click', () => send({ type: 'take-control' }));
  $('ranks-link').href = `ranks${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  connect();
})();
