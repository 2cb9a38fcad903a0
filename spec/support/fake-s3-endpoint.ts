import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small path-style S3 REST endpoint on 127.0.0.1: enough of PutObject (and copy), GetObject,
 * HeadObject, HeadBucket, DeleteObject, DeleteObjects and ListObjectsV2 (with a '/' delimiter too) for the real SDK client
 * (signing, checksums, XML, lib-storage's Upload) to run S3Filesystem against it.
 */
export interface RecordedS3Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export class FakeS3Endpoint {
  readonly requests: RecordedS3Request[] = [];
  readonly buckets = new Map<string, Map<string, Buffer>>();
  /** While set, every request is answered 503 SlowDown (no body to a HEAD, as S3 answers), the SDK's retries included. */
  throttled = false;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(buckets: string[] = []): Promise<FakeS3Endpoint> {
    let endpoint: FakeS3Endpoint | undefined;
    const server = http.createServer((req, res) => endpoint!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = new FakeS3Endpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    for (const bucket of buckets) endpoint.buckets.set(bucket, new Map());
    return endpoint;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  text(bucket: string, key: string): string | undefined {
    return this.buckets.get(bucket)?.get(key)?.toString('utf8');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers });
      const [, bucketName, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (this.throttled) return this.error(res, 503, 'SlowDown', req.method === 'HEAD');
      const bucket = this.buckets.get(decodeURIComponent(bucketName ?? ''));
      if (!bucket) return this.error(res, 404, 'NoSuchBucket', req.method === 'HEAD');
      const body = decodeBody(Buffer.concat(chunks), req.headers);
      switch (req.method) {
        case 'HEAD':
          if (!key) return this.reply(res, 200, '');
          if (!bucket.has(key)) return this.error(res, 404, 'NotFound', true);
          res.writeHead(200, {
            'content-length': bucket.get(key)!.length,
            etag: '"fake"',
            'content-type': 'application/octet-stream',
            'last-modified': LAST_MODIFIED.toUTCString(),
          });
          return res.end();
        case 'GET':
          if (!key && url.searchParams.get('list-type') === '2') return this.list(res, bucket, url.searchParams);
          if (!bucket.has(key)) return this.error(res, 404, 'NoSuchKey');
          res.writeHead(200, { 'content-length': bucket.get(key)!.length, etag: '"fake"' });
          return res.end(bucket.get(key));
        case 'PUT': {
          const source = req.headers['x-amz-copy-source'];
          if (typeof source === 'string') {
            const [sourceBucket, ...sourceKey] = decodeURIComponent(source.replace(/^\//, '')).split('/');
            const data = this.buckets.get(sourceBucket)?.get(sourceKey.join('/'));
            if (!data) return this.error(res, 404, 'NoSuchKey');
            bucket.set(key, data);
            return this.reply(
              res,
              200,
              '<CopyObjectResult><ETag>"fake"</ETag><LastModified>2026-11-26T00:00:00.000Z</LastModified></CopyObjectResult>',
            );
          }
          bucket.set(key, body);
          res.writeHead(200, { etag: '"fake"' });
          return res.end();
        }
        case 'DELETE':
          bucket.delete(key);
          res.writeHead(204);
          return res.end();
        case 'POST':
          if (url.searchParams.has('delete')) {
            const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]));
            for (const k of keys) bucket.delete(k);
            return this.reply(
              res,
              200,
              `<DeleteResult>${keys.length > 1000 ? '<Error><Code>MalformedXML</Code></Error>' : ''}</DeleteResult>`,
            );
          }
          return this.error(res, 400, 'NotImplemented');
        default:
          return this.error(res, 400, 'NotImplemented');
      }
    });
  }

  private list(res: http.ServerResponse, bucket: Map<string, Buffer>, query: URLSearchParams): void {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000);
    // Like S3's, the token encodes the last key (or common prefix) returned, so deleting listed keys between pages is safe.
    const token = query.get('continuation-token');
    const after = token === null ? undefined : Buffer.from(token, 'base64url').toString('utf8');
    // With a delimiter, keys below the next delimiter roll up into one common prefix, listed once.
    const rolled = new Set<string>();
    const commonPrefixes = new Set<string>();
    for (const k of bucket.keys()) {
      if (!k.startsWith(prefix)) continue;
      const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) commonPrefixes.add(k.slice(0, cut + delimiter.length));
      rolled.add(cut >= 0 ? k.slice(0, cut + delimiter.length) : k);
    }
    const matching = [...rolled].filter((k) => after === undefined || k > after).sort();
    const page = matching.slice(0, maxKeys);
    const truncated = maxKeys < matching.length;
    const next = truncated ? Buffer.from(page[page.length - 1]).toString('base64url') : '';
    const isCommon = (k: string) => commonPrefixes.has(k);
    const contents = page
      .filter((k) => !isCommon(k))
      .map(
        (k) =>
          `<Contents><Key>${escapeXml(k)}</Key><Size>${bucket.get(k)!.length}</Size><LastModified>${LAST_MODIFIED.toISOString()}</LastModified></Contents>`,
      )
      .join('');
    const commons = page
      .filter(isCommon)
      .map((k) => `<CommonPrefixes><Prefix>${escapeXml(k)}</Prefix></CommonPrefixes>`)
      .join('');
    this.reply(
      res,
      200,
      `<ListBucketResult><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
        `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${contents}${commons}</ListBucketResult>`,
    );
  }

  private reply(res: http.ServerResponse, status: number, xml: string): void {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(xml ? `<?xml version="1.0" encoding="UTF-8"?>${xml}` : '');
  }

  private error(res: http.ServerResponse, status: number, code: string, head = false): void {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(head ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  }
}

/** Undoes aws-chunked content encoding (streamed uploads with trailing checksums). */
function decodeBody(raw: Buffer, headers: http.IncomingHttpHeaders): Buffer {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const lineEnd = raw.indexOf('\r\n', offset);
    const size = parseInt(raw.subarray(offset, lineEnd).toString('ascii').split(';')[0], 16);
    if (!size) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Every object's modification time: the fake keeps none, and a fixed one keeps listings comparable. */
const LAST_MODIFIED = new Date('2026-11-26T00:00:00.000Z');
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
