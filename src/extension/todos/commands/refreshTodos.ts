import type { Command, TodoFeature } from './command';

/** Lectern: Refresh TODOs — forgets every cached parse and scans the workspace again. */
export class RefreshTodosCommand implements Command {
  readonly id = 'lectern.todo.refresh';

  constructor(private readonly feature: TodoFeature) {}

  async execute(): Promise<void> {
    await this.feature.services.notes.model.invalidate();
  }
}
