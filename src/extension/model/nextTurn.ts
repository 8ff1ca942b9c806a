/**
 * Resolves on a later turn of the event loop, after pending I/O: `setImmediate` where there is one
 * (Node's extension host), a zero timeout where there is not (the browser's web-worker host).
 */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
