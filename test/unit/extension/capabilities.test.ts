import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The workspace-trust and virtual-workspace declarations of package.json. VS Code disables an
 * extension without `capabilities.untrustedWorkspaces` in Restricted Mode, and silently ignores a
 * `restrictedConfigurations` entry that names no setting, so a typo there would quietly let an
 * untrusted folder set what README.md says it cannot. The behaviour itself is covered end to end by
 * test/e2e/restrictedMode.test.ts.
 */
const root = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  capabilities?: {
    untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown };
    virtualWorkspaces?: { supported?: unknown; description?: unknown } | boolean;
  };
  main?: string;
  browser?: string;
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
};
const settings = manifest.contributes.configuration.properties;

test('untrusted workspaces: limited support, restricted settings that exist and a folder can set', () => {
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.equal(typeof untrusted?.description, 'string');
  const restricted = untrusted?.restrictedConfigurations;
  assert.ok(Array.isArray(restricted) && restricted.length > 0);
  for (const key of restricted) {
    assert.ok(Object.hasOwn(settings, key), `${key} is not a contributed setting`);
    // application/machine settings cannot come from a workspace: restricting them would mean nothing.
    assert.ok(!['application', 'machine'].includes(settings[key].scope ?? 'window'), `${key} cannot be set by a folder anyway`);
  }
  // Documented in README.md, so it stays true there.
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  for (const key of restricted) assert.ok(readme.includes(`\`${key}\``), `README.md names ${key} under Restricted Mode`);
});

test('virtual workspaces: fully supported, with a browser entry beside the Node one, and the README says what runs where', () => {
  // Every feature reads and writes through VS Code's file system (workspace.fs), so notes on
  // vscode-vfs (GitHub Repositories, github.dev) work like local ones; the web entry (issue #17)
  // runs the same features in the browser's web-worker extension host.
  assert.equal(manifest.capabilities?.virtualWorkspaces, true);
  assert.equal(manifest.browser, './dist/web/extension.js');
  assert.equal(manifest.main, './dist/extension.js');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.match(readme, /^### In the browser: vscode\.dev and github\.dev$/m);
});
