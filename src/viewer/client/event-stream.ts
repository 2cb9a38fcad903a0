import type { ApiClient } from './api-client.js';
import type { FlowEvent } from './api-types.js';

export interface EventStreamHandlers {
  /** The stream is open: every event from now on will arrive (re-read anything older). */
  onOpen(): void;
  onEvent(event: FlowEvent): void;
  onClose(): void;
}

const RETRY_MS = 2000;

/**
 * Reads /api/events with fetch rather than EventSource, because EventSource cannot send the
 * Authorization header. Reconnects after a drop; `onOpen` on each connection lets the page resync.
 */
export function openEventStream(api: ApiClient, handlers: EventStreamHandlers): { reconnect(): void } {
  let controller = new AbortController();
  const connect = async (): Promise<void> => {
    const own = controller;
    try {
      const response = await fetch('/api/events', { headers: { ...api.headers(), accept: 'text/event-stream' }, signal: own.signal });
      if (response.status === 401) api.unauthorized();
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      handlers.onOpen();
      await readEvents(response.body, (event) => handlers.onEvent(event));
    } catch {
      // dropped, refused or aborted: fall through to the retry
    }
    if (own.signal.aborted) return;
    handlers.onClose();
    setTimeout(() => void connect(), RETRY_MS);
  };
  void connect();
  return {
    reconnect() {
      controller.abort();
      controller = new AbortController();
      handlers.onClose();
      void connect();
    },
  };
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: FlowEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) onEvent(JSON.parse(data) as FlowEvent);
    }
  }
}
