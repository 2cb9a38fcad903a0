/**
 * Runs `fn` on every item with at most `limit` calls in flight, pulling items lazily (a listing of
 * millions of keys is never held in memory). Stops taking new items at the first failure, waits for
 * the calls in flight, then rethrows that failure.
 */
export async function forEachConcurrently<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure) break;
    const call: Promise<void> = fn(item).then(
      () => {
        running.delete(call);
      },
      (error: unknown) => {
        running.delete(call);
        failure ??= { error };
      },
    );
    running.add(call);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}
