import * as vscode from 'vscode';
import { DEMO_VIEW_TYPE } from '../../shared/protocol';
import type { Services } from '../services';
import { DemoCodeLensProvider } from './demoCodeLens';
import { OpenDemoCommand, OpenDemoForSectionCommand } from './demoCommands';
import { DemoPanelManager } from './demoPanelManager';
import { DemoSections } from './demoSections';

/** Registers the demos feature; every disposable goes to `services.context.subscriptions`. */
export function registerDemosFeatures(services: Services): void {
  const { context, log } = services;
  const sections = new DemoSections(services);
  const panels = new DemoPanelManager(services, sections);
  const lenses = new DemoCodeLensProvider(sections);
  context.subscriptions.push(
    panels,
    lenses,
    vscode.window.registerWebviewPanelSerializer(DEMO_VIEW_TYPE, panels),
    vscode.languages.registerCodeLensProvider({ language: 'markdown' }, lenses),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lectern.todo.tags')) lenses.refresh();
    }),
  );
  const ctx = { services, sections, panels };
  for (const command of [new OpenDemoCommand(ctx), new OpenDemoForSectionCommand(ctx)]) {
    context.subscriptions.push(
      vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
        try {
          await command.execute(args[0]);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          log.error(`${command.id} failed: ${message}`);
          void vscode.window.showErrorMessage(`Lectern: ${message}`);
        }
      }),
    );
  }
}
