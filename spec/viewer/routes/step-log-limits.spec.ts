import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Flow, Main, Step } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import { http } from '../viewer-http';

@Step({ name: 'fed' })
class Fed {
  @Main() run() {}
}

/** A flow whose step log is one entry and 64 GiB of a file with holes: a read of it lasts minutes, until its client goes. */
@Flow({ name: 'fed_flow', steps: [Fed] })
class FedFlow {}

const TP = '2026112600';
const LOG_ROUTE = `/api/flows/fed_flow/runs/${TP}/steps/fed/log?maxBytes=1`;

/** The descriptors this process has open on `file` (Linux). */
function openDescriptors(file: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A GET sent on a raw socket, so that the spec can close it before the answer. */
function rawGet(url: string, target: string): net.Socket {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`));
  socket.on('error', () => undefined);
  return socket;
}

describe('viewer/routes/step-log: what log reads may take', () => {
  let t: TestingApp;
  let log: string;

  before(async () => {
    t = await createTestingApp({ flows: [FedFlow] });
  });
  beforeEach(() => {
    log = t.app.logs.stepLogFile('fed_flow', 'fed');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    // The entry's line goes on in zeros without a newline: a read walks back through all of them,
    // taking no disk space (a hole) but minutes, to find where it starts.
    fs.writeFileSync(log, `2026-12-01T10:00:00.000 fed INFO [${TP}#aaaaaaaaaaaaaa] fed `);
    fs.truncateSync(log, 64 * 1024 ** 3);
  });
  afterEach(() => fs.rmSync(log, { force: true }));
  after(() => t.teardown());

  it('stops reading a log when its client disconnects: the file is closed', async () => {
    const viewer = await t.app.serve({ port: 0 });
    try {
      const client = rawGet(viewer.url, LOG_ROUTE);
      await until(() => openDescriptors(log) === 1, 'the viewer reads the log');
      client.destroy();
      await until(() => openDescriptors(log) === 0, 'the viewer closes the log');
    } finally {
      await viewer.close();
    }
  });

  it('reads maxLogReads logs at once, queues maxQueuedLogReads more, and answers 503 with Retry-After beyond', async () => {
    const viewer = await t.app.serve({ port: 0, limits: { maxLogReads: 1, maxQueuedLogReads: 1 } });
    try {
      const reading = rawGet(viewer.url, LOG_ROUTE);
      await until(() => openDescriptors(log) === 1, 'the viewer reads the log');
      // a client that leaves the queue gives its place to the next one
      const leaving = rawGet(viewer.url, `/api/flows/fed_flow/runs/${TP}/log`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      leaving.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // the flow's own log, which has no line of that timeperiod: answered 404 once its turn comes
      const waiting = http(viewer.url, 'GET', `/api/flows/fed_flow/runs/${TP}/log`);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const refused = await http(viewer.url, 'GET', LOG_ROUTE);
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect(refused.body).to.include({ statusCode: 503, error: 'ViewerBusyError', code: 'ERR_SYNERGY_VIEWER_BUSY' });
      expect(refused.body.message).to.match(/the viewer is busy: .*log reads.*maxLogReads: 1, maxQueuedLogReads: 1.*try again in 1 s/);
      // other routes are not held up
      expect((await http(viewer.url, 'GET', '/api/flows')).status).to.equal(200);

      // the read under way ends (its client goes): the waiting one has its turn
      reading.destroy();
      const waited = await waiting;
      expect([waited.status, waited.body.error]).to.deep.equal([404, 'FlowRunNotFoundError']);
    } finally {
      await viewer.close();
    }
  });

  it('refuses limits on log reads that would allow none', async () => {
    for (const limits of [{ maxLogReads: 0 }, { maxQueuedLogReads: -1 }, { maxLogReads: 1.5 }]) {
      let error: unknown;
      await t.app.serve({ port: 0, limits }).then(
        (viewer) => viewer.close(),
        (err) => (error = err),
      );
      expect(error, JSON.stringify(limits)).to.have.property('name', 'ConfigurationError');
      expect((error as Error).message, JSON.stringify(limits)).to.match(/limits\.max(Queued)?LogReads/);
    }
  });
});
