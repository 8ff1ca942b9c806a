import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The dependency direction of STYLE.md, enforced: core ← shared ← extension / webview / cli.
 * Reads the TypeScript sources (not the compiled output) so it sees every import as written.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const src = path.join(root, 'src');

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return specs;
}

function layerOf(file: string): string | undefined {
  const rel = path.relative(src, file).split(path.sep);
  return rel.length > 1 ? rel[0] : undefined;
}

function targetLayer(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return layerOf(path.resolve(path.dirname(file), spec));
}

const allowed: Record<string, readonly string[]> = {
  core: ['core'],
  shared: ['core', 'shared'],
  extension: ['core', 'shared', 'extension'],
  webview: ['core', 'shared', 'webview'],
  cli: ['core', 'shared', 'cli'],
};

test('every source file sits in a known layer', () => {
  for (const file of tsFiles(src)) {
    const layer = layerOf(file);
    assert.ok(layer && layer in allowed, `${path.relative(root, file)} is outside src/{${Object.keys(allowed).join(',')}}`);
  }
});

test('imports follow core ← shared ← extension / webview / cli', () => {
  const violations: string[] = [];
  for (const file of tsFiles(src)) {
    const layer = layerOf(file)!;
    for (const spec of importsOf(file)) {
      const target = targetLayer(file, spec);
      if (target && !allowed[layer].includes(target)) violations.push(`${path.relative(root, file)} imports ${spec} (${layer} → ${target})`);
      if (spec === 'vscode' && layer !== 'extension') violations.push(`${path.relative(root, file)} imports vscode`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the document model (src/extension/model) runs in plain Node: no vscode, nothing of the extension around it', () => {
  // The model is what the unit tests and benchmarks drive against the in-memory workspace; the
  // VS Code side adapts to it (extension/vscodeNotes.ts), never the other way round.
  const modelDir = path.join(src, 'extension', 'model');
  const files = tsFiles(modelDir);
  assert.ok(files.length > 0, 'src/extension/model is missing');
  const violations: string[] = [];
  for (const file of files) {
    for (const spec of importsOf(file)) {
      const rel = path.relative(root, file);
      if (spec === 'vscode') violations.push(`${rel} imports vscode`);
      else if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        const inModel = !path.relative(modelDir, target).startsWith('..');
        if (targetLayer(file, spec) === 'extension' && !inModel) violations.push(`${rel} imports ${spec} (outside the model)`);
      } else if (!spec.startsWith('node:')) violations.push(`${rel} imports the package ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('src/core and src/shared are type-checked without the DOM', () => {
  // The compiler is the guard: the root tsconfig (which covers core and shared) has no DOM lib, so
  // `document`, `window`, `HTMLElement`… do not even type-check there. Only src/webview adds DOM.
  const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { lib?: string[] };
    include: string[];
  };
  const libs = (config.compilerOptions.lib ?? []).map((l) => l.toLowerCase());
  assert.ok(libs.length > 0, 'the root tsconfig must name its libs explicitly');
  assert.ok(!libs.some((l) => l.startsWith('dom')), `root tsconfig lib includes the DOM: ${libs.join(', ')}`);
  for (const layer of ['src/core', 'src/shared']) assert.ok(config.include.includes(layer), `${layer} is not type-checked by the root tsconfig`);
});

test('src/core and src/shared import no Node built-ins', () => {
  const violations: string[] = [];
  for (const layer of ['core', 'shared']) {
    for (const file of tsFiles(path.join(src, layer))) {
      for (const spec of importsOf(file)) {
        if (/^(node:|fs$|path$|os$|child_process$|crypto$|worker_threads$|http$|https$|net$)/.test(spec)) violations.push(`${path.relative(root, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
