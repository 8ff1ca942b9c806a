import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoredNoteProblem } from '../../../src/extension/restoredNotePath';

const folder = { scheme: 'file', authority: '', path: '/home/u/course' };
const uri = (path: string, scheme = 'file', authority = '') => ({ scheme, authority, path });

test('a restored panel may read a Markdown note inside a workspace folder', () => {
  assert.equal(restoredNoteProblem(uri('/home/u/course/notes/l1.md'), [folder], false), undefined);
  assert.equal(restoredNoteProblem(uri('/home/u/course/l1.markdown'), [folder], false), undefined);
});

test('a restored panel may not read what its saved state points at outside the workspace', () => {
  assert.equal(restoredNoteProblem(uri('/etc/passwd'), [folder], false), 'not a Markdown file');
  assert.equal(restoredNoteProblem(uri('/home/u/other/secret.md'), [folder], false), 'outside the workspace folders');
  assert.equal(restoredNoteProblem(uri('/home/u/course-private/x.md'), [folder], false), 'outside the workspace folders', 'a sibling folder sharing the prefix');
  assert.equal(restoredNoteProblem(uri('/home/u/course/../other/x.md'), [folder], false), 'not a normalized path');
  assert.equal(restoredNoteProblem(uri('/home/u/course/x.md', 'vscode-remote', 'ssh-remote+evil'), [folder], false), 'outside the workspace folders');
  assert.equal(restoredNoteProblem(uri('/home/u/course/x.md'), [], false), 'outside the workspace folders');
});

test('a document already open in the editor, or an untitled one, is fine', () => {
  assert.equal(restoredNoteProblem(uri('/tmp/elsewhere.txt'), [folder], true), undefined);
  assert.equal(restoredNoteProblem(uri('Untitled-1', 'untitled'), [], false), undefined);
});
