import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { FakeEmrEndpoint } from '../../support/fake-emr-endpoint';
import { FakeS3Endpoint } from '../../support/fake-s3-endpoint';

/** Runs `node dist/samples/emr/main.js` exactly as a user would, but against the fake EMR and S3 endpoints. */
describe('the EMR sample (samples/emr, against fake endpoints)', () => {
  let emr: FakeEmrEndpoint;
  let s3: FakeS3Endpoint;
  let dir: string;

  beforeEach(async () => {
    emr = await FakeEmrEndpoint.start();
    s3 = await FakeS3Endpoint.start(['sample-bucket']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-emr-sample-'));
  });
  afterEach(async () => {
    await emr.close();
    await s3.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(emr.modelViolations).to.deep.equal([]);
  });

  function runSample(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const main = path.resolve(__dirname, '../../../samples/emr/main.js');
    const child = spawn(process.execPath, [main, '2026112600'], {
      cwd: dir,
      // Only what the sample needs: no real AWS profile, region or credentials can leak in.
      env: {
        PATH: process.env.PATH ?? '',
        AWS_CONFIG_FILE: path.join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('stages to S3, runs Spark, Pig and a command on 2 clusters, fetches the result, and terminates the clusters', async () => {
    emr.stepScript = (step) => {
      // What Pig would write on a real cluster.
      if (step.args[0] === 'pig-script')
        s3.buckets.get('sample-bucket')!.set('demo/2026112600/top/part-r-00000', Buffer.from('better,8\nis,10\n'));
      return { script: ['RUNNING', 'COMPLETED'] };
    };

    const { code, stdout, stderr } = await runSample({
      SYNERGY_EMR_REGION: 'us-west-2',
      SYNERGY_S3_BUCKET: 'sample-bucket',
      SYNERGY_S3_PREFIX: 'demo',
      SYNERGY_EMR_NAME: 'sample',
      SYNERGY_EMR_ENDPOINT: emr.url,
      SYNERGY_S3_ENDPOINT: s3.url,
      SYNERGY_EMR_POLL_INTERVAL_MS: '5',
      AWS_ACCESS_KEY_ID: 'AKIASAMPLE0000000001',
      AWS_SECRET_ACCESS_KEY: 'sample/secret/from-the-default-chain',
    });

    expect(code, `${stdout}\n${stderr}`).to.equal(0);
    expect(stdout).to.include('emr_word_count 2026112600: processed');
    expect(s3.keys('sample-bucket')).to.include.members([
      'demo/2026112600/',
      'demo/2026112600/code/word_count.py',
      'demo/2026112600/code/top_words.pig',
      'demo/2026112600/input/zen.txt',
    ]);
    const kinds = emr.steps().map((s) => s.args[0]);
    expect(kinds).to.have.members(['aws', 'spark-submit', 'pig-script']);
    const pig = emr.steps().find((s) => s.args[0] === 'pig-script')!;
    expect(pig.args).to.deep.equal([
      'pig-script',
      '--run-pig-script',
      '--args',
      '-f',
      's3://sample-bucket/demo/2026112600/code/top_words.pig',
      '-p',
      'INPUT=s3://sample-bucket/demo/2026112600/counts',
      '-p',
      'OUTPUT=s3://sample-bucket/demo/2026112600/top',
    ]);
    expect([...emr.clusters.values()].map((c) => [c.name, c.state]).sort()).to.deep.equal([
      ['sample-1', 'TERMINATED'],
      ['sample-2', 'TERMINATED'],
    ]);
    expect([...emr.clusters.values()][0].request.LogUri).to.equal('s3://sample-bucket/demo/emr-logs/');
    expect(fs.readFileSync(path.join(dir, 'emr-sample-results', '2026112600', 'part-r-00000'), 'utf8')).to.equal('better,8\nis,10\n');
    expect(emr.requests[0].headers['authorization']).to.match(
      /^AWS4-HMAC-SHA256 Credential=AKIASAMPLE0000000001\/\d{8}\/us-west-2\/elasticmapreduce\//,
    );
  });

  it('tells the user which variables to set, and exits 2', async () => {
    const { code, stderr } = await runSample({});
    expect(code).to.equal(2);
    expect(stderr).to.include('SYNERGY_EMR_REGION').and.include('SYNERGY_S3_BUCKET');
  });
});
