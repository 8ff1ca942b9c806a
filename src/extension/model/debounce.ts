/**
 * Per-key debounce timers (one per document URI, say): scheduling a key again replaces its pending
 * run, so a burst of events for one key runs once, `delayMs` after the last.
 */
export class KeyedDebouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `run` after `delayMs` unless `key` is scheduled again or cancelled first. */
  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
      }, delayMs),
    );
  }

  /** Drops `key`'s pending run, if any. */
  cancel(key: string): void {
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
  }

  /** Drops every pending run. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
