import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Logger } from '../../logging/logger';
import { forEachConcurrently } from './bounded-concurrency';
import { abortMultipartUpload } from './s3-multipart-abort';
import { copySource, type S3Location } from './s3-uri';

/** CopyObject's limit: anything larger must be copied part by part. */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;
const PART_COPY_CONCURRENCY = 4;

export interface CopyLimits {
  /** Objects above this size are copied with a multipart upload. */
  multipartThresholdBytes: number;
  partSizeBytes: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { multipartThresholdBytes: COPY_OBJECT_MAX_BYTES, partSizeBytes: 512 * 1024 ** 2 };

/** Server-side copy of one object, multipart when it is too large for CopyObject. `size` saves a HeadObject when a listing gave it. */
export async function copyObject(
  client: S3Client,
  from: S3Location,
  to: S3Location,
  size: number | undefined,
  limits: CopyLimits,
  logger: Logger,
): Promise<void> {
  if (size !== undefined && size <= limits.multipartThresholdBytes) {
    await client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from) }));
    return;
  }
  const head = await client.send(new HeadObjectCommand({ Bucket: from.bucket, Key: from.key }));
  const length = head.ContentLength ?? 0;
  if (length <= limits.multipartThresholdBytes) {
    await client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from) }));
    return;
  }
  await multipartCopy(client, from, to, length, head, limits, logger);
}

async function multipartCopy(
  client: S3Client,
  from: S3Location,
  to: S3Location,
  length: number,
  head: { ContentType?: string; Metadata?: Record<string, string> },
  limits: CopyLimits,
  logger: Logger,
): Promise<void> {
  // CopyObject keeps type and metadata by itself; a multipart upload must be told them.
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, ContentType: head.ContentType, Metadata: head.Metadata }),
  );
  const partSize = Math.max(limits.partSizeBytes, Math.ceil(length / MAX_PARTS));
  const ranges = Array.from({ length: Math.ceil(length / partSize) }, (_, i) => ({
    PartNumber: i + 1,
    start: i * partSize,
    end: Math.min(length, (i + 1) * partSize) - 1,
  }));
  const parts: CompletedPart[] = [];
  try {
    await forEachConcurrently(ranges, PART_COPY_CONCURRENCY, async ({ PartNumber, start, end }) => {
      const out = await client.send(
        new UploadPartCopyCommand({
          Bucket: to.bucket,
          Key: to.key,
          UploadId,
          PartNumber,
          CopySource: copySource(from),
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ PartNumber, ETag: out.CopyPartResult?.ETag });
    });
    parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId, MultipartUpload: { Parts: parts } }));
  } catch (err) {
    // An unfinished multipart upload is billed storage: abort it before reporting the failure.
    if (UploadId) await abortMultipartUpload(client, to, UploadId, logger);
    throw err;
  }
}
