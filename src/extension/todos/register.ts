import type { Services } from '../services';
import { registerCommands } from '../commands';
import type { TodoFeature } from './commands/command';
import { AddTodoCommand } from './commands/addTodo';
import { CopyQuestionCommand } from './commands/copyQuestion';
import { ExportTodosCommand } from './commands/exportTodos';
import { NextTodoCommand, PreviousTodoCommand } from './commands/navigateTodos';
import { RefreshTodosCommand } from './commands/refreshTodos';
import { ReopenTodoCommand } from './commands/reopenTodo';
import { ResolveTodoCommand } from './commands/resolveTodo';
import { ResolveTodoAtCursorCommand } from './commands/resolveTodoAtCursor';
import { RevealTodoCommand } from './commands/revealTodo';
import { HideResolvedTodosCommand, ShowResolvedTodosCommand } from './commands/toggleResolved';
import { TodoDiagnostics } from './todoDiagnostics';
import { TodoIndex } from './todoIndex';
import { TodoStatusBar } from './todoStatusBar';
import { TodoTreeView } from './todoTreeView';

/** Registers the todos feature; every disposable goes to `services.context.subscriptions`. */
export function registerTodosFeatures(services: Services): void {
  const { subscriptions } = services.context;
  const index = new TodoIndex(services.notes);
  const tree = new TodoTreeView(services, index);
  const diagnostics = new TodoDiagnostics(services, index);
  subscriptions.push(tree, diagnostics, new TodoStatusBar(index));

  const feature: TodoFeature = { services, index, tree };
  registerCommands(services, [
    new ResolveTodoCommand(feature),
    new ResolveTodoAtCursorCommand(feature),
    new ReopenTodoCommand(feature),
    new NextTodoCommand(feature),
    new PreviousTodoCommand(feature),
    new AddTodoCommand(feature),
    new ExportTodosCommand(feature),
    new RefreshTodosCommand(feature),
    new CopyQuestionCommand(),
    new RevealTodoCommand(feature),
    new ShowResolvedTodosCommand(feature),
    new HideResolvedTodosCommand(feature),
  ]);

  // Settings apply without a reload (the notes glob and the TODO tags: the document model's own listener).
  subscriptions.push(
    services.config.onDidChange((change) => {
      if (change.affects('lectern.todo.showInProblems')) diagnostics.updateAll();
    }),
  );
}
