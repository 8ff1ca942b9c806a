import { applyResolve } from '../resolveTodo';
import { askAnswer, pickTodo } from '../pickTodo';
import { toTodoRef } from '../todoRef';
import type { Command, TodoFeature } from './command';

/** Lectern: Resolve TODO… — pick an open TODO (or take the tree's), ask the answer, write it. */
export class ResolveTodoCommand implements Command {
  readonly id = 'lectern.todo.resolve';

  constructor(private readonly feature: TodoFeature) {}

  async execute(arg?: unknown): Promise<boolean> {
    const ref = toTodoRef(arg) ?? (await pickTodo(this.feature.index, 'open', 'Resolve TODO'));
    if (!ref) return false;
    const answer = await askAnswer(ref.text);
    if (answer === undefined) return false;
    return applyResolve(ref.uri, ref.id, ref.text, answer, this.feature.services);
  }
}
