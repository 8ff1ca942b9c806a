import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

/**
 * The web extension (issue #17) runs in the browser's web-worker extension host: no `fs`, `path`,
 * `worker_threads`, Node `crypto`, `Buffer`, `process` or `setImmediate`. Like layering.test.ts,
 * this reads the TypeScript sources: it follows every relative import from the web entry points
 * (src/extension/web/*.web.ts) and fails on any Node built-in module or Node-only global in a file
 * they reach, naming the chain that pulled it in. When a build exists, the bundles themselves are
 * checked too (webpack.config.js also fails the web build on a Node built-in).
 */
const root = path.resolve(__dirname, '..', '..', '..');
const webDir = path.join(root, 'src', 'extension', 'web');
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return specs;
}

function resolveTs(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Node-only globals, in code (comments stripped); `typeof x` probes are allowed. */
const nodeGlobals: readonly [RegExp, string][] = [
  [/\bBuffer\s*[.(]/, 'Buffer'],
  [/\bprocess\s*\./, 'process'],
  [/\bsetImmediate\b/, 'setImmediate (use model/nextTurn.ts)'],
  [/\b__dirname\b|\b__filename\b/, '__dirname/__filename'],
];

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const entries = fs.readdirSync(webDir).filter((f) => f.endsWith('.web.ts')).map((f) => path.join(webDir, f));

test('the web entry points exist', () => {
  assert.deepEqual(entries.map((f) => path.basename(f)).sort(), ['extension.web.ts', 'parseWorker.web.ts']);
});

test('nothing the web entry points reach imports a Node built-in or uses a Node-only global', () => {
  const via = new Map<string, string | undefined>(entries.map((e) => [e, undefined]));
  const queue = [...entries];
  const violations: string[] = [];
  const chain = (file: string): string => {
    const names: string[] = [];
    for (let f: string | undefined = file; f; f = via.get(f)) names.unshift(path.relative(root, f));
    return names.join(' → ');
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = fs.readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) {
      if (nodeBuiltins.has(spec)) violations.push(`${chain(file)} imports '${spec}'`);
      if (!spec.startsWith('.')) continue;
      const target = resolveTs(file, spec);
      if (target && target.endsWith('.ts') && !via.has(target)) {
        via.set(target, file);
        queue.push(target);
      }
    }
    const code = stripComments(text);
    for (const [pattern, name] of nodeGlobals) {
      // A probe (`typeof setImmediate === 'function' ? …`) guards the use: allowed.
      const probed = new RegExp(`typeof\\s+${name.split(' ')[0]}\\b`).test(code);
      if (pattern.test(code) && !probed) violations.push(`${chain(file)} uses ${name}`);
    }
  }
  assert.ok(via.size > 30, `the walk reached only ${via.size} files`);
  assert.ok([...via.keys()].some((f) => f.endsWith(path.join('extension', 'extension.shared.ts'))), 'the shared composition root is reached');
  assert.deepEqual(violations, []);
});

test('the desktop-only modules stay out of the web graph (a deliberate check of the walk itself)', () => {
  // If these were reached, the test above would have failed on their imports; make sure they exist.
  for (const file of ['src/extension/extension.ts', 'src/extension/model/nodeWorkerHost.ts', 'src/extension/todos/parseWorker.ts']) {
    assert.ok(importsOf(fs.readFileSync(path.join(root, file), 'utf8')).some((s) => nodeBuiltins.has(s)), `${file} no longer uses Node: move it to the shared code?`);
  }
});

test('the built web bundles require nothing but vscode, and fit the size budget', (t) => {
  const dist = path.join(root, 'dist', 'web');
  if (!fs.existsSync(path.join(dist, 'extension.js'))) {
    t.skip('no dist/web (run `npm run build`)');
    return;
  }
  const files = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
  const violations: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dist, file), 'utf8');
    for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) if (m[1] !== 'vscode' || file === 'parseWorker.js') violations.push(`${file} requires '${m[1]}'`);
    if (/\bimportScripts\s*\(/.test(text)) violations.push(`${file} calls importScripts (blocked in the web extension host)`);
  }
  assert.deepEqual(violations, []);
  // What the host loads at activation (issue #15's budget for the Node bundle, now for both).
  assert.ok(fs.statSync(path.join(dist, 'extension.js')).size <= 300 * 1024, 'dist/web/extension.js ≤ 300 KB');
});
