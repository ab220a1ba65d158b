/**
 * `ts-pdb dap`'s Debug Adapter Protocol session (docs/dap-design.md): @vscode/debugadapter's
 * DebugSession with the requests as a table (as the session's commands are, engine/commands/),
 * each a handler that returns the response's body or throws a message for the editor. Threads are
 * links (session-link.ts): a snapshot opened here, or a waiting rank over its socket. The numbers
 * DAP hands out are handles.ts's, renewed at each prompt of a thread's session; then the client is
 * told (`invalidated`, or `stopped` again for a client without that event).
 *
 * What it may touch: its links, and the DAP stream it is given (serve.ts gives it stdio or a TCP
 * connection). It never formats a value (to-dap.ts maps the engine's views), never exits the
 * process (serve.ts does, through `onEnd`), and a fault in a handler is an error response, not a
 * crash.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugSession, Event, Response } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CompleteAnswer, EvaluateAnswer, HoverAnswer, ScopeView, SourceAnswer, ValueNode, ViewRequest } from '../engine/requests';
import { PAGE } from '../engine/value-tree';
import { Handles, type Handle, type Target } from './handles';
import type { CommandResult, SessionLink } from './session-link';
import { AttachError, openTargets } from './targets';
import { boundaryFrame, childExpression, clientColumn, exceptionInfoOf, stackFrameOf, variableOf, type ClientStyle } from './to-dap';

/** A mistake or a refusal the editor shows as it is (an error response). */
export class RequestError extends Error {}

/** Children fetched at most for one `variables` request (a client that asks for a million gets this many). Default 5000. */
export const MAX_VARIABLES = 5000;

/** The preview of a Map or Set (of any class): its children by position are not read by an index. */
const SET_LIKE = /^[^\s([{'"]*\(\d+\) \{/;

/** What the adapter tells the server that runs it. */
export interface AdapterOptions {
  /** The DAP session is over (disconnect, or the client is gone): close the stream, exit a stdio adapter. */
  onEnd(): void;
}

/** One request's handler: the response's body (undefined: none), or a thrown {@link RequestError}. */
type Handler = (a: DapAdapter, args: Record<string, unknown>, response: DebugProtocol.Response) => unknown;

/** What a handler may assume. */
interface RequestEntry {
  run: Handler;
  /** Refused before an attach (there is no thread to ask). */
  attached?: boolean;
}

/** Why stepping is refused: the program is stopped for good at an exception (or a breakpoint that cannot step). */
const NO_STEPPING =
  'ts-pdb does not step: the session is a stop at an exception (or a breakpoint() call) with every frame kept; c (continue) ends it';

/** The requests ts-pdb answers, by DAP command. Anything else is refused with a message. */
const REQUESTS: Record<string, RequestEntry> = {
  initialize: { run: (a, args) => a.initialize(args) },
  launch: {
    run: () => {
      throw new RequestError(
        'ts-pdb dap attaches, it does not launch: run the program (npx ts-pdb run app.ts, with IPDB_MODE=socket for rank 0) and attach to its rank, or attach to a snapshot',
      );
    },
  },
  attach: { run: (a, args) => a.attach(args) },
  configurationDone: { run: (a) => a.configurationDone() },
  setBreakpoints: { run: (_a, args) => unverified(args, 'breakpoints') },
  setFunctionBreakpoints: { run: (_a, args) => unverified(args, 'breakpoints') },
  // Every session is a stop at an exception already: there is nothing to choose.
  setExceptionBreakpoints: { run: () => ({}) },
  threads: { run: (a) => ({ threads: a.threads() }) },
  stackTrace: { run: (a, args) => a.stackTrace(args), attached: true },
  scopes: { run: (a, args) => a.scopes(args), attached: true },
  variables: { run: (a, args) => a.variables(args), attached: true },
  evaluate: { run: (a, args) => a.evaluate(args), attached: true },
  setVariable: { run: (a, args) => a.setVariable(args), attached: true },
  setExpression: { run: (a, args) => a.setExpression(args), attached: true },
  source: { run: (a, args) => a.source(args), attached: true },
  completions: { run: (a, args) => a.completions(args), attached: true },
  exceptionInfo: { run: (a, args) => a.exceptionInfo(args), attached: true },
  continue: { run: (a, args) => a.continue(args), attached: true },
  restartFrame: { run: (a, args) => a.restartFrame(args), attached: true },
  terminate: { run: (a) => a.terminate() },
  disconnect: { run: (a, args) => a.disconnect(args) },
  next: { run: refuse(NO_STEPPING) },
  stepIn: { run: refuse(NO_STEPPING) },
  stepOut: { run: refuse(NO_STEPPING) },
  stepBack: { run: refuse(NO_STEPPING) },
  reverseContinue: { run: refuse(NO_STEPPING) },
  goto: { run: refuse(NO_STEPPING) },
  pause: { run: refuse('every thread is stopped already (a session waits at its prompt)') },
};

function refuse(message: string): Handler {
  return () => {
    throw new RequestError(message);
  };
}

/** ts-pdb has no breakpoints by line or function: each one asked for is unverified, and says why. */
function unverified(args: Record<string, unknown>, key: 'breakpoints'): { breakpoints: DebugProtocol.Breakpoint[] } {
  const asked = Array.isArray(args[key]) ? (args[key] as unknown[]) : [];
  const message = 'ts-pdb stops where the code says: breakpoint() in the program, or a marked function an error leaves';
  return { breakpoints: asked.map(() => ({ verified: false, message })) };
}

/** The DAP session of one client. */
export class DapAdapter extends DebugSession {
  private readonly links = new Map<number, SessionLink>();
  private readonly handles = new Handles();
  private readonly sources = new Map<number, string>();
  private readonly onDisk = new Map<string, boolean>();
  private readonly announced = new Set<number>();
  private style: ClientStyle = { linesStartAt1: true, columnsStartAt1: true, variableType: false };
  private invalidatedEvent = false;
  /** Settles when the attach under way does (undefined: none is). */
  private attaching: Promise<void> | undefined;
  private configured = false;
  private over = false;
  private nextThread = 1;

  constructor(private readonly options: AdapterOptions) {
    super();
  }

  /** The library's own end (it would exit the process): serve.ts decides instead. */
  override shutdown(): void {}

  /** Answers one request from the table; a fault is an error response with its message. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    // A request sent while an attach connects waits for it (a client may send before the answer).
    if (this.attaching) {
      void this.attaching.then(() => this.dispatchRequest(request));
      return;
    }
    const response: DebugProtocol.Response = new Response(request);
    const entry = typeof request.command === 'string' && Object.hasOwn(REQUESTS, request.command) ? REQUESTS[request.command] : undefined;
    if (!entry) {
      this.fail(response, `ts-pdb does not support the request ${JSON.stringify(request.command)}`);
      return;
    }
    if (entry.attached && this.links.size === 0) {
      this.fail(response, 'not attached: attach to a waiting rank or a snapshot first');
      return;
    }
    const args = typeof request.arguments === 'object' && request.arguments !== null ? (request.arguments as Record<string, unknown>) : {};
    let result: unknown;
    try {
      result = entry.run(this, args, response);
    } catch (e) {
      this.failWith(response, e);
      return;
    }
    Promise.resolve(result).then(
      (body) => {
        if (body !== undefined) response.body = body;
        this.sendResponse(response);
      },
      (e: unknown) => this.failWith(response, e),
    );
  }

  /** Sends an error response saying `message` (shown to the user as it is). */
  private fail(response: DebugProtocol.Response, message: string): void {
    response.success = false;
    response.message = message;
    response.body = { error: { id: 1, format: message, showUser: true } };
    this.sendResponse(response);
  }

  private failWith(response: DebugProtocol.Response, e: unknown): void {
    const message = e instanceof RequestError || e instanceof AttachError ? e.message : `ts-pdb dap: ${describe(e)}`;
    this.fail(response, message);
  }

  /** Says `text` in the client's debug console. */
  say(text: string, category: 'console' | 'stdout' | 'stderr' | 'important' = 'console'): void {
    if (!text || this.over) return;
    this.sendEvent(new Event('output', { category, output: text }));
  }

  // ---- the requests ---------------------------------------------------------------------------

  initialize(args: Record<string, unknown>): DebugProtocol.Capabilities {
    if (args.pathFormat !== undefined && args.pathFormat !== 'path')
      throw new RequestError('ts-pdb dap gives file paths, not URIs (pathFormat "path")');
    this.style = {
      linesStartAt1: args.linesStartAt1 !== false,
      columnsStartAt1: args.columnsStartAt1 !== false,
      variableType: args.supportsVariableType === true,
    };
    this.invalidatedEvent = args.supportsInvalidatedEvent === true;
    return {
      supportsConfigurationDoneRequest: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsSetExpression: true,
      supportsExceptionInfoRequest: true,
      supportsCompletionsRequest: true,
      supportsRestartFrame: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
    };
  }

  async attach(args: Record<string, unknown>): Promise<undefined> {
    if (this.links.size) throw new RequestError('already attached: one attach per debug session');
    let links: SessionLink[];
    const opening = openTargets(args);
    this.attaching = opening.then(
      () => {},
      () => {},
    );
    try {
      links = await opening;
    } finally {
      this.attaching = undefined;
    }
    if (this.over) {
      for (const l of links) void l.close(false);
      return undefined;
    }
    for (const link of links) {
      const thread = this.nextThread++;
      this.links.set(thread, link);
      link.listen({
        output: (text) => this.say(text),
        ended: () => this.threadEnded(thread),
      });
    }
    // After the response: the client sends its configuration, then configurationDone.
    setImmediate(() => this.sendEvent(new Event('initialized')));
    return undefined;
  }

  configurationDone(): undefined {
    this.configured = true;
    setImmediate(() => {
      for (const thread of this.links.keys()) this.announce(thread);
    });
    return undefined;
  }

  /** The thread's greeting in the console, and its `stopped` event (once). */
  private announce(thread: number): void {
    const link = this.links.get(thread);
    if (!link || this.announced.has(thread) || link.ended || this.over) return;
    this.announced.add(thread);
    this.say(link.greeting);
    this.stopped(thread);
  }

  private stopped(thread: number, preserveFocusHint = false): void {
    const link = this.links.get(thread);
    if (!link) return;
    const state = link.state();
    const body: DebugProtocol.StoppedEvent['body'] = {
      reason: link.info.breakpoint ? 'breakpoint' : 'exception',
      description: link.info.breakpoint ? `Breakpoint in ${state.where}` : `Exception caught in ${state.where}`,
      threadId: thread,
      allThreadsStopped: false,
    };
    if (!link.info.breakpoint) body.text = state.title;
    if (preserveFocusHint) body.preserveFocusHint = true;
    this.sendEvent(new Event('stopped', body));
  }

  threads(): DebugProtocol.Thread[] {
    return [...this.links].filter(([, l]) => !l.ended).map(([id, l]) => ({ id, name: l.info.name }));
  }

  stackTrace(args: Record<string, unknown>): DebugProtocol.StackTraceResponse['body'] {
    const { thread, link } = this.thread(args.threadId);
    const state = link.state();
    const start = Math.max(0, integer(args.startFrame) ?? 0);
    const levels = integer(args.levels) || state.frames.length;
    const restart = link.info.live && !link.info.breakpoint ? boundaryFrame(state) : undefined;
    const frames = state.frames.slice(start, start + levels).map((f) => {
      const id = this.handles.frame(thread, state.exceptionIndex, f.index);
      return stackFrameOf(f, id, f.file ? this.sourceOf(thread, link, f.file) : undefined, this.style, f.index === restart);
    });
    let total = state.frames.length;
    if (state.moreFrames) {
      total++;
      if (start + levels > state.frames.length) {
        frames.push({
          id: this.handles.frame(thread, state.exceptionIndex, -1),
          name: `… ${state.moreFrames} more frames not listed`,
          line: 0,
          column: 0,
          presentationHint: 'label',
        });
      }
    }
    return { stackFrames: frames, totalFrames: total };
  }

  /** A frame's source: its path when the file is on this disk and the session is a live one; else a reference to the text the session holds (a snapshot's is the text that ran). */
  private sourceOf(thread: number, link: SessionLink, file: string): DebugProtocol.Source {
    const source: DebugProtocol.Source = { name: path.basename(file), path: file };
    let here = this.onDisk.get(file);
    if (here === undefined) this.onDisk.set(file, (here = fs.existsSync(file)));
    if (!link.info.live || !here) {
      source.sourceReference = this.handles.source(thread, file);
      if (!link.info.live) source.origin = 'snapshot';
    }
    return source;
  }

  async scopes(args: Record<string, unknown>): Promise<DebugProtocol.ScopesResponse['body']> {
    const { thread, link, handle } = this.handle(args.frameId, 'frame');
    const target = handle.target as Extract<Target, { kind: 'frame' }>;
    if (target.frame < 0) return { scopes: [] };
    const views = (await this.ask(link, { method: 'scopes', params: { frame: target.frame } })) as ScopeView[];
    const version = link.state().version;
    return {
      scopes: views.map((sc): DebugProtocol.Scope => {
        const scope: DebugProtocol.Scope = {
          name: sc.name,
          variablesReference:
            sc.ref !== undefined
              ? this.handles.make(thread, version, { kind: 'value', ref: sc.ref, frame: target.frame, scope: sc.name })
              : this.handles.make(thread, version, { kind: 'nodes', frame: target.frame, scope: sc.name, nodes: sc.nodes, note: sc.note }),
          expensive: sc.ref !== undefined,
        };
        if (sc.name === 'Locals') scope.presentationHint = 'locals';
        if (sc.ref === undefined) scope.namedVariables = sc.nodes.length || (sc.note ? 1 : 0);
        return scope;
      }),
    };
  }

  async variables(args: Record<string, unknown>): Promise<DebugProtocol.VariablesResponse['body']> {
    const { thread, link, handle } = this.handle(args.variablesReference);
    const target = handle.target;
    if (target.kind === 'frame') throw new RequestError('that number is a frame, not a variable');
    const start = Math.max(0, integer(args.start) ?? 0);
    const count = Math.max(0, integer(args.count) ?? 0);
    let nodes: ValueNode[];
    if (target.kind === 'nodes') {
      nodes = target.nodes.length || !target.note ? target.nodes : [{ name: '(no locals)', preview: target.note, type: 'note' }];
      if (args.filter === 'indexed') nodes = [];
      nodes = count ? nodes.slice(start, start + count) : nodes.slice(start);
      // A scope's variables are read by their names (`this` by itself).
      const vars = nodes.map((n) => {
        const expr = n.type === 'note' || n.name === '…' ? undefined : n.name;
        return this.variable(thread, handle.version, n, target.frame, expr);
      });
      return { variables: vars };
    }
    const parent = target.scope === 'Module' ? '' : target.path;
    const collection = target.indexed !== undefined;
    if (args.filter === 'indexed' && target.indexed !== undefined) {
      const from = Math.min(start, target.indexed);
      const to = Math.min(target.indexed, from + Math.min(count || target.indexed - from, MAX_VARIABLES));
      nodes = [];
      for (let a = from; a < to; a += PAGE) {
        const page = (await this.ask(link, { method: 'children', params: { ref: target.ref, from: a, to: Math.min(a + PAGE, to) } })) as {
          nodes: ValueNode[];
        };
        nodes.push(...page.nodes);
      }
    } else {
      const params: { ref: number; from?: number; to?: number } = { ref: target.ref };
      if (target.range) [params.from, params.to] = target.range;
      nodes = ((await this.ask(link, { method: 'children', params })) as { nodes: ValueNode[] }).nodes;
      // The named ones: what is not an item (nor a range of items) of a big array, Map or Set.
      if (args.filter === 'named' && collection) nodes = nodes.filter((n) => n.type !== 'range' && !/^\d+$/.test(n.name));
      else if (args.filter === 'indexed') nodes = [];
      if (start || count) nodes = count ? nodes.slice(start, start + count) : nodes.slice(start);
    }
    const frame = target.frame;
    return {
      variables: nodes.map((n) => {
        // A module's bindings are read by their names; a value's children from it (`cart.items[3]`).
        const expr = parent === '' ? (n.name.startsWith('[[') ? undefined : n.name) : childExpression(parent, n, target.setLike === true);
        return this.variable(thread, handle.version, n, frame, parent === undefined ? undefined : expr);
      }),
    };
  }

  /** A value node as a variable, with a number for its children when it has some. */
  private variable(
    thread: number,
    version: number,
    node: ValueNode,
    frame: number | undefined,
    evaluateName: string | undefined,
  ): DebugProtocol.Variable {
    const reference =
      node.ref === undefined
        ? 0
        : this.handles.make(thread, version, {
            kind: 'value',
            ref: node.ref,
            ...(node.range ? { range: node.range } : {}),
            ...(node.indexed !== undefined && !node.range ? { indexed: node.indexed } : {}),
            ...(SET_LIKE.test(node.preview) ? { setLike: true } : {}),
            ...(frame !== undefined ? { frame } : {}),
            ...(evaluateName !== undefined ? { path: evaluateName } : {}),
          });
    return variableOf(node, reference, this.style, evaluateName);
  }

  async evaluate(args: Record<string, unknown>): Promise<DebugProtocol.EvaluateResponse['body']> {
    const expression = typeof args.expression === 'string' ? args.expression : '';
    const context = typeof args.context === 'string' ? args.context : 'repl';
    const { thread, link, frame } = this.frameOrThread(args.frameId);
    if (context === 'repl') return this.repl(thread, link, expression, frame);
    if (context === 'hover') {
      const chain = /^\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*$/.exec(expression);
      // A name or a chain of names is read without running anything (getters are not called), as the page's hover.
      if (chain)
        return this.hover(
          thread,
          link,
          chain[1].split('.').map((s) => s.trim()),
          frame,
          args,
        );
    }
    if (!expression.trim()) throw new RequestError('no expression to evaluate');
    const answer = (await this.ask(link, {
      method: 'evaluate',
      params: frame === undefined ? { expression } : { expression, frame },
    })) as EvaluateAnswer;
    return this.result(thread, link, answer.node, frame, expression);
  }

  /** A debug console line: a session command (`w`, `p x`, `u`, `return 0`), or JavaScript, whose value opens as a tree. */
  private async repl(
    thread: number,
    link: SessionLink,
    line: string,
    frame: number | undefined,
  ): Promise<DebugProtocol.EvaluateResponse['body']> {
    const engine = require('../engine') as typeof import('../engine');
    if (line.trim() && !engine.isCommandLine(line)) {
      try {
        const answer = (await this.ask(link, {
          method: 'evaluate',
          params: frame === undefined ? { expression: line } : { expression: line, frame },
        })) as EvaluateAnswer;
        // It may have changed a variable: the client shows them again (the handles stay good).
        if (this.invalidatedEvent) this.sendEvent(new Event('invalidated', { areas: ['variables'], threadId: thread }));
        return this.result(thread, link, answer.node, frame, line.trim());
      } catch (e) {
        // A statement (`const a = 1`, `if (...) ...`) is no expression: the session runs it as the prompt would.
        if (!/^SyntaxError\b/.test(describe(e))) throw new RequestError(describe(e));
      }
    }
    if (frame !== undefined && frame !== link.state().index) await this.select(link, frame);
    // Several lines are several commands, as when pasted at the prompt.
    let output = '';
    let ended = false;
    for (const one of line.split(/\r?\n/)) {
      if (ended) break;
      const r = await this.run(link, one);
      output += r.output;
      ended = r.ended;
    }
    if (!ended) this.moved(thread);
    return { result: output.replace(/\n$/, ''), variablesReference: 0 };
  }

  private async hover(
    thread: number,
    link: SessionLink,
    names: string[],
    frame: number | undefined,
    args: Record<string, unknown>,
  ): Promise<DebugProtocol.EvaluateResponse['body']> {
    const state = link.state();
    const at = frame ?? state.index;
    const view = state.frames[at];
    if (!view) throw new RequestError('no frame to read it in');
    const line = integer(args.line);
    const column = integer(args.column);
    const position =
      line !== undefined
        ? {
            line: this.style.linesStartAt1 ? line : line + 1,
            col: column === undefined ? 0 : this.style.columnsStartAt1 ? column - 1 : column,
          }
        : { line: view.line ?? 0, col: view.col ?? 0 };
    const answer = (await this.ask(link, { method: 'hover', params: { frame: at, ...position, path: names } })) as HoverAnswer;
    if ('none' in answer) throw new RequestError(answer.none);
    if ('note' in answer) return { result: answer.note, variablesReference: 0 };
    return this.result(thread, link, answer.node, at, answer.expression);
  }

  /** An evaluated value as `evaluate`'s body. */
  private result(
    thread: number,
    link: SessionLink,
    node: ValueNode,
    frame: number | undefined,
    expression: string,
  ): DebugProtocol.EvaluateResponse['body'] {
    const v = this.variable(thread, link.state().version, node, frame, expression);
    const body: DebugProtocol.EvaluateResponse['body'] = { result: v.value, variablesReference: v.variablesReference };
    if (v.type !== undefined) body.type = v.type;
    if (v.indexedVariables !== undefined) body.indexedVariables = v.indexedVariables;
    if (v.namedVariables !== undefined) body.namedVariables = v.namedVariables;
    return body;
  }

  async setVariable(args: Record<string, unknown>): Promise<DebugProtocol.SetVariableResponse['body']> {
    const { link, handle } = this.handle(args.variablesReference);
    const target = handle.target;
    const name = typeof args.name === 'string' ? args.name : '';
    // A binding by its name (a name, nothing else: the value is the only code the client gives);
    // a value's child by the expression that reads it (odd names quoted).
    let expression: string | undefined;
    const binding = /^[A-Za-z_$][\w$]*$/.test(name) ? name : undefined;
    if (target.kind === 'nodes') expression = target.scope === 'this' ? undefined : binding;
    else if (target.kind === 'value' && target.scope === 'Module') expression = binding;
    else if (target.kind === 'value' && target.path !== undefined)
      expression = childExpression(target.path, { name, preview: '', type: '' }, target.setLike === true);
    if (!expression) throw new RequestError(`${JSON.stringify(name)} cannot be set from here: use the debug console (!expression = value)`);
    const frame = target.kind === 'frame' ? undefined : target.frame;
    return this.assign(handle.thread, link, expression, args.value, frame);
  }

  async setExpression(args: Record<string, unknown>): Promise<DebugProtocol.SetExpressionResponse['body']> {
    const expression = typeof args.expression === 'string' ? args.expression.trim() : '';
    if (!expression) throw new RequestError('no expression to set');
    const { thread, link, frame } = this.frameOrThread(args.frameId);
    return this.assign(thread, link, expression, args.value, frame);
  }

  /** `!expression = value` in `frame`, as the session runs it (its words when it cannot), then the new value. */
  private async assign(
    thread: number,
    link: SessionLink,
    expression: string,
    value: unknown,
    frame: number | undefined,
  ): Promise<DebugProtocol.SetVariableResponse['body']> {
    if (typeof value !== 'string' || !value.trim()) throw new RequestError('no value to set');
    if (/[\r\n]/.test(value)) throw new RequestError('a value on one line, please');
    if (frame !== undefined && frame !== link.state().index) await this.select(link, frame);
    const r = await this.run(link, `!${expression} = ${value}`);
    if (r.ended) throw new RequestError(r.output.trim() || 'the session ended');
    this.moved(thread);
    const said = r.output.trim();
    if (said.startsWith('***')) throw new RequestError(said.replace(/^\*\*\* /, ''));
    const at = frame ?? link.state().index;
    const answer = (await this.ask(link, { method: 'evaluate', params: { expression, frame: at } })) as EvaluateAnswer;
    const v = this.variable(thread, link.state().version, answer.node, at, expression);
    const body: DebugProtocol.SetVariableResponse['body'] = { value: v.value, variablesReference: v.variablesReference };
    if (v.type !== undefined) body.type = v.type;
    if (v.indexedVariables !== undefined) body.indexedVariables = v.indexedVariables;
    if (v.namedVariables !== undefined) body.namedVariables = v.namedVariables;
    return body;
  }

  async source(args: Record<string, unknown>): Promise<DebugProtocol.SourceResponse['body']> {
    const given = args.source as { sourceReference?: unknown; path?: unknown } | undefined;
    const reference = integer(given?.sourceReference) || integer(args.sourceReference);
    const known = this.handles.sourceOf(reference);
    if (!known) {
      throw new RequestError(
        typeof given?.path === 'string' ? `ts-pdb has no text of ${given.path}: open it from the disk` : 'no such source reference',
      );
    }
    const cached = this.sources.get(reference!);
    if (cached !== undefined) return { content: cached, mimeType: 'text/typescript' };
    const link = this.links.get(known.thread);
    if (!link || link.ended) throw new RequestError('the session of that source has ended');
    const frame = link.state().frames.find((f) => f.file === known.file);
    if (!frame) throw new RequestError(`no frame shown now is in ${known.file}`);
    const answer = (await this.ask(link, { method: 'source', params: { frame: frame.index } })) as SourceAnswer;
    if (answer.missing) throw new RequestError(`the session holds no text of ${known.file} (a snapshot keeps files up to its size cap)`);
    // A big file comes as a window around the frame's line: the lines before it are left blank, so that numbers match.
    const text = '\n'.repeat(answer.first - 1) + answer.lines.map((tokens) => tokens.map((t) => t[1]).join('')).join('\n');
    this.sources.set(reference!, text);
    return { content: text, mimeType: 'text/typescript' };
  }

  async completions(args: Record<string, unknown>): Promise<DebugProtocol.CompletionsResponse['body']> {
    const text = typeof args.text === 'string' ? args.text : '';
    const column = integer(args.column) ?? text.length + (this.style.columnsStartAt1 ? 1 : 0);
    const cursor = Math.max(0, Math.min(text.length, this.style.columnsStartAt1 ? column - 1 : column));
    const { thread, link, frame } = this.frameOrThread(args.frameId);
    // The prompt completes in the session's frame: the one the editor shows is selected first.
    if (frame !== undefined && frame !== link.state().index) {
      await this.select(link, frame);
      this.moved(thread);
    }
    const answer = (await this.ask(link, { method: 'complete', params: { line: text.slice(0, cursor) } })) as CompleteAnswer;
    const at = cursor - answer.substring.length;
    return {
      targets: answer.candidates.map((label) => ({
        label,
        start: clientColumn(at, this.style),
        length: answer.substring.length,
      })),
    };
  }

  exceptionInfo(args: Record<string, unknown>): DebugProtocol.ExceptionInfoResponse['body'] {
    const { link } = this.thread(args.threadId);
    if (link.info.breakpoint) throw new RequestError('this thread stopped at a breakpoint() call: nothing was thrown');
    return exceptionInfoOf(link.state(), link.info.uncaught);
  }

  async continue(args: Record<string, unknown>): Promise<DebugProtocol.ContinueResponse['body']> {
    const { thread, link } = this.thread(args.threadId);
    const r = await this.run(link, 'c');
    this.say(r.output);
    if (!r.ended) this.moved(thread);
    return { allThreadsContinued: false };
  }

  async restartFrame(args: Record<string, unknown>): Promise<undefined> {
    const { thread, link, handle } = this.handle(args.frameId, 'frame');
    const state = link.state();
    const frame = (handle.target as Extract<Target, { kind: 'frame' }>).frame;
    const boundary = boundaryFrame(state);
    if (link.info.live && !link.info.breakpoint && frame !== boundary) {
      const name = boundary === undefined ? 'the boundary' : state.frames[boundary].name;
      throw new RequestError(`only the boundary frame (${name}) can restart: retry calls it again with the same arguments`);
    }
    const r = await this.run(link, 'retry');
    if (!r.ended) {
      this.moved(thread);
      throw new RequestError(r.output.trim().replace(/^\*\*\* /, '') || 'retry did not run');
    }
    this.say(r.output);
    return undefined;
  }

  async terminate(): Promise<undefined> {
    const open = [...this.links.values()].filter((l) => !l.ended);
    await Promise.all(open.map((l) => l.close(true)));
    return undefined;
  }

  async disconnect(args: Record<string, unknown>): Promise<undefined> {
    await this.end(args.terminateDebuggee === true);
    setImmediate(() => this.options.onEnd());
    return undefined;
  }

  /**
   * Ends every link: a rank is left waiting for its next client (its error intact) unless
   * `terminate`. Called by disconnect, and by the server when the client is gone. Never throws.
   */
  async end(terminate: boolean): Promise<void> {
    const open = [...this.links.values()].filter((l) => !l.ended);
    await Promise.all(open.map((l) => l.close(terminate).catch(() => {})));
    this.over = true;
  }

  // ---- threads, frames, handles ---------------------------------------------------------------

  /** A thread's session moved to a new prompt: its numbers are renewed, and the client asks again. */
  private moved(thread: number): void {
    const link = this.links.get(thread);
    if (!link || link.ended) return;
    this.handles.renew(thread, link.state().version);
    if (!this.configured) return;
    if (this.invalidatedEvent) this.sendEvent(new Event('invalidated', { areas: ['stacks', 'variables'], threadId: thread }));
    else this.stopped(thread, true);
  }

  private threadEnded(thread: number): void {
    this.handles.renew(thread);
    if (this.over) return;
    this.sendEvent(new Event('thread', { reason: 'exited', threadId: thread }));
    if ([...this.links.values()].every((l) => l.ended)) this.sendEvent(new Event('terminated'));
  }

  private async select(link: SessionLink, frame: number): Promise<void> {
    await this.ask(link, { method: 'select', params: { frame } });
  }

  /** A link's answer; its refusal (the engine's words, the rank's) is the editor's message as it is. */
  private async ask(link: SessionLink, req: ViewRequest): Promise<unknown> {
    try {
      return await link.request(req);
    } catch (e) {
      throw new RequestError(describe(e));
    }
  }

  /** A command line on a link (see {@link ask} for its refusals). */
  private async run(link: SessionLink, line: string): Promise<CommandResult> {
    try {
      return await link.command(line);
    } catch (e) {
      throw new RequestError(describe(e));
    }
  }

  private thread(id: unknown): { thread: number; link: SessionLink } {
    const link = typeof id === 'number' ? this.links.get(id) : undefined;
    if (!link) throw new RequestError(`no thread ${JSON.stringify(id)} (threads: ${[...this.links.keys()].join(', ') || 'none'})`);
    if (link.ended) throw new RequestError(`thread ${String(id)}'s session has ended`);
    return { thread: id as number, link };
  }

  /** The thread and frame of a frame id; without one, the first thread and its selected frame. */
  private frameOrThread(frameId: unknown): { thread: number; link: SessionLink; frame: number | undefined } {
    if (frameId === undefined || frameId === null) {
      const first = [...this.links].find(([, l]) => !l.ended);
      if (!first) throw new RequestError('every session has ended');
      return { thread: first[0], link: first[1], frame: undefined };
    }
    const { thread, link, handle } = this.handle(frameId, 'frame');
    const frame = (handle.target as Extract<Target, { kind: 'frame' }>).frame;
    return { thread, link, frame: frame < 0 ? undefined : frame };
  }

  /** What a number stands for, checked: its thread is there, and it belongs to the current prompt. */
  private handle(n: unknown, kind?: Target['kind']): { thread: number; link: SessionLink; handle: Handle } {
    const handle = this.handles.get(n);
    if (!handle) throw new RequestError(`${JSON.stringify(n)} is not a number this session gave (or it belongs to an earlier prompt)`);
    const { link } = this.thread(handle.thread);
    const state = link.state();
    const stale = handle.target.kind === 'frame' ? handle.target.exception !== state.exceptionIndex : handle.version !== state.version;
    if (stale) throw new RequestError('this belongs to an earlier prompt of the session: ask again (the stack and variables were renewed)');
    if (kind && handle.target.kind !== kind) throw new RequestError(`${JSON.stringify(n)} is not a ${kind}`);
    return { thread: handle.thread, link, handle };
  }
}

function integer(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function describe(e: unknown): string {
  try {
    if (e instanceof Error) return e.message;
    return String(e);
  } catch {
    return 'an error that cannot be shown';
  }
}
