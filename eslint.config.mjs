// ESLint's settings for the repository (issue #10): type-aware rules for the TypeScript of runtime/
// and transformer/, plain recommended rules for the tests and scripts (Node) and for the web page's
// modules (browser). Run by `npm run lint` and by test/lint.test.mjs; formatting is Prettier's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Inputs and outputs, not our code: fixtures compiled by the tests (their text is what is
    // tested), committed transform output, the examples and tool-chain rows (users' projects),
    // benchmark sources, build output.
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'dist-console/**',
      '.tmp/**',
      'examples/**/out/**',
      'editors/vscode/out/**',
      'test/fixtures/**',
      'test/transcripts/fixtures/shop.*',
      'test/transcripts/fixtures/src/**',
      'test/console/fixtures/**',
      'test/bench/src/**',
      'examples/**/*.ts',
      'test/toolchains/*/src/**',
      'test/toolchains/*/test/**',
      // What the tool-chain rows build (git ignores it too).
      'test/toolchains/*/dist*/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,

  // The TypeScript sources: type-aware.
  {
    files: ['runtime/**/*.ts', 'transformer/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // Deliberate: the hot path and the session's set-up load modules on first use with `require()`
      // (capture.ts stays small; a session's front-end loads only when one opens; the lazy loads are
      // what madge's cycle check allows, test/import-cycles.test.mjs), and CommonJS packages with
      // `export =` are imported as `import pc = require('picocolors')`. Each lazy require is typed
      // with `as typeof import(...)`, which the no-unsafe-* rules keep true.
      '@typescript-eslint/no-require-imports': 'off',
      // Deliberate: the runtime calls functions detached from their objects on purpose: builtins
      // uncurried before the program can patch them (capture.ts), getters taken from descriptors and
      // called with Reflect.apply on the program's objects (safe-view.ts, value-tree.ts), a capture's
      // `get` accessors. The rule cannot tell these from a lost `this`.
      '@typescript-eslint/unbound-method': 'off',
      // Deliberate: a debugger handles the program's functions, whatever they are; `typeof v ===
      // 'function'` narrows an unknown value to `Function`, and that is the honest type.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Unused names are tsc's to report (noUnusedLocals, noUnusedParameters); `_x` is its way of
      // saying "unused on purpose", and here too.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The Babel adapter reads Babel's AST structurally, as `any` (scopes.ts's BNode, emitter.ts's
    // BabelTypes): it works with Babel 7 and 8 and needs neither's types to build. Every member
    // access would be "unsafe"; the cross-adapter tests are what keep it right.
    files: ['transformer/babel/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // The VS Code extension (editors/vscode/src): its own project, typed by its own install (@types/vscode,
  // .ci/run's npm ci in it), so the rules that need no types: tsc -p editors/vscode type-checks it
  // (test/editors/vscode.test.mjs), and this lint passes whether or not the extension is installed.
  {
    files: ['editors/vscode/src/**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },

  // Tests, helpers, scripts, benchmarks' harness: Node, ES modules (.mjs) or CommonJS (.cjs).
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest', globals: globals.node },
  },
  {
    files: ['test/**/*.mjs'],
    rules: {
      // Deliberate: the tests match what terminals and sockets carry: ESC sequences, NUL-framed messages.
      'no-control-regex': 'off',
    },
  },
  {
    // The web tests hand functions to the page (page.evaluate, waitForFunction): they run in the browser.
    files: ['test/web/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.cjs', '**/*.config.js'],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest', globals: globals.node },
  },

  // The web page: plain ES modules in the browser.
  {
    files: ['runtime/front-ends/web/assets/*.js'],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest', globals: globals.browser },
  },
);
