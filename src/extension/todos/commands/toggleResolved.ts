import type { Command, TodoFeature } from './command';

/** The view-title toggle: two commands, swapped by the context key `lectern.todos.showResolved`. */
export class ShowResolvedTodosCommand implements Command {
  readonly id = 'lectern.todo.showResolved';

  constructor(private readonly feature: TodoFeature) {}

  execute(): Promise<void> {
    return this.feature.tree.setShowResolved(true);
  }
}

export class HideResolvedTodosCommand implements Command {
  readonly id = 'lectern.todo.hideResolved';

  constructor(private readonly feature: TodoFeature) {}

  execute(): Promise<void> {
    return this.feature.tree.setShowResolved(false);
  }
}
