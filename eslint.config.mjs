// One flat config for every runtime; type-aware rules are left to `tsc --noEmit`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { roomsPlugin } from './scripts/eslint-rooms.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const VSCODE = { name: 'vscode', message: 'Only the extension host (src/) imports vscode.' };

/** Node's file system and paths, which the web extension host does not have. */
const NODE_FS_PATH = [
  { name: 'fs', message: 'Use vscode.workspace.fs (web extension host).' },
  { name: 'node:fs', message: 'Use vscode.workspace.fs (web extension host).' },
  { name: 'path', message: 'Use vscode.Uri.joinPath (web extension host).' },
  { name: 'node:path', message: 'Use vscode.Uri.joinPath (web extension host).' },
  { name: 'fs/promises', message: 'Use vscode.workspace.fs.' },
  { name: 'node:fs/promises', message: 'Use vscode.workspace.fs.' },
];

/** The pure modules: no vscode, no DOM, no Node fs/path (test/unit/lint/lint-purity.test.ts checks that this fires). */
export const PURE = [
  'src/deck/**/*.ts', 'src/quiz/scheduler.ts', 'src/quiz/reviewStore.ts', 'src/quiz/stats.ts', 'src/quiz/decks.ts',
  'src/lab/modelArgs/**/*.ts', 'src/lab/trainModel.ts', 'src/lab/cardSettings.ts', 'src/lab/checkpointPaths.ts',
  'engine/floats.ts', 'src/lab/inspectPayload.ts', 'src/lab/labState.ts', 'src/hover/content.ts', 'src/hover/equation.ts',
  'protocol/**/*.ts', 'src/constants.ts', 'src/config.ts', 'src/webviewCsp.ts',
  'engine/**/*.ts', 'webview/lab/demos/*/math.ts',
];

const DOM_GLOBALS = ['document', 'window', 'navigator', 'localStorage', 'HTMLElement', 'HTMLCanvasElement'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'artifacts/**', 'examples/**', 'test/fixtures/corpus-public/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', URL: 'readonly',
        Buffer: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', globalThis: 'readonly',
        queueMicrotask: 'readonly', structuredClone: 'readonly', fetch: 'readonly', AbortController: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Each room imports only the rooms it may (scripts/eslint-rooms.mjs has the table).
    files: ['{engine,protocol,src,webview,cli,build}/**/*.ts'],
    plugins: { 'rnn-lens': roomsPlugin(root) },
    rules: { 'rnn-lens/rooms': 'error' },
  },
  {
    // Host code runs in the web extension host too: no Node fs/path there.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...NODE_FS_PATH] }] },
  },
  {
    // Webviews run in a browser sandbox; the command line and the build run in Node, outside VS Code.
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE, ...NODE_FS_PATH] }] },
  },
  {
    files: ['cli/**/*.ts', 'build/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [VSCODE] }] },
  },
  {
    // Pure logic stays free of the editor and the DOM (docs/ARCHITECTURE.md), so unit tests run it
    // in Node. In flat config the last block that sets a rule wins for a file, so this block
    // repeats the host's list: each group of files gets one complete list.
    files: PURE,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Pure modules must not import vscode.' }, ...NODE_FS_PATH] }],
      'no-restricted-globals': ['error', ...DOM_GLOBALS.map((name) => ({ name, message: 'Pure modules must not use the DOM.' }))],
    },
  },
);
