import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inspect } from 'node:util';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ClusterError } from '../../errors';
import type { Filesystem } from '../filesystem';
import { forEachConcurrently } from './bounded-concurrency';
import { walkLocalTree } from './local-tree';
import { buildS3ClientConfig, type AwsCredentials, type S3Settings } from './s3-client-config';
import { isS3NotFound } from './s3-not-found';
import { copyObject, DEFAULT_COPY_LIMITS, type CopyLimits } from './s3-object-copier';
import { hasObjects, listObjects } from './s3-object-lister';
import { asPrefix, parseS3Uri, type S3Location } from './s3-uri';

/** DeleteObjects takes at most this many keys per request. */
export const DELETE_BATCH_SIZE = 1000;
const TRANSFER_CONCURRENCY = 8;
const MIN_UPLOAD_PART_BYTES = 16 * 1024 ** 2;
/** Uploads stay under S3's 10,000-part limit with room to spare. */
const UPLOAD_PARTS_TARGET = 9_000;

export interface S3FilesystemTuning {
  copy?: Partial<CopyLimits>;
}

/**
 * EMR's filesystem: `s3://bucket/key` URIs (s3a:// and s3n:// accepted). A "directory" is a key
 * prefix ending in '/', and mkdir writes the zero-byte `prefix/` marker the S3 console and EMRFS
 * show as a folder. A URI ending in '/' as the target of cp or copyFromLocal means "into this
 * directory", keeping the source's base name.
 */
export class S3Filesystem implements Filesystem {
  private readonly copyLimits: CopyLimits;

  constructor(
    private readonly client: S3Client,
    tuning: S3FilesystemTuning = {},
  ) {
    this.copyLimits = { ...DEFAULT_COPY_LIMITS, ...tuning.copy };
  }

  /** A filesystem with its own client. Credentials go to the client only; this object never holds them. */
  static create(settings: S3Settings, credentials?: AwsCredentials, tuning?: S3FilesystemTuning): S3Filesystem {
    return new S3Filesystem(new S3Client(buildS3ClientConfig(settings, credentials)), tuning);
  }

  mkdir(uri: string): Promise<void> {
    return this.wrap('mkdir', uri, async () => {
      const { bucket, key } = parseS3Uri(uri);
      if (asPrefix(key) === '') return; // the bucket itself: nothing to create
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: asPrefix(key), Body: '', ContentLength: 0 }));
    });
  }

  rmdir(uri: string): Promise<void> {
    return this.wrap('rmdir', uri, async () => {
      const { bucket, key } = parseS3Uri(uri);
      const prefix = asPrefix(key);
      if (prefix === '') {
        throw new ClusterError(`refusing to rmdir '${uri}': it is a whole bucket; remove a prefix under it instead`, { uri });
      }
      await this.deleteAll(bucket, listObjects(this.client, bucket, prefix));
    });
  }

  rm(uri: string): Promise<void> {
    return this.wrap('rm', uri, async () => {
      const { bucket, key } = parseS3Uri(uri);
      if (key === '') throw new ClusterError(`cannot rm '${uri}': it names a bucket, not an object`, { uri });
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    });
  }

  cp(from: string, to: string): Promise<void> {
    return this.wrap('cp', `${from} -> ${to}`, async () => {
      const source = parseS3Uri(from);
      const target = parseS3Uri(to);
      const object = await this.headObject(source);
      if (object) {
        await copyObject(this.client, source, intoDirectory(target, source.key), object.size, this.copyLimits);
        return;
      }
      const copied = await this.copyPrefix(source, target);
      if (copied === 0) throw nothingAt(from);
    });
  }

  mv(from: string, to: string): Promise<void> {
    return this.wrap('mv', `${from} -> ${to}`, async () => {
      const source = parseS3Uri(from);
      const target = parseS3Uri(to);
      // S3 has no rename: copy everything, and delete the source only once every copy succeeded.
      const object = await this.headObject(source);
      if (object) {
        await copyObject(this.client, source, intoDirectory(target, source.key), object.size, this.copyLimits);
        await this.client.send(new DeleteObjectCommand({ Bucket: source.bucket, Key: source.key }));
        return;
      }
      const copied = await this.copyPrefix(source, target);
      if (copied === 0) throw nothingAt(from);
      await this.deleteAll(source.bucket, listObjects(this.client, source.bucket, asPrefix(source.key)));
    });
  }

  copyToLocal(uri: string, localPath: string): Promise<void> {
    return this.wrap('copyToLocal', `${uri} -> ${localPath}`, async () => {
      const source = parseS3Uri(uri);
      if (await this.headObject(source)) {
        await this.download(source, localPath);
        return;
      }
      const prefix = asPrefix(source.key);
      const root = path.resolve(localPath);
      let found = 0;
      await fs.mkdir(root, { recursive: true });
      await forEachConcurrently(listObjects(this.client, source.bucket, prefix), TRANSFER_CONCURRENCY, async (object) => {
        found++;
        const relative = object.Key.slice(prefix.length);
        const target = path.resolve(root, relative);
        // A key like 'a/../../x' must not write outside the target directory.
        if (target !== root && !target.startsWith(root + path.sep)) {
          throw new ClusterError(`refusing to copy '${object.Key}' from ${uri}: its key points outside ${root}`, { uri, key: object.Key });
        }
        if (object.Key.endsWith('/')) await fs.mkdir(target, { recursive: true });
        else await this.download({ bucket: source.bucket, key: object.Key }, target);
      });
      if (found === 0) throw nothingAt(uri);
    });
  }

  copyFromLocal(localPath: string, uri: string): Promise<void> {
    return this.wrap('copyFromLocal', `${localPath} -> ${uri}`, async () => {
      const target = parseS3Uri(uri);
      const stat = await fs.stat(localPath);
      if (stat.isFile()) {
        await this.upload(localPath, stat.size, intoDirectory(target, path.basename(localPath)));
        return;
      }
      const prefix = asPrefix(target.key);
      await forEachConcurrently(walkLocalTree(localPath), TRANSFER_CONCURRENCY, async (entry) => {
        if (entry.kind === 'empty-directory') {
          await this.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: `${prefix}${entry.relative}/`, Body: '', ContentLength: 0 }));
        } else {
          const { size } = await fs.stat(entry.absolute);
          await this.upload(entry.absolute, size, { bucket: target.bucket, key: `${prefix}${entry.relative}` });
        }
      });
    });
  }

  exists(uri: string): Promise<boolean> {
    return this.wrap('exists', uri, async () => {
      const location = parseS3Uri(uri);
      if (location.key === '') {
        try {
          await this.client.send(new HeadBucketCommand({ Bucket: location.bucket }));
          return true;
        } catch (err) {
          if (isS3NotFound(err)) return false;
          throw err;
        }
      }
      if (!location.key.endsWith('/') && (await this.headObject(location))) return true;
      return hasObjects(this.client, location.bucket, asPrefix(location.key));
    });
  }

  /** Closes the client's connections; the filesystem is unusable afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  toJSON(): { type: 's3' } {
    return { type: 's3' };
  }

  [inspect.custom](): string {
    return 'S3Filesystem {}';
  }

  private async headObject(location: S3Location): Promise<{ size: number } | undefined> {
    if (location.key === '' || location.key.endsWith('/')) return undefined;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
      return { size: head.ContentLength ?? 0 };
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw err;
    }
  }

  private async copyPrefix(source: S3Location, target: S3Location): Promise<number> {
    const fromPrefix = asPrefix(source.key);
    const toPrefix = asPrefix(target.key);
    let copied = 0;
    await forEachConcurrently(listObjects(this.client, source.bucket, fromPrefix), TRANSFER_CONCURRENCY, async (object) => {
      copied++;
      const key = `${toPrefix}${object.Key.slice(fromPrefix.length)}`;
      await copyObject(this.client, { bucket: source.bucket, key: object.Key }, { bucket: target.bucket, key }, object.Size, this.copyLimits);
    });
    return copied;
  }

  /** DeleteObjects in batches of DELETE_BATCH_SIZE while the listing is still being read. */
  private async deleteAll(bucket: string, objects: AsyncIterable<{ Key: string }>): Promise<void> {
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      const out = await this.client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      );
      const errors = out.Errors ?? [];
      if (errors.length > 0) {
        const sample = errors
          .slice(0, 3)
          .map((e) => `${e.Key}: ${e.Code} ${e.Message ?? ''}`.trim())
          .join('; ');
        throw new ClusterError(`S3 refused to delete ${errors.length} of ${keys.length} objects in bucket '${bucket}' (${sample})`, {
          bucket,
          failedKeys: errors.map((e) => e.Key),
        });
      }
    };
    for await (const object of objects) {
      batch.push(object.Key);
      if (batch.length >= DELETE_BATCH_SIZE) await flush();
    }
    await flush();
  }

  /** Streams one object to disk through a temporary file, so an interrupted download never looks complete. */
  private async download(source: S3Location, target: string): Promise<void> {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
      if (!(out.Body instanceof Readable)) throw new ClusterError(`S3 returned no readable body for s3://${source.bucket}/${source.key}`, {});
      await pipeline(out.Body, createWriteStream(partial));
      await fs.rename(partial, target);
    } catch (err) {
      await fs.rm(partial, { force: true });
      throw err;
    }
  }

  /** lib-storage's Upload: one PutObject for a small file, a parallel multipart upload for a large one. */
  private async upload(file: string, size: number, target: S3Location): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: target.bucket, Key: target.key, Body: createReadStream(file) },
      partSize: Math.max(MIN_UPLOAD_PART_BYTES, Math.ceil(size / UPLOAD_PARTS_TARGET)),
      queueSize: 4,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  /** Gives every failure the operation and the URI; errors that already say it pass through. */
  private async wrap<T>(operation: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ClusterError || err instanceof TypeError) throw err;
      const e = err as { name?: string; message?: string; code?: string };
      throw new ClusterError(`S3 ${operation} ${what} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, { operation, uri: what, code: e.code ?? e.name }, { cause: err });
    }
  }
}

/** A target ending in '/' is a directory: the object keeps its base name inside it. */
function intoDirectory(target: S3Location, sourceName: string): S3Location {
  if (target.key !== '' && !target.key.endsWith('/')) return target;
  return { bucket: target.bucket, key: `${asPrefix(target.key)}${path.posix.basename(sourceName)}` };
}

function nothingAt(uri: string): ClusterError {
  return new ClusterError(`nothing at ${uri}: no object with that key and no objects under that prefix; check the URI`, { uri });
}
