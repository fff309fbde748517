// `npm test`: every check, in the order a failure is cheapest to find.
//   types -> lint -> build (+ deck lint) -> unit -> browser -> e2e (its code-server setup runs beside the first checks)
// Browser and e2e suites need Debian's chromium (and code-server, which test/e2e/setup.mjs
// installs into .cache/). Without chromium they are skipped with a message, except under
// CI=true, where nothing is skipped. Pass suite names to run only those: `npm test -- unit e2e`.
// RNN_LENS_TEST_FILES=quiz,lab runs only the test files whose path (from the repository root)
// contains one of those words.
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watPlugin } from './wat.mjs';
import { workerTextPlugin } from './workerText.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CI = process.env.CI === 'true' || process.env.CI === '1';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

const results = [];

function run(title, cmd, args, opts = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${title}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: false, ...opts });
  const ok = r.status === 0;
  results.push({ title, ok, seconds: (Date.now() - t0) / 1000 });
  if (!ok) {
    summary();
    console.error(`\n${title} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function skip(title, why) {
  if (CI) {
    console.error(`\n${title} cannot run: ${why}. CI=true runs every suite; install what is missing (see README).`);
    process.exit(1);
  }
  console.log(`\n=== ${title}: SKIPPED (${why})`);
  results.push({ title, ok: true, skipped: true, seconds: 0 });
}

function summary() {
  console.log('\n--- summary');
  for (const r of results) {
    console.log(`${r.skipped ? 'skip' : r.ok ? 'ok  ' : 'FAIL'}  ${r.title.padEnd(28)} ${r.seconds.toFixed(1)} s`);
  }
}

const fileFilter = (process.env.RNN_LENS_TEST_FILES ?? '').split(',').map((w) => w.trim()).filter(Boolean);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts') && (fileFilter.length === 0 || fileFilter.some((w) => relative(root, p).includes(w)))) out.push(p);
  }
  return out.sort();
}

/** Test files are TypeScript; node 20 cannot run them directly, so esbuild bundles each one. */
async function bundleTests(suite) {
  const entries = findTests(join(root, 'test', suite));
  const outdir = join(root, 'out', 'test', suite);
  rmSync(outdir, { recursive: true, force: true });
  if (entries.length === 0) return [];
  await esbuild.build({
    entryPoints: entries, outdir, outbase: join(root, 'test', suite), bundle: true, platform: 'node',
    format: 'cjs', target: 'node20', packages: 'external', sourcemap: 'inline', logLevel: 'warning',
    outExtension: { '.js': '.cjs' }, plugins: [watPlugin, workerTextPlugin()],
  });
  return entries.map((e) => join(outdir, relative(join(root, 'test', suite), e)).replace(/\.ts$/, '.cjs'));
}

const node = process.execPath;
const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * The e2e setup (a first run downloads code-server and builds its native modules) waits on the
 * network and a compiler, not on the checks before it, so it starts first and runs beside them;
 * its output is printed as one block when the e2e suite needs it.
 */
function startInBackground(title, cmd, args) {
  const t0 = Date.now();
  const out = [];
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // A check that fails ends the run; the setup stops with it (it leaves nothing half-installed).
  process.on('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill(); });
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => out.push(d));
  const done = new Promise((resolve) => {
    child.on('error', (err) => { out.push(Buffer.from(`${err.message}\n`)); resolve(1); });
    child.on('close', (code, signal) => resolve(code ?? signal));
  });
  return async () => {
    const status = await done;
    console.log(`\n=== ${title}: ${[cmd, ...args].join(' ')} (started with the first check)`);
    process.stdout.write(Buffer.concat(out));
    const ok = status === 0;
    // Checks run with spawnSync, so its end is seen only between them: the row counts from its
    // start until the e2e suite found it done, not its own run time.
    results.push({ title, ok, seconds: (Date.now() - t0) / 1000 });
    if (!ok) {
      summary();
      console.error(`\n${title} failed (exit ${status}).`);
      process.exit(1);
    }
  };
}

const e2eSetup = want('e2e') && existsSync(CHROMIUM) ? startInBackground('e2e setup (in background)', node, ['test/e2e/setup.mjs']) : undefined;

if (want('types')) {
  for (const p of ['engine', 'protocol', 'src', 'webview', 'cli', 'build', 'test']) run(`types (${p})`, bin('tsc'), ['--noEmit', '-p', `${p}/tsconfig.json`]);
}
if (want('lint')) run('eslint', bin('eslint'), ['--max-warnings=0', '.']);
if (want('build') || want('unit') || want('browser') || want('e2e')) run('build', node, ['esbuild.mjs']);
if (want('decklint')) run('deck lint', node, ['dist/cli.js', 'lint']);

for (const suite of ['unit', 'browser', 'e2e']) {
  if (!want(suite)) continue;
  if (suite !== 'unit' && !existsSync(CHROMIUM)) {
    skip(`${suite} tests`, `${CHROMIUM} not found (apt-get install chromium)`);
    continue;
  }
  if (suite === 'e2e' && e2eSetup) await e2eSetup();
  const files = await bundleTests(suite);
  if (files.length === 0) {
    skip(`${suite} tests`, `no test/${suite}/**/*.test.ts`);
    continue;
  }
  const args = ['--test', '--test-reporter=spec'];
  // Browser and e2e suites each start Chromium (and code-server): one file at a time on 2 cores.
  if (suite !== 'unit') args.push('--test-concurrency=1');
  run(`${suite} tests`, node, [...args, ...files]);
}

summary();
