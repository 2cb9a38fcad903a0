import * as net from 'node:net';
import * as readline from 'node:readline';

/**
 * `node dist/bench/sse-reader.client.js <viewer url> <count> <read|never-read>`: the viewer's
 * event-stream clients for bench/sse-readers.ts, in a process of their own so that their reading
 * does not share the engine's thread. Prints `{"ready":n}` once every stream has its headers
 * (subscribed), and on `report` (stdin) `{"bytes":..,"closed":..}`: what the readers took (those
 * that read: once each has the run's last event), and how many streams the viewer closed.
 */
const [url, countArg, mode] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const count = Number(countArg);
/** The flow event that ends the run: a reading client has had every event of it once it has this. */
const RUN_END = /event: flow\ndata: \{"type":"flow"[^\n]*"state":"processed"/;
let opened = 0;
let closed = 0;
let bytes = 0;
let ended = 0;
let reportWhenEnded = false;

for (let i = 0; i < count; i++) {
  const socket = net.connect(Number(port), hostname);
  let headers = false;
  let tail = '';
  let sawEnd = false;
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed++;
    if (reportWhenEnded && ended >= count - closed) report();
  });
  socket.on('data', (chunk) => {
    bytes += chunk.length;
    if (!sawEnd) {
      tail = (tail + chunk.toString('latin1')).slice(-4096);
      if (RUN_END.test(tail)) {
        sawEnd = true;
        ended++;
        if (reportWhenEnded && ended >= count - closed) report();
      }
    }
    if (headers || !chunk.includes('\r\n\r\n')) return;
    headers = true;
    // a reader that never reads: whatever arrives from now on stays in the kernel's buffers, then the viewer's
    if (mode === 'never-read') socket.pause();
    if (++opened === count) process.stdout.write(`${JSON.stringify({ ready: opened })}\n`);
  });
  socket.write(`GET /api/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
}

function report(): void {
  reportWhenEnded = false;
  process.stdout.write(`${JSON.stringify({ bytes, closed })}\n`);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'report') return;
  // readers that read report once each has the run's last event; the others at once
  if (mode === 'read' && ended < count - closed) reportWhenEnded = true;
  else report();
});
process.stdin.on('end', () => process.exit(0));
