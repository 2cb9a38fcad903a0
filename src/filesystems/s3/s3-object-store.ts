import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ClusterError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { abortMultipartUpload } from './s3-multipart-abort';
import { isS3NotFound } from './s3-not-found';
import { copyObject, type CopyLimits } from './s3-object-copier';
import { hasObjects, listLevel, listObjects, type ListedObject } from './s3-object-lister';
import type { S3Location } from './s3-uri';

/** DeleteObjects takes at most this many keys per request. */
export const DELETE_BATCH_SIZE = 1000;
const MIN_UPLOAD_PART_BYTES = 16 * 1024 ** 2;
/** Uploads stay under S3's 10,000-part limit with room to spare. */
const UPLOAD_PARTS_TARGET = 9_000;

/**
 * The S3 requests S3Filesystem is made of, one method each. This module loads the AWS SDK;
 * S3Filesystem requires it only when constructed, so importing the package never loads the SDK.
 */
export class S3ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly copyLimits: CopyLimits,
    private readonly logger: Logger,
  ) {}

  /** The object at a key, or undefined when there is none (or no such bucket). */
  async head(location: S3Location): Promise<{ size: number; modified?: Date } | undefined> {
    if (location.key === '' || location.key.endsWith('/')) return undefined;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
      return { size: head.ContentLength ?? 0, modified: head.LastModified };
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw err;
    }
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (err) {
      if (isS3NotFound(err)) return false;
      throw err;
    }
  }

  hasObjects(bucket: string, prefix: string): Promise<boolean> {
    return hasObjects(this.client, bucket, prefix);
  }

  list(bucket: string, prefix: string): AsyncGenerator<ListedObject> {
    return listObjects(this.client, bucket, prefix);
  }

  listLevel(bucket: string, prefix: string): Promise<{ objects: ListedObject[]; prefixes: string[] }> {
    return listLevel(this.client, bucket, prefix);
  }

  copy(from: S3Location, to: S3Location, size: number | undefined): Promise<void> {
    return copyObject(this.client, from, to, size, this.copyLimits, this.logger);
  }

  /** The zero-byte `prefix/` object the S3 console and EMRFS show as a folder. */
  async putMarker(bucket: string, prefix: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: prefix, Body: '', ContentLength: 0 }));
  }

  async deleteObject(location: S3Location): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: location.key }));
  }

  /** DeleteObjects in batches of DELETE_BATCH_SIZE, while `keys` (possibly a listing) is still being read; returns how many. */
  async deleteKeys(bucket: string, keys: AsyncIterable<string> | Iterable<string>): Promise<number> {
    let batch: string[] = [];
    let count = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      batch = [];
      const out = await this.client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: sent.map((Key) => ({ Key })), Quiet: true } }),
      );
      const errors = out.Errors ?? [];
      if (errors.length > 0) {
        const sample = errors
          .slice(0, 3)
          .map((e) => `${e.Key}: ${e.Code} ${e.Message ?? ''}`.trim())
          .join('; ');
        throw new ClusterError(`S3 refused to delete ${errors.length} of ${sent.length} objects in bucket '${bucket}' (${sample})`, {
          bucket,
          failedKeys: errors.map((e) => e.Key),
        });
      }
    };
    for await (const key of keys) {
      batch.push(key);
      count++;
      if (batch.length >= DELETE_BATCH_SIZE) await flush();
    }
    await flush();
    return count;
  }

  /** Streams one object to disk through a temporary file, so an interrupted download never looks complete. */
  async download(source: S3Location, target: string): Promise<void> {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(4).toString('hex')}.part`;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
      if (!(out.Body instanceof Readable))
        throw new ClusterError(`S3 returned no readable body for s3://${source.bucket}/${source.key}`, {});
      await pipeline(out.Body, createWriteStream(partial));
      await fs.rename(partial, target);
    } catch (err) {
      await fs.rm(partial, { force: true });
      throw err;
    }
  }

  /** lib-storage's Upload: one PutObject for a small file, a parallel multipart upload for a large one. */
  async upload(file: string, size: number, target: S3Location): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: target.bucket, Key: target.key, Body: createReadStream(file) },
      partSize: Math.max(MIN_UPLOAD_PART_BYTES, Math.ceil(size / UPLOAD_PARTS_TARGET)),
      queueSize: 4,
      // Aborted here instead, so that an abort that fails is logged rather than replacing the upload's own error.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (err) {
      if (upload.uploadId) await abortMultipartUpload(this.client, target, upload.uploadId, this.logger);
      throw err;
    }
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }
}
