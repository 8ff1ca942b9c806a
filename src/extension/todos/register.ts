import type { Services } from '../services';

/** Registers the todos feature; every disposable goes to `services.context.subscriptions`. */
export function registerTodosFeatures(_services: Services): void {
  // Filled in by the todos issue.
}
