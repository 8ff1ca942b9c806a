import type { Services } from '../../services';
import type { TodoIndex } from '../todoIndex';
import type { TodoTreeView } from '../todoTreeView';

export type { Command } from '../../commands';

/** What the TODO commands share. */
export interface TodoFeature {
  readonly services: Services;
  readonly index: TodoIndex;
  readonly tree: TodoTreeView;
}
