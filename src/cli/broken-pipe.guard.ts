const guarded = new WeakSet<NodeJS.WriteStream>();

/**
 * Output errors never stop a run: when the reader of a pipe goes away (`run ... | head -1`),
 * writing fails with EPIPE, and a stream error nobody listens to would kill the process in the
 * middle of the run, leaving the flow in_progress with its lease. With this listener the stream
 * is simply destroyed: the CLI stops writing to it and the run goes on to record its states.
 */
export function surviveBrokenPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', () => {
    // Nothing to report it on: the stream that failed is where it would go.
  });
}

/** Writes unless the stream's reader has gone (see surviveBrokenPipe). */
export function writeWhileOpen(stream: NodeJS.WriteStream, text: string | Uint8Array): void {
  if (!stream.destroyed) stream.write(text);
}

/**
 * Resolves once the stream's reader has gone (its next write failed): `logs -f | head -1` then
 * has nobody left to follow for. `dispose` forgets the stream when following ends otherwise.
 */
export function readerGone(stream: NodeJS.WriteStream): { gone: Promise<void>; dispose(): void } {
  let onClose = () => {};
  const gone = new Promise<void>((resolve) => {
    onClose = () => resolve();
    if (stream.destroyed) resolve();
    else stream.once('close', onClose);
  });
  return { gone, dispose: () => stream.off('close', onClose) };
}
