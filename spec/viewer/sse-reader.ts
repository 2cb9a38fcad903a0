/** One Server-Sent Event as the viewer sends it. */
export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

/**
 * Reads a text/event-stream response with fetch, the way the page does. `opened` resolves once the
 * response headers are in (the viewer subscribes before sending them).
 */
export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly opened: Promise<Response>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    const response = fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.controller.signal });
    this.opened = response;
    this.ended = response.then((res) => (res.ok && res.body ? this.read(res.body) : undefined)).catch(() => undefined);
  }

  /** Waits until a message satisfies `predicate` (checking those already received first). */
  async until(predicate: (message: SseMessage) => boolean): Promise<SseMessage> {
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = block.split('\n').filter((line) => line && !line.startsWith(':'));
        const field = (name: string) => fields.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
        const data = field('data');
        if (data.length) this.messages.push({ event: field('event')[0] ?? 'message', id: field('id')[0], data: data.join('\n') });
      }
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }
}
