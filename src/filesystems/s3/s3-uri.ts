/** A parsed `s3://bucket/key` URI. `key` is '' for the bucket itself. */
export interface S3Location {
  bucket: string;
  key: string;
}

// s3a:// and s3n:// are the Hadoop spellings users copy from Spark code; they name the same objects.
const S3_URI = /^s3[an]?:\/\/([^/]+)\/?(.*)$/;

export function parseS3Uri(uri: string): S3Location {
  const match = S3_URI.exec(uri);
  if (!match) throw new TypeError(`'${uri}' is not an S3 URI: expected s3://bucket/key`);
  return { bucket: match[1], key: match[2] };
}

export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** The key as a "directory" prefix: with one trailing '/', or '' for the bucket root. */
export function asPrefix(key: string): string {
  const trimmed = key.replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** CopyObject's CopySource: `bucket/key` with the key URL-encoded segment by segment, as S3 requires. */
export function copySource(location: S3Location): string {
  return `${location.bucket}/${location.key.split('/').map(encodeURIComponent).join('/')}`;
}
