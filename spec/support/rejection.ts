/** What `promise` rejects with, as an Error; null if it resolves (a spec then says it should not have). */
export const rejection = (promise: Promise<unknown>): Promise<Error | null> =>
  promise.then(
    () => null,
    (err: unknown) => err as Error,
  );
