import type { Services } from '../services';

/** Registers the preview feature; every disposable goes to `services.context.subscriptions`. */
export function registerPreviewFeatures(_services: Services): void {
  // Filled in by the preview issue.
}
