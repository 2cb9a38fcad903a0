import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { EMRClient, ListClustersCommand } from '@aws-sdk/client-emr';
import { bootstrap, Flow, Main, S3Filesystem, Step, type FlowEvent, type StepContext, type SynergyFlowApp } from '../../../src';
import { setTimeout as delay } from 'node:timers/promises';
import { EmrCluster } from '../../../src/clusters/emr';
import { learnResolvedCredentials } from '../../../src/config/aws-resolved-secrets';
import { databaseText, logFileTexts } from '../../support/persisted-text';
import { FakeEmrEndpoint } from '../../support/fake-emr-endpoint';
import { FakeS3Endpoint } from '../../support/fake-s3-endpoint';

const PROFILE = 'synergy-spec';
const ACCESS_KEY = 'AKIAFROMPROFILE00001';
const SECRET = 'profile/Secret+Key/from-the-file-0001';
const SESSION_TOKEN = 'FwoGZXIvProfileSessionToken/0001+abc==';
const TIMEPERIOD = '2026112600';

@Step({ name: 'report' })
class Report {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand('spark-submit report.py');
  }
}

@Flow({ name: 'profile_flow', steps: [Report] })
class ProfileFlow {}

/** Uses the cluster's S3 client as well as its EMR ones. */
@Step({ name: 'publish' })
class Publish {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.filesystem.mkdir('s3://data/published/');
    await ctx.cluster.runShellCommand('spark-submit publish.py');
  }
}

@Flow({ name: 'publish_flow', steps: [Publish] })
class PublishFlow {}

/** What the quoting step logs and fails with: the keys a user's script resolved, echoed back. */
let quoted = '';

@Step({ name: 'quote' })
class Quote {
  @Main() run(ctx: StepContext) {
    ctx.logger.info(`calling S3 as ${quoted}`);
    throw new Error(`Access denied for ${quoted}`);
  }
}

@Flow({ name: 'quote_flow', steps: [Quote] })
class QuoteFlow {}

/** The variables the SDK's default chain reads; the spec sets its own and puts the machine's back. */
const CHAIN_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
];

/**
 * Makes `synergy-process`, a profile only the config file has, the chain's source: a
 * credential_process that writes a line to a file each time it runs. Its n-th identity has keys
 * ending in n and, when `lifetimes[n - 1]` is given, expires that many seconds after it is issued.
 */
function credentialProcessProfile(dir: string, lifetimes: number[] = []): { runs: () => number } {
  const runs = path.join(dir, 'process-runs');
  const script = path.join(dir, 'credential-process.js');
  fs.writeFileSync(
    script,
    `const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(runs)}, 'run\\n');
const n = fs.readFileSync(${JSON.stringify(runs)}, 'utf8').split('\\n').length - 1;
const lifetime = ${JSON.stringify(lifetimes)}[n - 1];
console.log(JSON.stringify({
  Version: 1,
  AccessKeyId: 'AKIAFROMPROCESS0000' + n,
  SecretAccessKey: 'process/Secret+Key/' + n,
  SessionToken: 'process-session-token-' + n,
  ...(lifetime === undefined ? {} : { Expiration: new Date(Date.now() + lifetime * 1000).toISOString() }),
}));
`,
  );
  fs.writeFileSync(path.join(dir, 'config'), `[profile synergy-process]\ncredential_process = "${process.execPath}" "${script}"\n`);
  Object.assign(process.env, { AWS_PROFILE: 'synergy-process', AWS_CONFIG_FILE: path.join(dir, 'config') });
  return { runs: () => (fs.existsSync(runs) ? fs.readFileSync(runs, 'utf8').trim().split('\n').length : 0) };
}

/** The shared credentials file whose profile the chain finds: an access key id, a secret key and a session token. */
function writeProfile(dir: string, [accessKeyId, secret, sessionToken]: readonly string[]): string {
  const file = path.join(dir, 'credentials');
  fs.writeFileSync(
    file,
    `[${PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\naws_session_token = ${sessionToken}\n`,
  );
  return file;
}

/** Every place an application writes a step's text to: its error, its log, the log files, the events and the database. */
function persistedTexts(dir: string, stepError: string, stepLog: string, events: FlowEvent[]): Record<string, string> {
  return {
    'the step error': stepError,
    'the step log': stepLog,
    'the logs': logFileTexts(path.join(dir, 'logs')).join('\n'),
    'the events': JSON.stringify(events),
    'the database': databaseText(path.join(dir, 'state.db')),
  };
}

/** The access key id a request was signed with. */
const signedBy = (request: { headers: Record<string, unknown> }) =>
  /Credential=(\w+)\//.exec(String(request.headers['authorization']))?.[1];

describe("EMR: credentials the SDK's default chain resolves from a profile are known secrets", () => {
  let fake: FakeEmrEndpoint;
  let s3: FakeS3Endpoint;
  let dir: string;
  let saved: Record<string, string | undefined>;
  let app: SynergyFlowApp | undefined;

  beforeEach(async () => {
    saved = Object.fromEntries(CHAIN_VARIABLES.map((name) => [name, process.env[name]]));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-emr-profile-'));
    const credentialsFile = writeProfile(dir, [ACCESS_KEY, SECRET, SESSION_TOKEN]);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[name];
    Object.assign(process.env, {
      AWS_PROFILE: PROFILE,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    fake = await FakeEmrEndpoint.start();
    s3 = await FakeS3Endpoint.start(['data']);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.close();
    await s3.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });

  it("masks the profile's secret key, session token and access key in the step log, the step's error, the events and the database", async () => {
    fake.stepScript = () => ({
      script: ['RUNNING', 'FAILED'],
      failureDetails: {
        Reason: 'spark-submit failed',
        Message: `Access denied for ${ACCESS_KEY} (secret ${SECRET}, token ${SESSION_TOKEN})`,
      },
    });
    app = await bootstrap({
      flows: [ProfileFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
      // No credentials: the SDK's default chain finds the profile of the shared credentials file.
      cluster: { type: 'emr', count: 1, name: 'profile', region: 'eu-west-1', endpoint: fake.url, pollIntervalMs: 5 },
    });
    const events: FlowEvent[] = [];
    app.events$.subscribe((e) => events.push(e));

    const result = await app.run('profile_flow', { timeperiod: TIMEPERIOD });
    const status = await app.status('profile_flow', TIMEPERIOD);
    await app.close();

    // The requests were signed with the profile's key: the chain, not the environment, gave it.
    expect(fake.requests.length).to.be.greaterThan(0);
    for (const request of fake.requests) expect(request.headers['authorization']).to.include(`Credential=${ACCESS_KEY}/`);
    expect(result.steps.report).to.equal('invalid');
    const stepError = status.steps.find((s) => s.stepName === 'report')?.error ?? '';
    expect(stepError).to.include('Access denied for *** (secret ***, token ***)');
    const stepLog = fs.readFileSync(path.join(dir, 'logs', 'profile_flow', 'report.log'), 'utf8');
    expect(stepLog).to.include('Access denied for *** (secret ***, token ***)');
    for (const [where, text] of Object.entries(persistedTexts(dir, stepError, stepLog, events)))
      for (const secret of [ACCESS_KEY, SECRET, SESSION_TOKEN]) expect(text, `${where} holds ${secret}`).not.to.include(secret);
  });

  it("resolves the default chain once for the cluster's three SDK clients: a credential_process runs once for a launch and a step", async () => {
    const credentialProcess = credentialProcessProfile(dir);
    fake.stepScript = () => ({
      script: ['RUNNING', 'FAILED'],
      failureDetails: { Reason: 'spark-submit failed', Message: 'Access denied for AKIAFROMPROCESS00001 (secret process/Secret+Key/1)' },
    });
    app = await bootstrap({
      flows: [PublishFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
      cluster: { type: 'emr', count: 1, name: 'process', region: 'eu-west-1', endpoint: fake.url, s3Endpoint: s3.url, pollIntervalMs: 5 },
    });
    await app.run('publish_flow', { timeperiod: TIMEPERIOD });
    const status = await app.status('publish_flow', TIMEPERIOD);
    await app.close();

    expect(credentialProcess.runs(), 'credential_process runs').to.equal(1);
    // Each client signed with that one identity: the EMR client, the one for RunJobFlow and S3's.
    expect(fake.requests.map((r) => r.operation)).to.include.members(['RunJobFlow', 'AddJobFlowSteps']);
    expect(s3.requests).not.to.be.empty;
    for (const request of [...fake.requests, ...s3.requests]) expect(signedBy(request)).to.equal('AKIAFROMPROCESS00001');
    // Resolved once, still learnt before a request carried the keys.
    expect(status.steps.find((s) => s.stepName === 'publish')?.error).to.include('Access denied for *** (secret ***)');
  });

  it('refreshes an expiring identity once for the three clients, and learns the new one before it signs', async () => {
    // The first identity is within the SDK's 5-minute refresh window 2 s after it is issued; the next lasts an hour.
    const credentialProcess = credentialProcessProfile(dir, [302, 3600]);
    const learnt: string[] = [];
    const cluster = new EmrCluster(
      { type: 'emr', count: 1, name: 'refresh', region: 'eu-west-1', endpoint: fake.url, s3Endpoint: s3.url, pollIntervalMs: 5 },
      { index: 0, flowName: 'refresh_flow', timeperiod: TIMEPERIOD, learnSecrets: (secrets) => learnt.push(...secrets) },
    );
    try {
      await cluster.launch();
      await cluster.filesystem.mkdir('s3://data/first/');
      await delay(2_100);
      // The chain fetches the next identity in the background; requests carry the first until it has it.
      for (let i = 0; i < 100 && signedBy(s3.requests.at(-1)!) !== 'AKIAFROMPROCESS00002'; i++) {
        await Promise.all([cluster.runShellCommand('echo refresh'), cluster.filesystem.exists('s3://data/first/')]);
        await delay(20);
      }
      await Promise.all([cluster.runShellCommand('echo after'), cluster.filesystem.mkdir('s3://data/after/')]);
    } finally {
      await cluster.terminate();
    }

    expect(credentialProcess.runs(), 'credential_process runs').to.equal(2);
    for (const requests of [fake.requests, s3.requests]) expect(signedBy(requests.at(-1)!)).to.equal('AKIAFROMPROCESS00002');
    expect(learnt).to.include.members(['AKIAFROMPROCESS00002', 'process/Secret+Key/2', 'process-session-token-2']);
  });

  it('learns every identity that signs a request when the provider refreshes it, not only the first', async () => {
    let refreshes = 0;
    // Each identity expires at once, so the SDK asks for a new one before every request.
    const client = new EMRClient({
      region: 'eu-west-1',
      endpoint: fake.url,
      credentials: async () => ({
        accessKeyId: `AKIAREFRESHED0000${++refreshes}`,
        secretAccessKey: `refreshed/Secret+${refreshes}`,
        sessionToken: `refreshed-token-${refreshes}`,
        expiration: new Date(Date.now() - 1000),
      }),
    });
    const learnt: string[] = [];
    learnResolvedCredentials(client, (secrets) => learnt.push(...secrets));
    try {
      await client.send(new ListClustersCommand({}));
      await client.send(new ListClustersCommand({}));
    } finally {
      client.destroy();
    }
    // The identities that signed a request (the SDK may drop one that expired before it was used).
    const used = [...new Set(fake.requests.map((r) => /Credential=AKIAREFRESHED0000(\d+)\//.exec(String(r.headers['authorization']))![1]))];
    expect(used).to.have.length(2);
    for (const n of used) expect(learnt).to.include.members([`AKIAREFRESHED0000${n}`, `refreshed/Secret+${n}`, `refreshed-token-${n}`]);
  });

  /** Runs quote_flow, whose step logs and fails with `quoted`, and gives what the application wrote. */
  async function runQuoteFlow(running: SynergyFlowApp): Promise<Record<string, string>> {
    const events: FlowEvent[] = [];
    running.events$.subscribe((e) => events.push(e));
    await running.run('quote_flow', { timeperiod: TIMEPERIOD });
    const stepError = (await running.status('quote_flow', TIMEPERIOD)).steps.find((s) => s.stepName === 'quote')?.error ?? '';
    await running.close();
    const stepLog = fs.readFileSync(path.join(dir, 'logs', 'quote_flow', 'quote.log'), 'utf8');
    expect(stepError).to.include('Access denied for *** ***');
    expect(stepLog).to.include('calling S3 as *** ***');
    return persistedTexts(dir, stepError, stepLog, events);
  }

  const localApp = () =>
    bootstrap({
      flows: [QuoteFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
    });

  it("masks the keys an S3Filesystem built outside a flow (a user's script) resolved from the profile, in an application bootstrapped after it", async () => {
    const keys = ['AKIASTANDALONES3FS01', 'standalone/S3fs+Secret/0001', 'standalone-s3fs-session-token-0001'];
    writeProfile(dir, keys);
    const filesystem = new S3Filesystem({ region: 'eu-west-1', endpoint: s3.url, forcePathStyle: true });
    try {
      await filesystem.mkdir('s3://data/own-script/');
    } finally {
      filesystem.destroy();
    }
    expect(signedBy(s3.requests.at(-1)!)).to.equal(keys[0]);
    quoted = `${keys[1]} ${keys[2]}`;

    app = await localApp();
    const texts = await runQuoteFlow(app);
    for (const [where, text] of Object.entries(texts))
      for (const secret of keys) expect(text, `${where} holds ${secret}`).not.to.include(secret);
  });

  it('masks the keys an EmrCluster built outside a flow resolved from the profile, in an application bootstrapped before it', async () => {
    const keys = ['AKIASTANDALONEEMR001', 'standalone/Emr+Secret/0001', 'standalone-emr-session-token-0001'];
    writeProfile(dir, keys);
    app = await localApp();
    const cluster = new EmrCluster(
      { type: 'emr', count: 1, name: 'adhoc', region: 'eu-west-1', endpoint: fake.url, s3Endpoint: s3.url, pollIntervalMs: 5 },
      { index: 0, flowName: 'adhoc', timeperiod: TIMEPERIOD },
    );
    try {
      await cluster.launch();
    } finally {
      await cluster.terminate();
    }
    expect(signedBy(fake.requests.at(-1)!)).to.equal(keys[0]);
    quoted = `${keys[0]} ${keys[1]} ${keys[2]}`;

    const texts = await runQuoteFlow(app);
    for (const [where, text] of Object.entries(texts))
      for (const secret of keys) expect(text, `${where} holds ${secret}`).not.to.include(secret);
  });
});
