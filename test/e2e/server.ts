// code-server's lifecycle for one e2e session: a temp dir with a fresh user-data folder,
// extensions folder and copy of the workspace; the .vsix installed with code-server's own CLI;
// the server on a free loopback port, in its own process group; stopped and cleaned up on close.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { EXTENSION_ID, ROOT, SLOW, timed, waitFor } from './common';
import { makeTemp, removeTemp, spawnGroup, stopGroup } from './processes';
import { ensureVsix } from './vsix';

const CACHE = resolve(process.env.RNN_LENS_CACHE || join(ROOT, '.cache', 'code-server'));
const NODE24 = join(CACHE, 'node', 'bin', 'node');
const CODE_SERVER = join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Settings every session starts with: quiet, deterministic, nothing that phones home. */
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  // The lab runs on the backend a test names, never on the winner of a timing race.
  'rnnLens.lab.backend': 'wasm',
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
};

export interface ServerOptions {
  /** Names the session in logs and temp dirs. */
  name: string;
  /** Folder copied as the workspace; default examples/. */
  workspace?: string;
  /** User settings on top of BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Workspace trust on and the folder not trusted (Restricted Mode, without the startup prompt). */
  restricted?: boolean;
}

export interface CodeServer {
  /** The workbench URL with the workspace folder open. */
  readonly url: string;
  /** The temp copy of the workspace (absolute path). */
  readonly workspaceDir: string;
  /** code-server's stdout and stderr. */
  readonly logFile: string;
  /** The text of the Node (remote) extension host's logs, exthost*\/remoteexthost.log, joined. */
  remoteExtensionHostLog(): string;
  /** Kills the server's process group and removes the temp dir (kept with RNN_LENS_E2E_KEEP=1). */
  stop(): Promise<void>;
}

function ensureCodeServer(): void {
  if (existsSync(NODE24) && existsSync(CODE_SERVER)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'e2e', 'setup.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('test/e2e/setup.mjs failed: code-server is not installed');
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** Every file under `dir` whose name is `name`. */
function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => p.split('/').pop() === name).map((p) => join(dir, p));
}

/** Packages the .vsix (once), installs it into a fresh code-server and starts it; resolves once /healthz answers. */
export async function startCodeServer(opts: ServerOptions): Promise<CodeServer> {
  const { name } = opts;
  ensureCodeServer();
  const vsix = await timed('package .vsix', name, async () => ensureVsix());

  const tmp = makeTemp(`rnn-lens-e2e-${name}-`);
  const userDataDir = join(tmp, 'data');
  const extensionsDir = join(tmp, 'extensions');
  const workspaceDir = join(tmp, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  cpSync(opts.workspace ?? join(ROOT, 'examples'), workspaceDir, { recursive: true });
  const trust = opts.restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...trust, ...opts.settings }, null, 2));
  const logFile = join(tmp, 'code-server.log');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(CACHE, 'node', 'bin')}:${process.env.PATH ?? ''}`,
    // code-server keeps config.yaml and state under XDG dirs: keep them out of $HOME.
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    XDG_STATE_HOME: join(tmp, 'xdg-state'),
    VSCODE_PROXY_URI: '',
  };
  // The test runner's own variables must not leak into VS Code's node processes.
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  let child: ChildProcess | undefined;
  try {
    await timed('install .vsix', name, async () => {
      const r = spawnSync(NODE24, [CODE_SERVER, ...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: SLOW });
      const installed = readdirSync(extensionsDir).some((d) => d.startsWith(`${EXTENSION_ID}-`));
      if (r.status !== 0 || !installed) {
        throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      }
    });

    const port = await freePort();
    const server = spawnGroup(NODE24, [
      CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', ...(opts.restricted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
      ...common, workspaceDir,
    ], env, logFile);
    child = server;
    await timed('code-server up', name, () => waitFor(`code-server on port ${port} (log: ${logFile})`, async () => {
      if (server.exitCode !== null) {
        throw new Error(`code-server exited with ${server.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
      }
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      return res?.ok ? true : undefined;
    }, SLOW, 200));

    let stopped = false;
    return {
      url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspaceDir)}`,
      workspaceDir,
      logFile,
      remoteExtensionHostLog: () => findFiles(join(userDataDir, 'logs'), 'remoteexthost.log').map((f) => readFileSync(f, 'utf8')).join('\n'),
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopGroup(server);
        removeTemp(tmp);
      },
    };
  } catch (err) {
    if (child) await stopGroup(child);
    console.error(`[e2e ${name}] start failed; code-server log:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '(none)'}`);
    removeTemp(tmp);
    throw err;
  }
}
