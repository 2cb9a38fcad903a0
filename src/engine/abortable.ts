/**
 * Settles with the promise, or rejects with the signal's reason as soon as it aborts: a step that
 * times out or is cancelled ends now even if its code ignores the signal.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

/** An AbortController that aborts with `reason` after `ms`; `clear()` it when the work ends. */
export function timeoutController(parent: AbortSignal, ms: number | undefined, reason: () => Error): { signal: AbortSignal; clear: () => void } {
  if (!ms || ms <= 0) return { signal: parent, clear: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason()), ms);
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
