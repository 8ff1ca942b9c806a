import { applyReopen } from '../resolveTodo';
import { pickTodo } from '../pickTodo';
import { toTodoRef } from '../todoRef';
import type { Command, TodoFeature } from './command';

/** Lectern: Reopen TODO… — takes an answer out again (from the tree, or picked from a list). */
export class ReopenTodoCommand implements Command {
  readonly id = 'lectern.todo.reopen';

  constructor(private readonly feature: TodoFeature) {}

  async execute(arg?: unknown): Promise<boolean> {
    const ref = toTodoRef(arg) ?? (await pickTodo(this.feature.index, 'resolved', 'Reopen TODO'));
    if (!ref) return false;
    return applyReopen(ref.uri, ref.id, ref.text, this.feature.services);
  }
}

