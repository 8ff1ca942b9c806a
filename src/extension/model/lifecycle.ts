/**
 * Lifetimes and events without `vscode`, so the document model runs (and is tested) in plain Node.
 * Shaped like VS Code's own (`Disposable` with `_register`, `Emitter` with `event`, as in the
 * Markdown language service): a model `Event` can be handed to anything that expects a
 * `vscode.Event`, and a `vscode.Disposable` can be registered here.
 */

export interface IDisposable {
  dispose(): void;
}

/** A subscription function: call it with a listener, dispose what it returns to unsubscribe. */
export type Event<T> = (listener: (e: T) => unknown) => IDisposable;

export function toDisposable(dispose: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      dispose();
    },
  };
}

/** Disposes each, in reverse order of registration; one that throws does not stop the others. */
export function disposeAll(disposables: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of [...disposables].reverse()) {
    try {
      d.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
}

/** The one base class for things that own other disposables (listeners, timers, emitters). */
export abstract class Disposable implements IDisposable {
  private readonly owned = new Set<IDisposable>();
  private disposedFlag = false;

  protected get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Takes ownership of `value`: it is disposed with this object (at once if this one already is). */
  protected _register<T extends IDisposable>(value: T): T {
    if (this.disposedFlag) value.dispose();
    else this.owned.add(value);
    return value;
  }

  /** `_register` for several at once. */
  protected _registerAll(...values: IDisposable[]): void {
    for (const value of values) this._register(value);
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const owned = [...this.owned];
    this.owned.clear();
    disposeAll(owned);
  }
}

/** Fires events to its listeners, in subscription order; a listener that throws is reported, not fatal. */
export class Emitter<T> implements IDisposable {
  private listeners: ((e: T) => unknown)[] = [];
  private disposed = false;

  constructor(private readonly onListenerError: (err: unknown) => void = (err) => console.error(err)) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => undefined);
    this.listeners.push(listener);
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

/** A flag that a newer request raises on the older one; checked between the steps of async work. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}
