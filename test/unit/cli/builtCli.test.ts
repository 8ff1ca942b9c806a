import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The built `lectern` (dist/cli.js, what `bin` points at), not the compiled sources cli.test.ts
 * runs: webpack resolves `katex` differently there (src/cli/lazyKatex.ts stands in for it), and a
 * wrong module shape once made every formula fail in the built CLI while every in-process test
 * passed. `npm test` packages before the unit tests, so the bundle is there; without it (a bare
 * `npm run test:unit`) the test skips, except under CI, where a missing bundle is a failure.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const cli = path.join(repoRoot, 'dist', 'cli.js');

function builtCli(t: TestContext): boolean {
  if (fs.existsSync(cli)) return true;
  if (process.env.CI) assert.fail('dist/cli.js is missing: `npm test` builds it before the unit tests');
  t.skip('no dist/cli.js (run `npm run build`)');
  return false;
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-built-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const good = path.join(dir, 'good.md');
fs.writeFileSync(
  good,
  '# Batch norm\n\nThe mean $\\mu_B = \\frac{1}{m}\\sum_i x_i$ and\n\n$$\\hat{x}_i = \\frac{x_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}$$\n\nTODO: why epsilon?\n',
);
const bad = path.join(dir, 'bad.md');
fs.writeFileSync(bad, '# Broken\n\nA fraction $\\frac{a}$ with one argument.\n');

test('built CLI: check passes good math and reports broken math at its position', (t) => {
  if (!builtCli(t)) return;
  const ok = run(['check', good]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(ok.stderr, '');
  const broken = run(['check', bad]);
  assert.equal(broken.code, 1, broken.stdout + broken.stderr);
  assert.match(broken.stdout, /bad\.md:3:\d+: .*expected '\}'/);
});

test('built CLI: export renders the formulas with KaTeX', (t) => {
  if (!builtCli(t)) return;
  const out = path.join(dir, 'good.html');
  const r = run(['export', good, '-o', out]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\(2 formulas\)/);
  const html = fs.readFileSync(out, 'utf8');
  // KaTeX's markup: a display formula is a `katex` span inside a `katex-display` one.
  assert.equal((html.match(/class="katex"/g) ?? []).length, 2, 'two formulas rendered');
  assert.equal((html.match(/class="katex-display"/g) ?? []).length, 1, 'one of them displayed');
  assert.match(html, /<annotation encoding="application\/x-tex">\\hat\{x\}_i/);
  assert.doesNotMatch(html, /katex-error/);
});

test('built CLI: todos lists the TODO without loading KaTeX output', (t) => {
  if (!builtCli(t)) return;
  const r = run(['todos', good]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /why epsilon\?/);
});
