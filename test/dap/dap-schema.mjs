// The Debug Adapter Protocol's JSON schema, generated in the test run from @vscode/debugprotocol's
// declarations (the package ships TypeScript declarations only) with ts-json-schema-generator, and
// a check of every message an adapter sends against it: a response against its command's
// `XResponse` (a failed one against `ErrorResponse`), an event against its `XEvent`. Interfaces are
// closed (additionalProperties: false), so a misspelt field fails too. Validated with ajv (draft-07).
import { createRequire } from 'node:module';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../helpers/build.mjs';

const require = createRequire(import.meta.url);
const DECLARATIONS = require.resolve('@vscode/debugprotocol/lib/debugProtocol.d.ts');

/** The names of the protocol's responses and events, as declared. */
function messageTypes() {
  const text = readFileSync(DECLARATIONS, 'utf8');
  return [...text.matchAll(/^\s*interface (\w+(?:Response|Event))\b/gm)].map((m) => m[1]);
}

/**
 * Generates the schema of every response and event (one definitions table) and compiles a checker.
 * @returns `check(message)`: the list of problems with one message ([] when it conforms).
 */
export function protocolChecker() {
  const tsj = require('ts-json-schema-generator');
  const Ajv = require('ajv');
  // One root type naming every message type: one pass of the generator gives all their definitions.
  const names = messageTypes();
  const dir = scratch('dap-schema-');
  const root = join(dir, 'messages.ts');
  writeFileSync(
    root,
    `import type { DebugProtocol } from ${JSON.stringify(DECLARATIONS.replace(/\.d\.ts$/, ''))};\n` +
      `export interface Messages {\n${names.map((n) => `  ${n}: DebugProtocol.${n};`).join('\n')}\n}\n`,
  );
  let definitions;
  try {
    const generator = tsj.createGenerator({
      path: root,
      type: 'Messages',
      skipTypeCheck: true,
      expose: 'all',
      topRef: true,
      jsDoc: 'none',
    });
    definitions = generator.createSchema('Messages').definitions;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ajv = new Ajv({ allErrors: true, jsonPointers: true });
  ajv.addSchema({ $id: 'dap', definitions });
  const validators = new Map();
  const validator = (name) => {
    if (!validators.has(name))
      validators.set(name, definitions[`DebugProtocol.${name}`] ? ajv.getSchema(`dap#/definitions/DebugProtocol.${name}`) : null);
    return validators.get(name);
  };
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  return function check(message) {
    let name;
    if (message.type === 'event') name = `${cap(String(message.event))}Event`;
    else if (message.type === 'response') name = message.success ? `${cap(String(message.command))}Response` : 'ErrorResponse';
    else return [`not a response or an event: ${JSON.stringify(message).slice(0, 200)}`];
    const validate = validator(name);
    if (!validate) return [`${name}: not a type of the protocol (${JSON.stringify(message).slice(0, 200)})`];
    if (validate(message)) return [];
    return validate.errors.map(
      (e) =>
        `${name}${e.dataPath} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}: ${JSON.stringify(message).slice(0, 300)}`,
    );
  };
}
