import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { expect } from 'chai';
import type { ServeLimits } from '../../src/viewer/serve-options';

const FIXTURE = path.resolve(__dirname, 'fixtures/limited-viewer.process.js');
/** The open-files limit of the process under test: the idle clients below are more than it may open. */
const OPEN_FILES = 256;

interface Limited {
  child: ChildProcessWithoutNullStreams;
  /** The next JSON line the process prints. */
  next(): Promise<Record<string, unknown>>;
  send(line: string): void;
  stderr(): string;
}

/** The viewer and an engine in a process started under `ulimit -n 256`, as a user might run them. */
function startLimited(workDir: string, limits: Partial<ServeLimits>): Limited {
  const command = `ulimit -n ${OPEN_FILES} && exec "$0" --enable-source-maps "$@"`;
  const child = spawn('bash', ['-c', command, process.execPath, FIXTURE, workDir, JSON.stringify(limits)], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // a process that died has its reason in stderr; writing to it must not fail the spec a second time
  child.stdin.on('error', () => undefined);
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the viewer process ended: ${stderr}`);
      return JSON.parse(value);
    },
    send: (line) => child.stdin.write(`${line}\n`),
    stderr: () => stderr,
  };
}

interface Client {
  socket: net.Socket;
  /** Everything the server sent. */
  received: () => string;
  closed: Promise<void>;
}

/** Connects `count` clients that send nothing (or what `speak` writes); resolves once each is connected or already closed. */
async function connect(url: string, count: number, speak?: (socket: net.Socket) => void): Promise<Client[]> {
  const { hostname, port } = new URL(url);
  return Promise.all(
    Array.from({ length: count }, () => {
      const socket = net.connect(Number(port), hostname);
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      return new Promise<Client>((resolve) => {
        const client = { socket, received: () => received, closed };
        socket.once('connect', () => {
          speak?.(socket);
          resolve(client);
        });
        void closed.then(() => resolve(client));
      });
    }),
  );
}

describe('viewer/connection-budget', function () {
  this.timeout(60_000);
  let workDir: string;
  let limited: Limited | undefined;
  let clients: Client[] = [];

  beforeEach(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-connection-budget-'));
  });

  afterEach(async () => {
    for (const client of clients) client.socket.destroy();
    clients = [];
    if (limited && limited.child.exitCode === null && limited.child.signalCode === null) {
      const exited = new Promise((resolve) => limited!.child.once('exit', resolve));
      limited.send('exit');
      await exited;
    }
    limited = undefined;
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('keeps the descriptors a run needs when more idle clients connect than the process may open files', async () => {
    // timeouts far longer than the run: the idle clients hold on for all of it
    limited = startLimited(workDir, { headersTimeoutMs: 50_000, requestTimeoutMs: 50_000, idleTimeoutMs: 50_000 });
    const { url } = await limited.next();
    clients = await connect(String(url), OPEN_FILES + 150);
    // A client is connected once the kernel's backlog holds it, before the server accepts it: wait
    // until the server has dealt with all of them, so that the run below starts under the pressure.
    // The clients beyond the viewer's share are closed on arrival, not left to eat descriptors.
    // Its count is settled once no client has been closed for a while: the server goes on taking
    // clients from the backlog after the 150th is closed (under load, 49 more were closed during the run).
    const dropped = () => clients.filter((c) => c.socket.destroyed).length;
    const deadline = Date.now() + 20_000;
    let settled = { count: -1, since: Date.now() };
    while (Date.now() < deadline && (dropped() <= 150 || Date.now() - settled.since < 500)) {
      if (dropped() !== settled.count) settled = { count: dropped(), since: Date.now() };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(dropped(), 'clients closed by the viewer').to.be.greaterThan(150);
    const held = clients.length - dropped();

    limited.send('run 2026112600');
    const outcome = await limited.next();
    expect(outcome, limited.stderr()).to.deep.equal({ state: 'processed', errors: [] });
    // the clients the viewer holds are still held: the run got its descriptors from the reserve, not from them
    expect(clients.length - dropped()).to.equal(held);
  });

  it('answers 408 to clients that never finish their headers, or never send a byte, and closes them', async () => {
    limited = startLimited(workDir, { headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const { url } = await limited.next();
    const trickles: NodeJS.Timeout[] = [];
    // slowloris: a header line every 50 ms, never the blank line that ends them
    const slow = await connect(String(url), 20, (socket) => {
      socket.write('GET /api/flows HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const trickle = setInterval(() => socket.write('X-Slow: yes\r\n'), 50);
      trickles.push(trickle);
      socket.once('close', () => clearInterval(trickle));
    });
    const silent = await connect(String(url), 20);
    clients = [...slow, ...silent];
    try {
      await Promise.all(clients.map((c) => c.closed));
    } finally {
      for (const trickle of trickles) clearInterval(trickle);
    }
    for (const client of clients) expect(client.received()).to.match(/^HTTP\/1\.1 408 /);
    // and the viewer goes on answering everyone else
    expect((await fetch(new URL('/api/flows', String(url)))).status).to.equal(200);
  });
});
