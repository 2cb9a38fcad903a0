import * as net from 'node:net';

export interface RawResponse {
  status: number;
  /** The status line and headers, lower-cased names. */
  headers: Record<string, string>;
  /** What came after the headers before the response was cut (an event stream never ends). */
  body: string;
}

/**
 * Sends a request line exactly as written (fetch and http.request normalise or refuse odd paths,
 * which is what an attacker would not do) and resolves with the status once the headers and any
 * Content-Length body are in. Event streams are cut after their headers.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      const text = received.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        if (error || socket.readableEnded || socket.destroyed) {
          settled = true;
          reject(error ?? new Error(`no response to ${method} ${target}: got ${JSON.stringify(text)}`));
        }
        return;
      }
      const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = text.slice(end + 4);
      const length = parsed['content-length'] === undefined ? undefined : Number(parsed['content-length']);
      const complete =
        method === 'HEAD' ||
        parsed['content-type']?.startsWith('text/event-stream') ||
        (length !== undefined && Buffer.byteLength(rest) >= length) ||
        socket.readableEnded;
      if (!complete && !error) return;
      settled = true;
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: rest });
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish(new Error('closed')));
    socket.on('error', (err) => finish(err));
    socket.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), Buffer.from(body)]));
  });
}
