import type { Services } from '../services';

/** Registers the demos feature; every disposable goes to `services.context.subscriptions`. */
export function registerDemosFeatures(_services: Services): void {
  // Filled in by the demos issue.
}
