import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { CONTROL_LOG, CONTROL_VIEW } from '../../bench/startupBench';

/**
 * The start-up bench subtracts a control extension's figures from Lectern's (issue #15). That only
 * means something while the control is activated by the same events as Lectern and reports through
 * the same kind of channel, with the line and the view the bench waits for: checked here against
 * both manifests and by activating the control against a recording stand-in for `vscode`.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const controlDir = path.join(repoRoot, 'test', 'bench', 'controlExtension');

interface Manifest {
  main?: string;
  activationEvents?: string[];
  contributes?: { viewsContainers?: { activitybar?: { id: string; title: string }[] }; views?: Record<string, { id: string }[]> };
}

function manifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

test("the control is activated by Lectern's own activation events: opening Markdown, showing its view", () => {
  const lectern = manifest(repoRoot);
  const control = manifest(controlDir);
  assert.ok(lectern.activationEvents?.includes('onLanguage:markdown'), 'Lectern activates on Markdown (the end-to-end scenario)');
  assert.ok(control.activationEvents?.includes('onLanguage:markdown'), 'the control activates on Markdown too');
  // Lectern's TODOs view lives in its own activity-bar container; the control's view does too.
  assert.ok(lectern.contributes?.views?.lectern?.some((v) => v.id === 'lectern.todos'));
  const container = control.contributes?.viewsContainers?.activitybar?.find((c) => c.id === CONTROL_VIEW.container);
  assert.equal(container?.title, CONTROL_VIEW.title);
  assert.deepEqual(
    control.contributes?.views?.[CONTROL_VIEW.container]?.map((v) => v.id),
    [CONTROL_VIEW.view],
  );
});

test('activating the control logs the line the bench reads, on a log channel, and shows one tree row', () => {
  const channels: { name: string; options: unknown; lines: string[] }[] = [];
  const trees: { id: string; rows: unknown[] }[] = [];
  class TreeItem {
    constructor(readonly label: string) {}
  }
  const vscode = {
    TreeItem,
    window: {
      createOutputChannel(name: string, options: unknown) {
        const channel = { name, options, lines: [] as string[] };
        channels.push(channel);
        return { info: (line: string) => channel.lines.push(line), dispose() {} };
      },
      createTreeView(id: string, options: { treeDataProvider: { getChildren(e?: unknown): unknown[]; getTreeItem(e: unknown): unknown } }) {
        const provider = options.treeDataProvider;
        trees.push({ id, rows: provider.getChildren().map((e) => provider.getTreeItem(e)) });
        return { dispose() {} };
      },
    },
  };
  const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = moduleApi._load;
  moduleApi._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  try {
    const control = Module.createRequire(__filename)(path.join(controlDir, manifest(controlDir).main ?? '')) as {
      activate(context: { subscriptions: unknown[] }): void;
    };
    // As Lectern's bundle does (src/extension/log.ts): the channel's set-up in the host starts at load.
    assert.equal(channels.length, 1, 'the log channel is created when the code loads, before activate()');
    const context = { subscriptions: [] as unknown[] };
    control.activate(context);
    assert.deepEqual(
      channels.map((c) => [c.name, c.options]),
      [[CONTROL_LOG.channel, { log: true }]],
      'one log output channel, as Lectern creates',
    );
    assert.equal(channels[0].lines.length, 1);
    assert.match(channels[0].lines[0], CONTROL_LOG.activated);
    assert.deepEqual(
      trees.map((t) => [t.id, t.rows.length]),
      [[CONTROL_VIEW.view, 1]],
    );
    assert.equal(context.subscriptions.length, 2, 'channel and tree view are disposed with the extension');
  } finally {
    moduleApi._load = load;
  }
});
