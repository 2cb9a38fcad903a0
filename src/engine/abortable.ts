export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

/** The callbacks waiting for each signal's abort, behind the one listener onAbort gives it. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once `signal` aborts (at once if it has), until the returned function is called.
 *
 * Every attempt and action of a run watches the run's signal for as long as it runs: with an
 * EventTarget listener each, adding and removing them was a measurable share of a step (Node's EventTarget
 * validates, wraps and links every listener). Here a signal gets one listener, the first time it
 * is watched, and its watchers are a Set. As with EventTarget, callbacks run in the order they
 * were added, and one that throws does not keep the others from running.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return () => undefined;
  }
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    const created = new Set<() => void>();
    waiting.set(signal, created);
    signal.addEventListener('abort', () => notify(created), { once: true });
    callbacks = created;
  }
  callbacks.add(callback);
  const watched = callbacks;
  return () => void watched.delete(callback);
}

function notify(callbacks: Set<() => void>): void {
  const snapshot = [...callbacks];
  callbacks.clear();
  for (const callback of snapshot) {
    try {
      callback();
    } catch (err) {
      // What EventTarget does with a listener that throws: report it, go on with the others.
      process.nextTick(() => {
        throw err;
      });
    }
  }
}

/** An AbortController that aborts with `reason(ms)` after `ms`; `clear()` it when the work ends. */
export function timeoutController(
  parent: AbortSignal,
  ms: number | undefined,
  reason: (ms: number) => Error,
): { signal: AbortSignal; clear: () => void } {
  if (!ms || ms <= 0) return { signal: parent, clear: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason(ms)), ms);
  const unwatch = onAbort(parent, () => controller.abort(parent.reason));
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      unwatch();
    },
  };
}
