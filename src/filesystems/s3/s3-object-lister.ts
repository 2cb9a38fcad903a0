import { ListObjectsV2Command, type _Object, type S3Client } from '@aws-sdk/client-s3';

/** Every object under a prefix, page by page (ListObjectsV2 continuation tokens), without holding the listing in memory. */
export async function* listObjects(client: S3Client, bucket: string, prefix: string): AsyncGenerator<_Object & { Key: string }> {
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken }));
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) yield object as _Object & { Key: string };
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

/** Whether anything at all lives under the prefix. */
export async function hasObjects(client: S3Client, bucket: string, prefix: string): Promise<boolean> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: 1 }));
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}
