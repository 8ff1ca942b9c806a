import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeLocalFiles } from '../../../src/extension/nodeFiles';

/** The Node host's reads of `file:` notes (src/extension/nodeFiles.ts) on real files. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-node-files-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a regular note is read whole, byte for byte; stat tells files, folders and the rest apart', async () => {
  const note = path.join(dir, 'note.md');
  const bytes = Buffer.from('\uFEFF# Title\r\n\nTODO: why? ü\n', 'utf8');
  fs.writeFileSync(note, bytes);
  assert.deepEqual(Buffer.from(await nodeLocalFiles.read(note)), bytes);
  assert.deepEqual(await nodeLocalFiles.stat(note), { kind: 'file', size: bytes.length });
  assert.equal((await nodeLocalFiles.stat(dir)).kind, 'directory');
  await assert.rejects(nodeLocalFiles.read(path.join(dir, 'missing.md')), /ENOENT/);
});

test('a path that became a FIFO after its stat is refused at the read, not waited on', { skip: process.platform === 'win32', timeout: 30_000 }, async () => {
  const fifo = path.join(dir, 'fifo.md');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, String(made.stderr));
  assert.equal((await nodeLocalFiles.stat(fifo)).kind, 'other');
  // The model skips a FIFO from its stat; this is the read it would make had the stat said file.
  // Without the check on the opened file the read would wait for a writer (the test's timeout).
  await assert.rejects(nodeLocalFiles.read(fifo), /not a regular file/);
  assert.equal((await nodeLocalFiles.stat('/dev/null')).kind, 'other');
  await assert.rejects(nodeLocalFiles.read('/dev/null'), /not a regular file/);
});
