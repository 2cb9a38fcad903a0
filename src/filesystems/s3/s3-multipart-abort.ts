import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../logging/logger';
import { formatS3Uri, type S3Location } from './s3-uri';

/**
 * Aborts an unfinished multipart upload after a failed copy or upload. Its parts are billed storage
 * until aborted, so an abort that fails too is logged with what an operator needs to abort it by
 * hand (the upload id and the key; never the client's credentials). The copy's own failure is
 * what the caller reports: this never throws.
 */
export async function abortMultipartUpload(client: S3Client, location: S3Location, uploadId: string, logger: Logger): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: location.bucket, Key: location.key, UploadId: uploadId }));
  } catch (err) {
    const e = err as { name?: string; message?: string };
    logger.warn(
      `S3 AbortMultipartUpload failed for upload id ${uploadId} of ${formatS3Uri(location)} (bucket '${location.bucket}', key '${location.key}'): ` +
        `${e.name ?? 'Error'}: ${e.message ?? String(err)}. Its parts stay billed until aborted: ` +
        `aws s3api abort-multipart-upload --bucket ${location.bucket} --key '${location.key}' --upload-id ${uploadId}, or a lifecycle rule.`,
    );
  }
}
