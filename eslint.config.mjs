// One flat config for every runtime; type-aware rules are left to `tsc --noEmit`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'artifacts/**', 'examples/**', '**/*.d.ts'],
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
    // Pure logic must stay free of the editor and the DOM (docs/ARCHITECTURE.md).
    files: ['src/deck/**/*.ts', 'webview/kernels/**/*.ts', 'src/quiz/scheduler.ts', 'src/quiz/reviewStore*.ts', 'src/lab/modelArgs.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Pure modules must not import vscode.' }] }],
    },
  },
  {
    // Host code runs in the web extension host too: no Node fs/path there.
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'fs', message: 'Use vscode.workspace.fs (web extension host).' },
          { name: 'node:fs', message: 'Use vscode.workspace.fs (web extension host).' },
          { name: 'path', message: 'Use vscode.Uri.joinPath (web extension host).' },
          { name: 'node:path', message: 'Use vscode.Uri.joinPath (web extension host).' },
          { name: 'fs/promises', message: 'Use vscode.workspace.fs.' },
          { name: 'node:fs/promises', message: 'Use vscode.workspace.fs.' },
        ],
      }],
    },
  },
);
