/**
 * Runs a real VS Code (code-server, pinned, see install-code-server.sh) with Lectern installed, on
 * loopback only, in a throw-away profile. Shared by the end-to-end tests (test/e2e/lib) and by
 * `npm start` (test/harness/start.ts).
 *
 * Every launch gets its own run folder (user data, extensions, logs, a fresh copy of the workspace)
 * unless `folder` names a folder to open in place. The server runs in its own process group, and
 * `stop()` kills the whole group; launched servers are also killed when this process exits or is
 * interrupted, so a failing or aborted test never leaves code-server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = findRepoRoot(__dirname);
export const installScript = path.join(repoRoot, 'test', 'harness', 'install-code-server.sh');
export const defaultVsix = path.join(repoRoot, 'build', 'lectern.vsix');

/** The code-server version pinned in install-code-server.sh (the single place it is written). */
export const codeServerVersion: string = (() => {
  const match = /^CODE_SERVER_VERSION="([^"]+)"$/m.exec(fs.readFileSync(installScript, 'utf8'));
  if (!match) throw new Error(`No CODE_SERVER_VERSION line in ${installScript}`);
  return match[1];
})();

/**
 * Settings for a quiet, deterministic workbench: no telemetry, no welcome page or walkthroughs, no
 * workspace-trust prompt (unless `workspaceTrust`), no AI side panel, no update or recommendation pop-ups, and Markdown files
 * open in the text editor (never straight into the built-in preview). Per-run settings override these.
 */
export const baseSettings: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editorAssociations': { '*.md': 'default' },
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'markdown.preview.scrollEditorWithPreview': false,
  'editor.minimap.enabled': false,
};

/** With `workspaceTrust`: trust on, no startup prompt, so a fresh folder stays in Restricted Mode. */
const restrictedModeSettings: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};

export interface LaunchOptions {
  /**
   * Open this folder in place (edits persist; `npm start`). Without it, the workspace is a fresh
   * temporary copy of the repo's notes/ folder plus `files`.
   */
  folder?: string;
  /** Extra workspace files for the fresh copy: relative path → content. */
  files?: Readonly<Record<string, string>>;
  /** User settings for this run, merged over `baseSettings`. */
  settings?: Readonly<Record<string, unknown>>;
  /** VSIX files to install into the run's own extensions dir. Default: build/lectern.vsix. */
  vsix?: readonly string[];
  /** Extra environment for code-server (its extension host inherits it). */
  env?: Readonly<Record<string, string>>;
  /** Port on 127.0.0.1; default 0 = a free port chosen by the OS. */
  port?: number;
  /** Where to create the run folder (default: the OS temp dir). */
  runRoot?: string;
  /** Whether Chromium must be installed too (default true; `npm start` needs no browser). */
  browser?: boolean;
  /** Progress messages (default: stderr). */
  log?: (message: string) => void;
  /**
   * Keep workspace trust on (default false: `--disable-workspace-trust`, every folder trusted). The
   * folder then opens in Restricted Mode without the startup prompt, as a folder downloaded from a
   * course site does after the user answers "No, I don't trust the authors".
   */
  workspaceTrust?: boolean;
  /** Runs after the VSIXs are installed and before code-server starts (the start-up bench's probe). */
  afterInstall?: (extensionsDir: string) => Promise<void> | void;
}

export interface CodeServer {
  /** Loopback URL of the workbench with the workspace folder open. */
  readonly url: string;
  readonly port: number;
  readonly runDir: string;
  readonly workspaceDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Root of VS Code's logs: `<logsDir>/<session>/exthost1/remoteexthost.log`, output channels, ... */
  readonly logsDir: string;
  /** Settles when the code-server process exits (for whatever reason). */
  readonly exited: Promise<void>;
  /** Everything code-server printed so far. */
  serverOutput(): string;
  /** Log files under logsDir whose path (relative to logsDir) matches `pattern`. */
  findLogFiles(pattern: RegExp): Promise<string[]>;
  /** Kills code-server and its children; removes the run folder unless keepRunDir. Idempotent. */
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHooksInstalled = false;

/** Installs (once, cached) Node 24 + code-server and returns the install folder. */
export async function ensureCodeServer(options: { browser?: boolean } = {}): Promise<string> {
  const args = [installScript, '--print-path'];
  if (options.browser === false) args.push('--no-browser');
  const { code, stdout } = await run('bash', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !dir || !fs.existsSync(path.join(dir, 'bin', 'code-server'))) {
    throw new Error(`install-code-server.sh failed (exit ${code}); see its messages above`);
  }
  return dir;
}

/** Starts code-server with Lectern (or the given VSIXs) in a fresh profile and waits until it answers. */
export async function launchCodeServer(options: LaunchOptions = {}): Promise<CodeServer> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[vscode-web] ${m}\n`));
  const vsixes = options.vsix ?? [defaultVsix];
  for (const vsix of vsixes) {
    if (!fs.existsSync(vsix)) {
      throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
    }
  }
  const installDir = await ensureCodeServer({ browser: options.browser ?? true });
  const codeServerBin = path.join(installDir, 'bin', 'code-server');

  const runRoot = options.runRoot ?? os.tmpdir();
  await fsp.mkdir(runRoot, { recursive: true });
  const runDir = await fsp.mkdtemp(path.join(runRoot, 'lectern-vscode-'));
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const configFile = path.join(runDir, 'code-server.yaml');
  let workspaceDir: string;
  if (options.folder) {
    workspaceDir = path.resolve(options.folder);
  } else {
    workspaceDir = path.join(runDir, 'workspace');
    await fsp.cp(path.join(repoRoot, 'notes'), workspaceDir, { recursive: true });
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      const target = path.resolve(workspaceDir, rel);
      if (!target.startsWith(workspaceDir + path.sep)) throw new Error(`files: '${rel}' leaves the workspace`);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.writeFile(target, content);
    }
  }
  await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...baseSettings, ...(options.workspaceTrust ? restrictedModeSettings : {}), ...options.settings }, null, 2),
  );
  // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
  await fsp.writeFile(configFile, 'auth: none\ncert: false\n');

  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const installArgs = [...common, ...vsixes.flatMap((v) => ['--install-extension', v])];
  const install = await run(codeServerBin, installArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  const installed = (install.stdout.match(/was successfully installed/g) ?? []).length;
  if (install.code !== 0 || installed !== vsixes.length) {
    await fsp.rm(runDir, { recursive: true, force: true });
    throw new Error(`Installing ${vsixes.join(', ')} failed:\n${install.stdout}${install.stderr}`);
  }
  await options.afterInstall?.(extensionsDir);

  const serverArgs = [
    ...common,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    workspaceDir,
  ];
  const child = spawn(codeServerBin, serverArgs, {
    cwd: runDir,
    detached: true, // own process group: stop() kills code-server and every extension host under it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  trackChild(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  let stopped = false;
  const stop = async (stopOptions: { keepRunDir?: boolean } = {}): Promise<void> => {
    if (!stopped) {
      stopped = true;
      await killGroup(child);
      live.delete(child);
    }
    if (!stopOptions.keepRunDir) await fsp.rm(runDir, { recursive: true, force: true });
  };

  try {
    const port = await waitForListening(child, () => output, 60_000);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealthz(`${base}/healthz`, 30_000);
    const url = `${base}/?folder=${encodeURIComponent(workspaceDir)}`;
    log(`code-server ${codeServerVersion} on ${base} (run dir ${runDir})`);
    return {
      url,
      port,
      runDir,
      workspaceDir,
      userDataDir,
      extensionsDir,
      logsDir: path.join(userDataDir, 'logs'),
      exited,
      serverOutput: () => output,
      findLogFiles: (pattern) => findFiles(path.join(userDataDir, 'logs'), pattern),
      stop,
    };
  } catch (error) {
    await stop({ keepRunDir: true });
    throw new Error(`code-server did not start: ${(error as Error).message}\nrun dir: ${runDir}\n--- output ---\n${output}`);
  }
}

function waitForListening(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no "HTTP server listening" line after ${timeoutMs} ms`)), timeoutMs);
    const check = (): void => {
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (match) finish(undefined, Number(match[1]));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`code-server exited early (code ${code}, signal ${signal})`));
    function finish(error?: Error, port?: number): void {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port as number);
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

async function waitForHealthz(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const status = await new Promise<number>((resolve) => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', (error) => {
        lastError = error.message;
        resolve(0);
      });
      request.setTimeout(5_000, () => request.destroy(new Error('timeout')));
    });
    if (status === 200) return;
    lastError ||= `HTTP ${status}`;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${lastError})`);
}

/** SIGTERM to the process group, SIGKILL if it has not exited after 5 s. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, 'SIGKILL'); // children of an exited leader may still be alive
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
  signalGroup(child, 'SIGKILL');
  if (timedOut) await exited;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => {
    // The leader exiting does not end its children; kill the rest of the group too.
    signalGroup(child, 'SIGKILL');
    live.delete(child);
  });
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', () => {
    for (const c of live) signalGroup(c, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const c of live) signalGroup(c, 'SIGKILL');
      // Re-raise unless the program handles the signal itself (npm start stops cleanly).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

async function findFiles(root: string, pattern: RegExp): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fsp.readdir(root, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((rel) => pattern.test(rel))
    .map((rel) => path.join(root, rel))
    .sort();
}

function run(
  command: string,
  args: readonly string[],
  options: { stdio: ['ignore', 'pipe', 'pipe' | 'inherit'] },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: options.stdio });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'lectern') return dir;
    if (path.dirname(dir) === dir) throw new Error(`No Lectern package.json above ${start}`);
  }
}
