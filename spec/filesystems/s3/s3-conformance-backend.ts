import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Filesystem } from '../../../src';
import { forEachConcurrently } from '../../../src/filesystems/s3/bounded-concurrency';
import type { ConformanceBackend } from '../filesystem.conformance';

/**
 * The conformance backend for an S3 endpoint: an S3Filesystem around a real SDK client, and a
 * second client that seeds and reads the bucket directly. A middleware on the filesystem's client
 * runs the "during the move" write just before the first CopyObject goes out: deterministic, and
 * the request itself still reaches the server.
 */
export function s3ConformanceBackend(
  config: S3ClientConfig,
  bucket: string,
  /** Writes an object without a request (the fake endpoint's map): 1,001 PutObjects cost seconds on a loaded machine. */
  putDirectly?: (key: string, content: string) => void,
): { backend: () => ConformanceBackend; destroy(): void } {
  const client = new S3Client(config);
  const direct = new S3Client(config);
  let beforeFirstCopy: (() => Promise<void>) | undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'CopyObjectCommand' && beforeFirstCopy) {
        const write = beforeFirstCopy;
        beforeFirstCopy = undefined;
        await write();
      }
      return next(args);
    },
    { step: 'initialize', name: 'conformanceDuringMove' },
  );
  const filesystem = new S3Filesystem(client);
  let cases = 0;
  const prefixOf = (root: string) => `${root.slice(`s3://${bucket}/`.length)}/`;

  const backend = (): ConformanceBackend => ({
    filesystem,
    newRoot: async () => `s3://${bucket}/case-${++cases}`,
    missingRoot: 's3://synergy-no-such-bucket/some/key',
    async seed(root, files) {
      if (putDirectly) {
        for (const [relative, content] of Object.entries(files)) putDirectly(`${prefixOf(root)}${relative}`, content);
        return;
      }
      await forEachConcurrently(Object.entries(files), 16, async ([relative, content]) => {
        await direct.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefixOf(root)}${relative}`, Body: Buffer.from(content) }));
      });
    },
    async files(root) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await direct.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefixOf(root), ContinuationToken }));
        for (const object of page.Contents ?? []) if (!object.Key!.endsWith('/')) keys.push(object.Key!.slice(prefixOf(root).length));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },
    async read(root, relative) {
      try {
        const out = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefixOf(root)}${relative}` }));
        return await out.Body!.transformToString();
      } catch {
        return undefined;
      }
    },
    async duringNextMove(write) {
      beforeFirstCopy = write;
    },
  });
  return {
    backend,
    destroy() {
      client.destroy();
      direct.destroy();
    },
  };
}
