import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { S3Filesystem } from '../../../src/filesystems/s3';
import { FakeS3Endpoint } from '../../support/fake-s3-endpoint';

const ACCESS_KEY = 'AKIAS3WIRE0000000001';
const SECRET = 's3/wire+secret/never-sent-0001';

describe('S3Filesystem (real SDK client, fake S3 endpoint on 127.0.0.1)', () => {
  let fake: FakeS3Endpoint;
  let filesystem: S3Filesystem;
  let tmp: string;

  beforeEach(async () => {
    fake = await FakeS3Endpoint.start(['data', 'archive']);
    filesystem = new S3Filesystem({
      region: 'us-east-1',
      endpoint: fake.url,
      forcePathStyle: true,
      maxAttempts: 2,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-s3-wire-'));
  });
  afterEach(async () => {
    filesystem.destroy();
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('round-trips a directory: copyFromLocal, exists, cp, mv, copyToLocal, rm, rmdir', async () => {
    fs.mkdirSync(path.join(tmp, 'src', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'src', 'a.csv'), 'id,name\n1,ada\n');
    fs.writeFileSync(path.join(tmp, 'src', 'nested', 'b with space.txt'), 'B');

    await filesystem.mkdir('s3://data/run/2026112600');
    await filesystem.copyFromLocal(path.join(tmp, 'src'), 's3://data/run/2026112600/input');
    expect(fake.keys('data')).to.deep.equal([
      'run/2026112600/',
      'run/2026112600/input/a.csv',
      'run/2026112600/input/nested/b with space.txt',
    ]);
    expect(fake.text('data', 'run/2026112600/input/a.csv')).to.equal('id,name\n1,ada\n');

    expect(await filesystem.exists('s3://data/run/2026112600/input')).to.equal(true);
    expect(await filesystem.exists('s3://data/run/2026112600/input/a.csv')).to.equal(true);
    expect(await filesystem.exists('s3://data/run/2026112600/output')).to.equal(false);
    expect(await filesystem.exists('s3://nobucket/')).to.equal(false);

    await filesystem.cp('s3://data/run/2026112600/input', 's3://archive/2026112600');
    expect(fake.keys('archive')).to.deep.equal(['2026112600/a.csv', '2026112600/nested/b with space.txt']);
    await filesystem.mv('s3://archive/2026112600/nested/b with space.txt', 's3://archive/moved.txt');
    expect(fake.keys('archive')).to.deep.equal(['2026112600/a.csv', 'moved.txt']);
    expect(fake.text('archive', 'moved.txt')).to.equal('B');

    await filesystem.copyToLocal('s3://data/run/2026112600/input', path.join(tmp, 'back'));
    expect(fs.readFileSync(path.join(tmp, 'back', 'nested', 'b with space.txt'), 'utf8')).to.equal('B');
    await filesystem.copyToLocal('s3://archive/moved.txt', path.join(tmp, 'one.txt'));
    expect(fs.readFileSync(path.join(tmp, 'one.txt'), 'utf8')).to.equal('B');

    await filesystem.rm('s3://archive/moved.txt');
    await filesystem.rmdir('s3://data/run');
    expect(fake.keys('archive')).to.deep.equal(['2026112600/a.csv']);
    expect(fake.keys('data')).to.deep.equal([]);

    for (const request of fake.requests) {
      expect(request.headers['authorization']).to.match(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/us-east-1/s3/aws4_request, `),
      );
      expect(JSON.stringify(request.headers)).not.to.include(SECRET);
    }
  });

  it('removes a prefix of 2,500 objects: paged listing, DeleteObjects of at most 1,000 keys', async () => {
    const bucket = fake.buckets.get('data')!;
    for (let i = 0; i < 2500; i++) bucket.set(`big/part-${String(i).padStart(5, '0')}`, Buffer.from('x'));
    bucket.set('bigger/keep', Buffer.from('k'));

    await filesystem.rmdir('s3://data/big/');

    expect(fake.keys('data')).to.deep.equal(['bigger/keep']);
    const deletes = fake.requests.filter((r) => r.method === 'POST' && r.query.has('delete'));
    expect(deletes).to.have.length(3);
    const lists = fake.requests.filter((r) => r.query.get('list-type') === '2');
    const after = (token: string | null) => (token === null ? null : Buffer.from(token, 'base64url').toString());
    expect(lists.map((r) => after(r.query.get('continuation-token')))).to.deep.equal([null, 'big/part-00999', 'big/part-01999']);
  });

  it('a call S3 throttles past the retries fails with SlowDown named, throttled: true and what to do, a bodiless HEAD included', async () => {
    fake.throttled = true;
    for (const [operation, call] of [
      ['stat', () => filesystem.stat('s3://data/k')],
      ['rm', () => filesystem.rm('s3://data/k')],
      ['list', () => filesystem.list('s3://data/')],
    ] as const) {
      const err = await (call as () => Promise<unknown>)().then(
        () => expect.fail(`${operation} succeeded`),
        (e: unknown) => e as Error & { details: Record<string, unknown> },
      );
      expect(err.message).to.match(
        new RegExp(`^S3 ${operation} s3://data/k? ?failed: SlowDown: .*\\(after 2 attempts\\); S3 throttled the requests`),
      );
      expect(err.message).not.to.match(/Unknown/);
      expect(err.details).to.deep.include({ code: 'SlowDown', status: 503, throttled: true });
    }
  });
});
