import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';

const BIN = path.resolve(__dirname, '../../../src/cli/bin.js');
const ENTRY = path.resolve(__dirname, '../../viewer/fixtures/viewer-app.entry.js');
const TOKEN = 'cli-viewer-token-5c2b9e';

interface Served {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `synergy-flow --app <entry> serve ...` in a child process, as a user starts it. */
function serve(args: string[], env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, [BIN, '--app', ENTRY, 'serve', ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The URL the command prints once it listens. */
function urlOf(served: Served): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /^synergy-flow viewer: (http:\/\/\S+)$/m.exec(served.stdout());
      if (match) resolve(match[1]);
    };
    served.child.stdout.on('data', check);
    void served.exited.then((code) => reject(new Error(`serve exited ${code} before listening: ${served.stderr()}`)));
    check();
  });
}

describe('cli/commands/serve', function () {
  this.timeout(30_000);
  const started: Served[] = [];
  const start = (args: string[], env?: Record<string, string>) => {
    const served = serve(args, env);
    started.push(served);
    return served;
  };

  afterEach(async () => {
    // SIGTERM, as a user stops it: the entry module removes its temp dir on the way out.
    const running = started.splice(0).filter((served) => served.child.exitCode === null);
    await Promise.all(
      running.map(async (served) => {
        served.child.kill('SIGTERM');
        const stuck = setTimeout(() => served.child.kill('SIGKILL'), 5_000);
        await served.exited;
        clearTimeout(stuck);
      }),
    );
  });

  it('serves the viewer until SIGTERM, then stops cleanly with exit code 0', async () => {
    const served = start(['--port', '0']);
    const url = await urlOf(served);
    expect(new URL(url).hostname).to.equal('127.0.0.1');
    const flows = (await (await fetch(new URL('/api/flows', url))).json()) as { flows: Array<{ name: string }> };
    expect(flows.flows.map((f) => f.name)).to.deep.equal(['eight_steps']);
    served.child.kill('SIGTERM');
    expect(await served.exited).to.equal(0);
    expect(served.stdout()).to.contain('synergy-flow viewer stopped (SIGTERM)');
  });

  it('serves Prometheus text at /metrics with --metrics (behind the token), and /healthz without a token either way', async () => {
    const withMetrics = start(['--port', '0', '--metrics', '--token', TOKEN]);
    const url = await urlOf(withMetrics);
    expect((await fetch(new URL('/metrics', url))).status).to.equal(401);
    const metrics = await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status).to.equal(200);
    expect(await metrics.text()).to.contain('synergy_flow_steps_in_flight{flow="eight_steps"} 0');
    const health = await fetch(new URL('/healthz', url));
    expect(health.status).to.equal(200);
    const body = (await health.json()) as { instanceId: string };
    // which engine answered: the serving process's own instance id
    expect(body.instanceId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body).to.deep.equal({ status: 'ok', database: 'reachable', runsInFlight: 0, instanceId: body.instanceId });

    const without = start(['--port', '0']);
    expect((await fetch(new URL('/metrics', await urlOf(without)))).status).to.equal(404);
  });

  it('takes the token from $SYNERGY_FLOW_VIEWER_TOKEN and never prints it', async () => {
    const served = start(['--port', '0'], { SYNERGY_FLOW_VIEWER_TOKEN: TOKEN });
    const url = await urlOf(served);
    expect((await fetch(new URL('/api/flows', url))).status).to.equal(401);
    expect((await fetch(new URL('/api/flows', url), { headers: { authorization: `Bearer ${TOKEN}` } })).status).to.equal(200);
    served.child.kill('SIGINT');
    expect(await served.exited).to.equal(0);
    expect(served.stdout() + served.stderr()).to.not.contain(TOKEN);
  });

  it('refuses a token with spaces around it, from $SYNERGY_FLOW_VIEWER_TOKEN or --token, with exit code 2 and without printing it', async () => {
    for (const [args, env] of [
      [['--port', '0'], { SYNERGY_FLOW_VIEWER_TOKEN: `${TOKEN} ` }],
      [['--port', '0', '--token', ` ${TOKEN}`], {}],
    ] as const) {
      const served = start([...args], env);
      expect(await served.exited).to.equal(2);
      expect(served.stderr()).to.contain('token: has spaces or line breaks at its start or end');
      expect(served.stdout() + served.stderr()).to.not.contain(TOKEN);
    }
  });

  it('refuses to bind beyond loopback without a token, a bad port or a port in use, with exit code 2', async () => {
    const open = start(['--port', '0', '--host', '0.0.0.0']);
    expect(await open.exited).to.equal(2);
    // One line: the problem, what to do; no list heading running into the README pointer.
    expect(open.stderr()).to.equal(
      'error: serve() options have a problem: token: binding the viewer to 0.0.0.0 exposes its run buttons to the network; ' +
        'pass a token (serve({ host, token }); on the command line: --token or $SYNERGY_FLOW_VIEWER_TOKEN), or keep the default host 127.0.0.1\n',
    );

    const port = start(['--port', '70000']);
    expect(await port.exited).to.equal(2);
    expect(port.stderr()).to.contain('expected a port number from 0 to 65535');

    const first = start(['--port', '0']);
    const taken = new URL(await urlOf(first)).port;
    const second = start(['--port', taken]);
    expect(await second.exited).to.equal(2);
    expect(second.stderr(), second.stderr()).to.contain(`port ${taken} on 127.0.0.1 is in use`);
  });
});
