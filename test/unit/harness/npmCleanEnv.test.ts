import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The nested-npm regression of issue #10, without a cold code-server install: `npm start` /
 * `npm test` run install-code-server.sh under the outer npm's environment, and an inner
 * `npm install` reads every inherited `npm_config_*` as its own configuration. Inherited
 * `npm_config_user_agent=… node/v20…` made code-server's postinstall refuse to run on Node 24.
 *
 * The hostile environment is the real one: whatever this machine's npm exports to a script
 * (captured from an `npm run` in a scratch project), plus settings a user may pass to `npm test`.
 * The installer prints the environment its inner installs start from (`--print-env`), and a real
 * `npm install` started from it runs a dependency's postinstall that records what it sees.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const installer = path.join(repoRoot, 'test', 'harness', 'install-code-server.sh');
const OUTER_AGENT = 'npm/0.0.0 node/v0.0.0-outer linux x64 workspaces/false';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-npm-env-'));
  tempDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/** The environment an `npm run` script gets on this machine, started with extra CLI settings. */
function outerNpmScriptEnv(): NodeJS.ProcessEnv {
  const project = tempDir();
  writeJson(path.join(project, 'package.json'), {
    name: 'outer-project',
    version: '1.0.0',
    scripts: { dump: `node -e "process.stdout.write(JSON.stringify(process.env))"` },
  });
  const result = spawnSync('npm', ['run', '--silent', 'dump', '--ignore-scripts=true', '--omit=dev', '--global-style=true'], {
    cwd: project,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  const env = JSON.parse(result.stdout) as NodeJS.ProcessEnv;
  // Sanity: this really is an npm script's environment.
  assert.equal(env.npm_lifecycle_event, 'dump');
  assert.match(env.PATH ?? '', /node_modules\/\.bin/);
  return {
    ...env,
    npm_config_user_agent: OUTER_AGENT, // what broke code-server's postinstall
    npm_config_prefix: path.join(project, 'elsewhere'),
    npm_config_global: 'true',
    NPM_CONFIG_NODEDIR: '/nonexistent-node-headers', // npm reads these case-insensitively
    npm_config_registry: 'http://127.0.0.1:9/', // how to reach the registry: must survive
  };
}

function installerEnv(hostile: NodeJS.ProcessEnv): Record<string, string> {
  const result = spawnSync('bash', [installer, '--print-env'], { env: hostile, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const env: Record<string, string> = {};
  for (const entry of result.stdout.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

test('install-code-server.sh drops what an outer npm run exported and keeps how to reach the registry', () => {
  const hostile = outerNpmScriptEnv();
  const env = installerEnv(hostile);
  const leaked = Object.keys(env).filter((name) =>
    /^(npm_config_(user_agent|prefix|global|ignore_scripts|omit|global_style|nodedir|node_gyp|local_prefix)$|npm_lifecycle_|npm_package_|npm_execpath$|npm_node_execpath$|npm_command$|init_cwd$|node$)/i.test(name),
  );
  assert.deepEqual(leaked, []);
  const pathEntries = (env.PATH ?? '').split(':');
  assert.deepEqual(pathEntries.filter((p) => /node_modules\/\.bin\/?$|node-gyp-bin\/?$/.test(p)), []);
  assert.ok(pathEntries.length > 0 && pathEntries.every((p) => (hostile.PATH ?? '').split(':').includes(p)));
  assert.equal(env.npm_config_registry, 'http://127.0.0.1:9/');
  for (const name of ['HOME', 'npm_config_cache'] as const) {
    if (hostile[name] !== undefined) assert.equal(env[name], hostile[name], name);
  }
});

test('an npm install started from that environment runs install scripts with its own user agent', () => {
  const hostile = outerNpmScriptEnv();
  const env = installerEnv(hostile);
  // A dependency whose postinstall records what code-server's postinstall reads.
  const inner = tempDir();
  const seen = path.join(inner, 'seen.json');
  writeJson(path.join(inner, 'probe', 'package.json'), {
    name: 'probe',
    version: '1.0.0',
    scripts: {
      postinstall: `node -e "require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify({ agent: process.env.npm_config_user_agent, node: process.version }))"`,
    },
  });
  writeJson(path.join(inner, 'package.json'), {
    name: 'inner-project',
    private: true,
    dependencies: { probe: 'file:./probe' },
    allowScripts: { probe: true },
  });
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--install-links'], {
    cwd: inner,
    env: { ...env, PROBE_OUT: seen },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.ok(fs.existsSync(seen), `the postinstall did not run:\n${result.stdout}\n${result.stderr}`);
  const { agent, node } = JSON.parse(fs.readFileSync(seen, 'utf8')) as { agent: string; node: string };
  // code-server compares the Node major in the agent with the Node it needs.
  assert.match(agent, new RegExp(`\\bnode/${node.replace(/\./g, '\\.')}\\b`));
  assert.ok(fs.existsSync(path.join(inner, 'node_modules', 'probe', 'package.json')), 'installed into the inner project');
});
