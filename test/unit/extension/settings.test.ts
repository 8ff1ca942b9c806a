import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LECTERN_SETTINGS } from '../../../src/shared/settings';

test('the typed settings list is exactly what package.json contributes', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } | Array<{ properties: Record<string, unknown> }> };
  };
  const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const contributed = sections.flatMap((s) => Object.keys(s.properties)).sort();
  assert.deepEqual([...LECTERN_SETTINGS].sort(), contributed);
});
