'use strict';
/**
 * The control of the start-up bench (test/bench/startupBench.ts): installed the same way as Lectern,
 * activated by the same events (opening a Markdown file, showing its view), reporting its activation
 * on a log output channel exactly as Lectern does, but with nothing to load and nothing to do. What
 * the host's log shows for it is the host's own share of Lectern's figures.
 */
const vscode = require('vscode');

// As Lectern does (src/extension/log.ts): the log channel is created when the code loads, so its
// set-up in the host (a round trip to the workbench, a log file) overlaps the host's context fetch.
let log = vscode.window.createOutputChannel('Start-up Control', { log: true });

exports.activate = function activate(context) {
  const started = Date.now();
  log ??= vscode.window.createOutputChannel('Start-up Control', { log: true });
  context.subscriptions.push(log);
  const rows = {
    getChildren: (element) => (element ? [] : ['first row']),
    getTreeItem: (label) => new vscode.TreeItem(label),
  };
  context.subscriptions.push(vscode.window.createTreeView('startupControl.items', { treeDataProvider: rows }));
  log.info(`Start-up Control activated in ${Date.now() - started} ms`);
  log = undefined;
};

exports.deactivate = function deactivate() {};
