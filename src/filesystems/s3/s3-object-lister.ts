import { ListObjectsV2Command, type _Object, type S3Client } from '@aws-sdk/client-s3';
import { isS3NotFound } from './s3-not-found';

export type ListedObject = _Object & { Key: string };

/** Every object under a prefix, page by page (ListObjectsV2 continuation tokens), without holding the listing in memory. */
export async function* listObjects(client: S3Client, bucket: string, prefix: string): AsyncGenerator<ListedObject> {
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken }));
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) yield object as ListedObject;
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

/** One level under a prefix: the objects directly in it and the sub-prefixes (folders), every page read. */
export async function listLevel(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ objects: ListedObject[]; prefixes: string[] }> {
  const objects: ListedObject[] = [];
  const prefixes: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/', ContinuationToken }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) objects.push(object as ListedObject);
    for (const common of page.CommonPrefixes ?? []) if (common.Prefix !== undefined) prefixes.push(common.Prefix);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return { objects, prefixes };
}

/** Whether anything at all lives under the prefix; a missing bucket holds nothing. */
export async function hasObjects(client: S3Client, bucket: string, prefix: string): Promise<boolean> {
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: 1 }));
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  } catch (err) {
    if (isS3NotFound(err)) return false;
    throw err;
  }
}
