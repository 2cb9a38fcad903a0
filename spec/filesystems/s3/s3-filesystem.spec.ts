import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { S3Filesystem } from '../../../src/filesystems/s3';
import { ClusterError, PathNotFoundError } from '../../../src/errors';
import { recordingLogger } from '../../support/recording-logger';

const mockS3 = () => mockClient(S3Client);
const notFound = () =>
  new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'Not Found' });
const body = (text: string) => Readable.from([Buffer.from(text)]) as never;

describe('S3Filesystem (aws-sdk-client-mock)', () => {
  // Stubbed in before(), not at load time, so that the stub never reaches specs using the real client.
  let s3: ReturnType<typeof mockS3>;
  let filesystem: S3Filesystem;
  let tmp: string;

  before(() => {
    s3 = mockS3();
  });
  beforeEach(() => {
    s3.reset();
    filesystem = new S3Filesystem(
      new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAS3', secretAccessKey: 's3-secret' } }),
    );
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-s3-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  after(() => s3.restore());

  /** A bucket's listing, answered page by page like S3 does (at most `pageSize` keys, continuation tokens). */
  function listing(keys: string[], pageSize = 1000) {
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; ContinuationToken?: string; MaxKeys?: number }) => {
      const matching = keys.filter((k) => k.startsWith(input.Prefix ?? ''));
      const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
      const size = Math.min(pageSize, input.MaxKeys ?? pageSize);
      const page = matching.slice(start, start + size);
      const more = start + size < matching.length;
      return {
        Contents: page.map((Key) => ({ Key, Size: 3 })),
        KeyCount: page.length,
        IsTruncated: more,
        NextContinuationToken: more ? String(start + size) : undefined,
      };
    });
  }

  describe('mkdir', () => {
    it('writes a zero-byte prefix/ marker', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      s3.on(PutObjectCommand).resolves({});
      await filesystem.mkdir('s3://bucket/a/b');
      await filesystem.mkdir('s3://bucket/c/');
      expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: 'bucket', Key: 'a/b/', Body: '', ContentLength: 0 },
        { Bucket: 'bucket', Key: 'c/', Body: '', ContentLength: 0 },
      ]);
    });
  });

  describe('rmdir', () => {
    it('deletes every object under the prefix across pages, in DeleteObjects batches of 1000', async () => {
      const keys = [...Array.from({ length: 2500 }, (_, i) => `out/part-${String(i).padStart(5, '0')}`), 'outside/keep'];
      listing(keys, 700);
      s3.on(DeleteObjectsCommand).resolves({});

      await filesystem.rmdir('s3://bucket/out');

      const lists = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
      expect(lists.map((i) => i.Prefix)).to.deep.equal(['out/', 'out/', 'out/', 'out/']);
      expect(lists.map((i) => i.ContinuationToken)).to.deep.equal([undefined, '700', '1400', '2100']);
      const batches = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
      expect(batches.map((b) => b.Delete!.Objects!.length)).to.deep.equal([1000, 1000, 500]);
      expect(batches.every((b) => b.Bucket === 'bucket' && b.Delete!.Quiet === true)).to.equal(true);
      const deleted = batches.flatMap((b) => b.Delete!.Objects!.map((o) => o.Key));
      expect(deleted).to.deep.equal(keys.slice(0, 2500));
    });

    it('succeeds on a missing prefix, reports objects S3 refused to delete, and refuses a whole bucket', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      listing([]);
      await filesystem.rmdir('s3://bucket/nothing/');
      expect(s3.commandCalls(DeleteObjectsCommand)).to.have.length(0);

      listing(['x/1', 'x/2']);
      s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'x/2', Code: 'AccessDenied', Message: 'Access Denied' }] });
      const err = await filesystem.rmdir('s3://bucket/x').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message).to.include('x/2: AccessDenied');

      const whole = await filesystem.rmdir('s3://bucket/').catch((e: unknown) => e);
      expect(whole).to.be.instanceOf(ClusterError);
      expect((whole as Error).message).to.include('whole bucket');
    });
  });

  describe('rm', () => {
    it('deletes one object', async () => {
      s3.on(HeadObjectCommand).resolves({ ContentLength: 1 });
      s3.on(DeleteObjectCommand).resolves({});
      await filesystem.rm('s3://bucket/dir/file.csv');
      expect(s3.commandCalls(DeleteObjectCommand)[0].args[0].input).to.deep.equal({ Bucket: 'bucket', Key: 'dir/file.csv' });
    });
  });

  describe('cp and mv', () => {
    it('copies one object server-side, URL-encoding the source key', async () => {
      s3.on(HeadObjectCommand).resolves({ ContentLength: 10 });
      listing([]);
      s3.on(CopyObjectCommand).resolves({});
      await filesystem.cp('s3://src/in/a b+c.csv', 's3://dst/out/a.csv');
      await filesystem.cp('s3://src/in/x.csv', 's3://dst/dir/');
      expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).to.deep.equal([
        { Bucket: 'dst', Key: 'out/a.csv', CopySource: 'src/in/a%20b%2Bc.csv' },
        { Bucket: 'dst', Key: 'dir/x.csv', CopySource: 'src/in/x.csv' },
      ]);
    });

    it('copies every object of a prefix to the same relative keys', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      listing(['in/', 'in/a', 'in/sub/b', 'other/c']);
      s3.on(CopyObjectCommand).resolves({});
      await filesystem.cp('s3://src/in', 's3://dst/backup/in');
      const copies = s3.commandCalls(CopyObjectCommand).map((c) => [c.args[0].input.CopySource, c.args[0].input.Key]);
      expect(copies).to.have.deep.members([
        ['src/in/', 'backup/in/'],
        ['src/in/a', 'backup/in/a'],
        ['src/in/sub/b', 'backup/in/sub/b'],
      ]);
    });

    it('copies an object larger than CopyObject allows part by part, and aborts the upload when a part fails', async () => {
      const big = new S3Filesystem(new S3Client({ region: 'us-east-1' }), { copy: { multipartThresholdBytes: 100, partSizeBytes: 40 } });
      s3.on(HeadObjectCommand).resolves({ ContentLength: 100 + 1, ContentType: 'text/csv', Metadata: { owner: 'etl' } });
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
      s3.on(UploadPartCopyCommand).callsFake((input: { PartNumber: number }) => ({
        CopyPartResult: { ETag: `"etag-${input.PartNumber}"` },
      }));
      s3.on(CompleteMultipartUploadCommand).resolves({});
      listing([]);

      await big.cp('s3://src/huge.csv', 's3://dst/huge.csv');

      expect(s3.commandCalls(CopyObjectCommand)).to.have.length(0);
      expect(s3.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).to.deep.equal({
        Bucket: 'dst',
        Key: 'huge.csv',
        ContentType: 'text/csv',
        Metadata: { owner: 'etl' },
      });
      const ranges = s3.commandCalls(UploadPartCopyCommand).map((c) => [c.args[0].input.PartNumber, c.args[0].input.CopySourceRange]);
      expect(ranges).to.have.deep.members([
        [1, 'bytes=0-39'],
        [2, 'bytes=40-79'],
        [3, 'bytes=80-100'],
      ]);
      expect(s3.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input.MultipartUpload!.Parts).to.deep.equal([
        { PartNumber: 1, ETag: '"etag-1"' },
        { PartNumber: 2, ETag: '"etag-2"' },
        { PartNumber: 3, ETag: '"etag-3"' },
      ]);

      s3.on(UploadPartCopyCommand).rejects(new Error('SlowDown'));
      s3.on(AbortMultipartUploadCommand).resolves({});
      expect(await big.cp('s3://src/huge.csv', 's3://dst/huge2.csv').catch((e: unknown) => e)).to.be.instanceOf(ClusterError);
      expect(s3.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).to.deep.equal({
        Bucket: 'dst',
        Key: 'huge2.csv',
        UploadId: 'up-1',
      });
    });

    describe('a failed AbortMultipartUpload (parts left billed)', () => {
      const denied = () =>
        new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
      const credentials = { accessKeyId: 'AKIAS3ABORT', secretAccessKey: 's3-abort-secret' };

      it('is logged with the upload id and the bucket/key after a failed multipart copy, never the credentials', async () => {
        const logger = recordingLogger();
        const big = new S3Filesystem(new S3Client({ region: 'us-east-1', credentials }), {
          copy: { multipartThresholdBytes: 100, partSizeBytes: 40 },
          logger,
        });
        s3.on(HeadObjectCommand).resolves({ ContentLength: 101 });
        listing([]);
        s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-copy-7' });
        s3.on(UploadPartCopyCommand).rejects(new Error('SlowDown'));
        s3.on(AbortMultipartUploadCommand).rejects(denied());

        const err = await big.cp('s3://src/huge.csv', 's3://dst/out/huge.csv').catch((e: unknown) => e);

        expect(err).to.be.instanceOf(ClusterError);
        expect((err as Error).message).to.include('SlowDown');
        expect(logger.lines).to.have.length(1);
        expect(logger.lines[0])
          .to.match(/^WARN /)
          .and.include('up-copy-7')
          .and.include("bucket 'dst', key 'out/huge.csv'")
          .and.include('AccessDenied');
        expect(logger.text()).not.to.include(credentials.secretAccessKey).and.not.include(credentials.accessKeyId);
      });

      it('is logged after a failed multipart upload from the local disk', async () => {
        const logger = recordingLogger();
        const fsys = new S3Filesystem(new S3Client({ region: 'us-east-1', credentials }), { logger });
        const file = path.join(tmp, 'big.bin');
        // Sparse: lib-storage splits anything above 16 MiB into parts, without 16 MiB on disk.
        fs.writeFileSync(file, '');
        fs.truncateSync(file, 16 * 1024 ** 2 + 1);
        listing([]);
        s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-upload-9' });
        s3.on(UploadPartCommand).rejects(new Error('RequestTimeout'));
        s3.on(AbortMultipartUploadCommand).rejects(denied());

        const err = await fsys.copyFromLocal(file, 's3://dst/in/big.bin').catch((e: unknown) => e);

        expect(err).to.be.instanceOf(ClusterError);
        expect((err as Error).message).to.include('RequestTimeout');
        expect(logger.lines).to.have.length(1);
        expect(logger.lines[0])
          .to.match(/^WARN /)
          .and.include('up-upload-9')
          .and.include("bucket 'dst', key 'in/big.bin'");
        expect(logger.text()).not.to.include(credentials.secretAccessKey).and.not.include(credentials.accessKeyId);
      });
    });

    it('fails with the URI when there is nothing to copy', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      listing([]);
      const err = await filesystem.cp('s3://src/missing', 's3://dst/x').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(PathNotFoundError);
      expect((err as Error).message).to.include("nothing at 's3://src/missing'");
    });

    it('mv copies then deletes an object, and a prefix only after every copy succeeded', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      s3.on(HeadObjectCommand, { Key: 'one.csv' }).resolves({ ContentLength: 1 });
      s3.on(HeadObjectCommand, { Key: 'dir' }).rejects(notFound());
      s3.on(CopyObjectCommand).resolves({});
      s3.on(DeleteObjectCommand).resolves({});
      s3.on(DeleteObjectsCommand).resolves({});
      listing(['dir/a', 'dir/b']);

      await filesystem.mv('s3://b/one.csv', 's3://b/moved.csv');
      const order = s3.calls().map((c) => c.args[0].constructor.name);
      // The listing checks that no folder 'moved.csv/' is in the way.
      expect(order).to.deep.equal(['HeadObjectCommand', 'ListObjectsV2Command', 'CopyObjectCommand', 'DeleteObjectCommand']);
      expect(s3.commandCalls(DeleteObjectCommand)[0].args[0].input).to.deep.equal({ Bucket: 'b', Key: 'one.csv' });

      s3.resetHistory();
      await filesystem.mv('s3://b/dir', 's3://b/moved');
      expect(s3.commandCalls(CopyObjectCommand).map((c) => c.args[0].input.Key)).to.have.members(['moved/a', 'moved/b']);
      expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete!.Objects).to.deep.equal([{ Key: 'dir/a' }, { Key: 'dir/b' }]);

      s3.resetHistory();
      s3.on(CopyObjectCommand).rejects(new Error('AccessDenied'));
      expect(await filesystem.mv('s3://b/dir', 's3://b/moved').catch((e: unknown) => e)).to.be.instanceOf(ClusterError);
      expect(s3.commandCalls(DeleteObjectsCommand)).to.have.length(0);
    });
  });

  describe('copyToLocal', () => {
    it('streams one object to a file', async () => {
      s3.on(HeadObjectCommand).resolves({ ContentLength: 5 });
      s3.on(GetObjectCommand).resolves({ Body: body('hello') });
      const target = path.join(tmp, 'deep', 'out.txt');
      await filesystem.copyToLocal('s3://b/in.txt', target);
      expect(fs.readFileSync(target, 'utf8')).to.equal('hello');
      expect(fs.readdirSync(path.dirname(target))).to.deep.equal(['out.txt']);
    });

    it('copies a prefix into a directory, markers as directories', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      listing(['out/', 'out/part-0', 'out/sub/', 'out/sub/part-1']);
      s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({ Body: body(`content of ${input.Key}`) }));
      await filesystem.copyToLocal('s3://b/out', path.join(tmp, 'out'));
      expect(fs.readFileSync(path.join(tmp, 'out', 'part-0'), 'utf8')).to.equal('content of out/part-0');
      expect(fs.readFileSync(path.join(tmp, 'out', 'sub', 'part-1'), 'utf8')).to.equal('content of out/sub/part-1');
    });

    it('refuses a key that would write outside the target directory, and leaves no partial file on a failed download', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      listing(['out/../../escape']);
      const err = await filesystem.copyToLocal('s3://b/out', path.join(tmp, 'out')).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message).to.include('outside');
      expect(fs.existsSync(path.join(tmp, '..', 'escape'))).to.equal(false);

      s3.reset();
      s3.on(HeadObjectCommand).resolves({ ContentLength: 5 });
      const failing = new Readable({
        read() {
          this.destroy(new Error('connection reset'));
        },
      });
      s3.on(GetObjectCommand).resolves({ Body: failing as never });
      expect(await filesystem.copyToLocal('s3://b/in.txt', path.join(tmp, 'x.txt')).catch((e: unknown) => e)).to.be.instanceOf(
        ClusterError,
      );
      expect(fs.readdirSync(tmp)).to.deep.equal([]);
    });
  });

  describe('copyFromLocal', () => {
    it('uploads a file (lib-storage Upload), into a directory when the URI ends with /', async () => {
      s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
      listing([]);
      const file = path.join(tmp, 'data.csv');
      fs.writeFileSync(file, 'a,b\n1,2\n');
      await filesystem.copyFromLocal(file, 's3://b/in/data-2026.csv');
      await filesystem.copyFromLocal(file, 's3://b/in/');
      const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
      expect(puts.map((p) => [p.Bucket, p.Key])).to.deep.equal([
        ['b', 'in/data-2026.csv'],
        ['b', 'in/data.csv'],
      ]);
      expect(Buffer.from(puts[0].Body as Uint8Array).toString()).to.equal('a,b\n1,2\n');
    });

    it('uploads a directory tree with relative keys, empty directories as markers', async () => {
      s3.on(HeadObjectCommand).rejects(notFound());
      s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
      fs.mkdirSync(path.join(tmp, 'tree', 'sub', 'empty'), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'tree', 'a.txt'), 'A');
      fs.writeFileSync(path.join(tmp, 'tree', 'sub', 'b.txt'), 'B');
      await filesystem.copyFromLocal(path.join(tmp, 'tree'), 's3://b/up');
      const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
      expect(keys).to.have.members(['up/a.txt', 'up/sub/b.txt', 'up/sub/empty/']);
    });

    it('fails with the path when the local file does not exist', async () => {
      const err = await filesystem.copyFromLocal(path.join(tmp, 'nope'), 's3://b/x').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(PathNotFoundError);
      expect((err as Error).message).to.include(path.join(tmp, 'nope'));
    });
  });

  describe('exists', () => {
    it('is true for an object, a prefix with objects, and an existing bucket; false otherwise', async () => {
      // The catch-all first: aws-sdk-client-mock lets a later, more specific behaviour win.
      s3.on(HeadObjectCommand).rejects(notFound());
      s3.on(HeadObjectCommand, { Key: 'file' }).resolves({ ContentLength: 1 });
      s3.on(HeadBucketCommand).rejects(notFound());
      s3.on(HeadBucketCommand, { Bucket: 'b' }).resolves({});
      listing(['dir/x']);

      expect(await filesystem.exists('s3://b/file')).to.equal(true);
      expect(await filesystem.exists('s3://b/dir')).to.equal(true);
      expect(await filesystem.exists('s3://b/dir/')).to.equal(true);
      expect(await filesystem.exists('s3://b/di')).to.equal(false);
      expect(await filesystem.exists('s3://b/missing')).to.equal(false);
      expect(await filesystem.exists('s3://b')).to.equal(true);
      expect(await filesystem.exists('s3://other/')).to.equal(false);
      expect(s3.commandCalls(ListObjectsV2Command).every((c) => c.args[0].input.MaxKeys === 1)).to.equal(true);
    });

    it('reports other errors (e.g. access denied) instead of answering false', async () => {
      s3.on(HeadObjectCommand).rejects(
        new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Forbidden' }),
      );
      const err = await filesystem.exists('s3://b/file').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message)
        .to.include('s3://b/file')
        .and.include('Forbidden');
    });
  });

  it('rejects URIs that are not S3 with the expected form', async () => {
    const err = await filesystem.mkdir('/tmp/x').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TypeError);
    expect((err as Error).message).to.include('s3://bucket/key');
  });

  it('shows no client configuration (credentials) when inspected or serialised', () => {
    expect(inspect(filesystem, { depth: 10, showHidden: true })).not.to.include('s3-secret');
    expect(JSON.stringify(filesystem)).not.to.include('s3-secret');
  });
});
