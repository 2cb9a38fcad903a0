import * as http from 'node:http';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';

/**
 * `node dist/bench/sse-reader.client.js <viewer url> <count> <read|never-read> <deflate|identity>`:
 * the viewer's event-stream clients for bench/sse-readers.ts, in a process of their own so that their
 * reading does not share the engine's thread. `deflate`: they accept compressed streams, as browsers
 * do. Prints `{"ready":n}` once every stream has its headers (subscribed), and on `report` (stdin)
 * `{"bytes":..,"closed":..}`: the bytes the readers took off the wire (those that read: once each
 * has the run's last event), and how many streams the viewer closed.
 */
const [url, countArg, mode, encoding] = process.argv.slice(2);
const count = Number(countArg);
/** The flow event that ends the run: a reading client has had every event of it once it has this. */
const RUN_END = /event: flow\ndata: \{"type":"flow"[^\n]*"state":"processed"/;
let opened = 0;
let closed = 0;
let bytes = 0;
let ended = 0;
let reportWhenEnded = false;

for (let i = 0; i < count; i++) {
  const headers = { accept: 'text/event-stream', ...(encoding === 'deflate' && { 'accept-encoding': 'gzip, deflate, br' }) };
  const request = http.get(new URL('/api/events', url), { headers, agent: false }, (res) => {
    res.on('close', () => {
      closed++;
      if (reportWhenEnded && ended >= count - closed) report();
    });
    res.on('error', () => undefined);
    // a reader that never reads: whatever arrives from now on stays in the kernel's buffers, then the viewer's
    if (mode === 'never-read') res.pause();
    else {
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      const text = res.headers['content-encoding'] === 'deflate' ? res.pipe(zlib.createInflate()) : res;
      text.on('error', () => undefined);
      let tail = '';
      let sawEnd = false;
      text.on('data', (chunk: Buffer) => {
        if (sawEnd) return;
        tail = (tail + chunk.toString('latin1')).slice(-4096);
        if (!RUN_END.test(tail)) return;
        sawEnd = true;
        ended++;
        if (reportWhenEnded && ended >= count - closed) report();
      });
    }
    if (++opened === count) process.stdout.write(`${JSON.stringify({ ready: opened })}\n`);
  });
  request.on('error', () => undefined);
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
