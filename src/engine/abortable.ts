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
