import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every command goes through the one wrapper in src/extension/commands.ts (a failure becomes an
 * error message and a log line): no other file may call `registerCommand` itself.
 */
const root = path.resolve(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.ts$/.test(e.name) ? [full] : [];
  });
}

test('only the command wrapper registers commands', () => {
  const files = sources(path.join(root, 'src'));
  assert.ok(files.length > 50, `found ${files.length} source files under ${root}/src`);
  const offenders = files
    .filter((f) => !f.endsWith(path.join('src', 'extension', 'commands.ts')))
    .filter((f) => /\bregister(TextEditor)?Command\s*\(/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(root, f));
  assert.deepEqual(offenders, []);
});
