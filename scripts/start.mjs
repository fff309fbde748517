// `npm start`: build and package RNN Lens, then open examples/ in VS Code with it.
//   - desktop VS Code (`code` on PATH): an Extension Development Host on this repo;
//   - otherwise code-server (VS Code in the browser, installed by test/e2e/setup.mjs into
//     .cache/code-server/ on first run) on 127.0.0.1, printing the URL to open.
// Stays in the foreground until Ctrl-C (or until the VS Code window closes) and cleans up.
//
//   npm start                     as above
//   npm start -- --code-server    use code-server even when `code` is on PATH
//   npm start -- --port 8080      fixed port for code-server (default: a free one; env RNN_LENS_PORT)
//   npm start -- --skip-build     reuse dist/rnn-lens.vsix as it is
//   npm start -- --vsix FILE      install FILE instead (implies --skip-build)
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, setup } from '../test/e2e/setup.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const startDir = join(root, '.cache', 'start');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const vsix = resolve(option('--vsix') ?? join(root, 'dist', 'rnn-lens.vsix'));
const t0 = Date.now();
const log = (msg) => console.log(`[start ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

function runOrExit(title, cmd, cmdArgs) {
  log(`${title}: ${[cmd, ...cmdArgs].join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal}); fix the errors above and run npm start again.`);
    process.exit(1);
  }
}

function hasDesktopCode() {
  if (flag('--code-server') || process.env.RNN_LENS_START === 'code-server') return false;
  const r = spawnSync('code', ['--version'], { encoding: 'utf8' });
  // code-server also installs a `code-server` binary, never `code`; a `code` that prints a
  // version is the desktop editor (or its remote CLI, which opens a window the same way).
  return r.status === 0 && /^\d+\.\d+/.test(r.stdout.trim());
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitForHealth(port, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('code-server did not answer within 60 s');
}

/** Settings for the browser instance, written once so that later changes by the user stay. */
function seedSettings(dataDir) {
  const file = join(dataDir, 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    // VS Code 1.139 opens the Chat side bar and offers the repo's git root otherwise: noise here.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'git.openRepositoryInParentFolders': 'never',
  }, null, 2));
}

async function startDesktop() {
  log('opening examples/ in desktop VS Code (Extension Development Host) ...');
  const child = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${root}`, examples], { stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function startCodeServer() {
  const p = await setup();
  const extensionsDir = join(startDir, 'extensions');
  const dataDir = join(startDir, 'data');
  mkdirSync(extensionsDir, { recursive: true });
  seedSettings(dataDir);
  const env = {
    ...process.env,
    PATH: `${join(p.nodeDir, 'bin')}:${process.env.PATH}`,
    // code-server keeps config.yaml and logs under XDG dirs: keep them in the cache, not $HOME.
    XDG_CONFIG_HOME: join(startDir, 'xdg-config'),
    XDG_DATA_HOME: join(startDir, 'xdg-data'),
  };
  const common = ['--user-data-dir', dataDir, '--extensions-dir', extensionsDir];

  // A previous version of the extension would shadow the new .vsix: remove it first.
  for (const d of readdirSync(extensionsDir)) {
    if (d.startsWith('rnn-lens.rnn-lens-')) rmSync(join(extensionsDir, d), { recursive: true, force: true });
  }
  log(`installing ${vsix} into .cache/start/extensions ...`);
  const inst = spawnSync(p.nodeBin, [p.codeServerBin, ...common, '--force', '--install-extension', vsix], { env, encoding: 'utf8' });
  if (inst.status !== 0) {
    console.error(inst.stdout, inst.stderr);
    process.exit(1);
  }

  const port = Number(option('--port') ?? process.env.RNN_LENS_PORT ?? 0) || await freePort();
  log(`starting code-server on 127.0.0.1:${port} ...`);
  const child = spawn(p.nodeBin, [
    p.codeServerBin, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    ...common, examples,
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // code-server's own log is noisy; keep it for when something goes wrong.
  const logFile = join(startDir, 'code-server.log');
  writeFileSync(logFile, '');
  child.stdout.on('data', (b) => appendFileSync(logFile, b));
  child.stderr.on('data', (b) => appendFileSync(logFile, b));

  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server ...');
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      process.exit(code);
    }, 1500).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('exit', () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  });
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`code-server exited (${code}); see ${logFile}`);
      process.exit(1);
    }
  });

  try {
    await waitForHealth(port, child);
  } catch (err) {
    console.error(`${err.message}; see ${logFile}`);
    stop(1);
    return;
  }
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)}`;
  log('ready');
  console.log(`\n  RNN Lens in VS Code (code-server ${CODE_SERVER_VERSION}): open\n\n    ${url}\n`);
  console.log('  It listens on 127.0.0.1 only; from another machine, forward the port first,');
  console.log(`  e.g. ssh -L ${port}:127.0.0.1:${port} <this-host>. Press Ctrl-C to stop.\n`);
}

if (!option('--vsix') && (!flag('--skip-build') || !existsSync(vsix))) runOrExit('build + package', 'npm', ['run', 'package']);
if (hasDesktopCode()) await startDesktop();
else await startCodeServer();
