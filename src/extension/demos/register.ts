import * as vscode from 'vscode';
import { DEMO_VIEW_TYPE } from '../../shared/protocol';
import type { Services } from '../services';
import { registerCommands } from '../commands';
import { DemoCodeLensProvider } from './demoCodeLens';
import { OpenDemoCommand, OpenDemoForSectionCommand, type DemoPanels } from './demoCommands';
import type { DemoPanelManager } from './demoPanelManager';
import { DemoSections } from './demoSections';

/**
 * Registers the demos feature; every disposable goes to `services.context.subscriptions`.
 * The CodeLens needs only the parsed sections; the panel manager (page HTML, KaTeX for the key
 * formula) loads on the first demo opened or restored.
 */
export function registerDemosFeatures(services: Services): void {
  const { context } = services;
  const sections = new DemoSections(services);
  const lenses = new DemoCodeLensProvider(sections);

  let manager: Promise<DemoPanelManager> | undefined;
  const getManager = (): Promise<DemoPanelManager> =>
    (manager ??= import(/* webpackChunkName: "demoPanels" */ './demoPanelManager').then(({ DemoPanelManager }) => {
      const created = new DemoPanelManager(services, sections);
      context.subscriptions.push(created);
      return created;
    }));
  const panels: DemoPanels = { open: async (...args) => (await getManager()).open(...args) };

  context.subscriptions.push(
    lenses,
    vscode.window.registerWebviewPanelSerializer(DEMO_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await getManager()).deserializeWebviewPanel(panel, state),
    }),
    vscode.languages.registerCodeLensProvider({ language: 'markdown' }, lenses),
    // The sections of a note parsed again without an edit (the TODO tags changed): lenses again.
    services.notes.onDidChange((keys) => lenses.refreshIfReparsed(keys)),
  );
  const ctx = { services, sections, panels };
  registerCommands(services, [new OpenDemoCommand(ctx), new OpenDemoForSectionCommand(ctx)]);
}
