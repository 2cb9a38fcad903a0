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

/**
 * A signal that aborts `graceMs` after `signal` does, with the same reason: the deadline by which
 * aborted work must have wound down. Not unref'd on purpose: a hung action holds no handle of its
 * own, and the process must stay alive until the grace period gives up on it.
 */
export function graceSignal(signal: AbortSignal, graceMs: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    timer = setTimeout(() => controller.abort(signal.reason), graceMs);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Awaits `work`; once `signal` aborts, gives it `graceMs` to wind down (a killed process to be
 * reaped, an EMR step to be cancelled), then stops waiting. After an abort it rejects with the
 * signal's reason (StepTimeoutError, FlowCancelledError), which says more than the work's own
 * "aborted" error; work that completed all the same resolves.
 */
export async function withGrace<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  const grace = graceSignal(signal, graceMs);
  try {
    return await abortable(work, grace.signal);
  } catch (err) {
    throw signal.aborted ? abortReason(signal) : err;
  } finally {
    grace.clear();
  }
}
