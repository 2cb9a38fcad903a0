import { s3Failure } from './s3-failure';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import { learnAwsSecretsProcessWide, learnResolvedCredentials } from '../../config/aws-resolved-secrets';
import { parseOptions } from '../../config/parse-options';
import {
  ClusterError,
  CopyIntoItselfError,
  PathNotFoundError,
  SynergyFlowError,
  TargetKindConflictError,
  WrongEntryKindError,
} from '../../errors';
import type { Logger } from '../../logging/logger';
import { processWarningLogger } from '../../logging/process-warning-logger';
import { baseName, isSameOrInside, resolveTarget } from '../copy-target';
import type { Filesystem, FilesystemEntry, FilesystemStat, ListOptions } from '../filesystem';
import { findLocalConflict, localKind } from '../local-kind';
import { walkLocalTree } from '../local-tree';
import { forEachConcurrently } from './bounded-concurrency';
import type { CopyLimits } from './s3-object-copier';
import type { S3ObjectStore } from './s3-object-store';
import type { ListedObject } from './s3-object-lister';
import type { S3FilesystemOptions } from './s3-filesystem-options';
import { asPrefix, formatS3Uri, parseS3Uri, type S3Location } from './s3-uri';

const TRANSFER_CONCURRENCY = 8;

/** How an {@link S3Filesystem} transfers: concurrency and copy limits (the defaults suit most buckets). */
export interface S3FilesystemTuning {
  copy?: Partial<CopyLimits>;
  /** Where warnings go (a failed AbortMultipartUpload); without one they become Node process warnings. */
  logger?: Logger;
}

/**
 * EMR's filesystem, also usable on its own (with the local cluster, in any step):
 * `new S3Filesystem({ region, endpoint?, credentials?, forcePathStyle? })`, or around an existing
 * `S3Client`. URIs are `s3://bucket/key` (s3a:// and s3n:// accepted). A folder is a key prefix
 * ending in '/'; mkdir writes the zero-byte `prefix/` marker the S3 console and EMRFS show as a
 * folder. The semantics are those of every `Filesystem` (see there), checked by one conformance
 * suite against LocalFilesystem. The AWS SDK loads when the first S3Filesystem is constructed.
 */
export class S3Filesystem implements Filesystem {
  private readonly store: S3ObjectStore;

  constructor(clientOrOptions: S3Client | S3FilesystemOptions, tuning: S3FilesystemTuning = {}) {
    // Required here, not imported above: `import { S3Filesystem } from 'synergy-flow'` must not load the SDK.
    const { S3ObjectStore } = require('./s3-object-store') as typeof import('./s3-object-store');
    const { DEFAULT_COPY_LIMITS } = require('./s3-object-copier') as typeof import('./s3-object-copier');
    const client = isClient(clientOrOptions) ? clientOrOptions : createClient(clientOrOptions);
    this.store = new S3ObjectStore(client, { ...DEFAULT_COPY_LIMITS, ...tuning.copy }, tuning.logger ?? processWarningLogger);
  }

  mkdir(uri: string): Promise<void> {
    return this.wrap('mkdir', uri, async () => {
      const { bucket, key } = parseS3Uri(uri);
      if (asPrefix(key) === '') return; // the bucket itself: nothing to create
      if (await this.store.head({ bucket, key: key.replace(/\/+$/, '') })) throw new TargetKindConflictError('mkdir', uri, 'file');
      await this.store.putMarker(bucket, asPrefix(key));
    });
  }

  rmdir(uri: string): Promise<void> {
    return this.wrap('rmdir', uri, async () => {
      const { bucket, key } = parseS3Uri(uri);
      const prefix = asPrefix(key);
      if (prefix === '') {
        throw new ClusterError(`refusing to rmdir '${uri}': it is a whole bucket; remove a prefix under it instead`, { uri });
      }
      const deleted = await this.store.deleteKeys(bucket, keysOf(this.store.list(bucket, prefix)));
      if (deleted === 0 && (await this.store.head({ bucket, key: key.replace(/\/+$/, '') })))
        throw new WrongEntryKindError('rmdir', uri, 'file');
    });
  }

  rm(uri: string): Promise<void> {
    return this.wrap('rm', uri, async () => {
      const location = parseS3Uri(uri);
      if (location.key === '') throw new ClusterError(`cannot rm '${uri}': it names a bucket, not an object`, { uri });
      // An object wins over a prefix of the same name, as everywhere else here.
      if (await this.store.head(location)) {
        await this.store.deleteObject(location);
        return;
      }
      if (await this.store.hasObjects(location.bucket, asPrefix(location.key))) throw new WrongEntryKindError('rm', uri, 'directory');
    });
  }

  cp(from: string, to: string): Promise<void> {
    return this.wrap('cp', `${from} -> ${to}`, () => this.transfer('cp', from, to, false));
  }

  mv(from: string, to: string): Promise<void> {
    return this.wrap('mv', `${from} -> ${to}`, () => this.transfer('mv', from, to, true));
  }

  copyToLocal(uri: string, localPath: string): Promise<void> {
    return this.wrap('copyToLocal', `${uri} -> ${localPath}`, async () => {
      const source = parseS3Uri(uri);
      const target = path.resolve(resolveTarget(uri, localPath));
      const object = await this.store.head(source);
      if (object) {
        await refuseLocalConflict('copyToLocal', path.dirname(target), [path.basename(target)]);
        await this.store.download(source, target);
        return;
      }
      const prefix = asPrefix(source.key);
      // Listed in full first: every target is checked before the first byte is written.
      const objects: ListedObject[] = [];
      for await (const listed of this.store.list(source.bucket, prefix)) {
        const relative = listed.Key.slice(prefix.length);
        const local = path.resolve(target, relative);
        // A key like 'a/../../x' must not write outside the target directory.
        if (local !== target && !local.startsWith(target + path.sep)) {
          throw new ClusterError(`refusing to copy '${listed.Key}' from ${uri}: its key points outside ${target}`, {
            uri,
            key: listed.Key,
          });
        }
        objects.push(listed);
      }
      if (objects.length === 0) throw new PathNotFoundError('copyToLocal', uri);
      const relatives = objects.map((o) => o.Key.slice(prefix.length)).filter((r) => r !== '');
      await refuseLocalConflict(
        'copyToLocal',
        target,
        relatives.filter((r) => !r.endsWith('/')),
        relatives.filter((r) => r.endsWith('/')),
      );
      await forEachConcurrently(objects, TRANSFER_CONCURRENCY, async (object) => {
        const local = path.resolve(target, object.Key.slice(prefix.length));
        if (object.Key.endsWith('/')) await fs.mkdir(local, { recursive: true });
        else await this.store.download({ bucket: source.bucket, key: object.Key }, local);
      });
      await fs.mkdir(target, { recursive: true });
    });
  }

  copyFromLocal(localPath: string, uri: string): Promise<void> {
    return this.wrap('copyFromLocal', `${localPath} -> ${uri}`, async () => {
      const kind = await localKind(localPath);
      if (kind === undefined) throw new PathNotFoundError('copyFromLocal', localPath);
      const target = parseS3Uri(resolveS3Target(localPath, uri));
      await this.refuseS3Conflict('copyFromLocal', target, kind);
      if (kind === 'file') {
        const { size } = await fs.stat(localPath);
        await this.store.upload(localPath, size, target);
        return;
      }
      const prefix = asPrefix(target.key);
      await forEachConcurrently(walkLocalTree(localPath), TRANSFER_CONCURRENCY, async (entry) => {
        if (entry.kind === 'empty-directory') {
          await this.store.putMarker(target.bucket, `${prefix}${entry.relative}/`);
        } else {
          const { size } = await fs.stat(entry.absolute);
          await this.store.upload(entry.absolute, size, { bucket: target.bucket, key: `${prefix}${entry.relative}` });
        }
      });
    });
  }

  exists(uri: string): Promise<boolean> {
    return this.wrap('exists', uri, async () => (await this.statOf(parseS3Uri(uri))) !== undefined);
  }

  stat(uri: string): Promise<FilesystemStat | undefined> {
    return this.wrap('stat', uri, () => this.statOf(parseS3Uri(uri)));
  }

  list(uri: string, options: ListOptions = {}): Promise<FilesystemEntry[]> {
    return this.wrap('list', uri, async () => {
      const location = parseS3Uri(uri);
      const stat = await this.statOf(location);
      if (stat === undefined) throw new PathNotFoundError('list', uri);
      if (stat.type === 'file') return [{ uri: formatS3Uri(location), name: baseName(location.key), ...stat }];
      const prefix = asPrefix(location.key);
      const entries: FilesystemEntry[] = [];
      const fileEntry = (object: ListedObject): FilesystemEntry => ({
        uri: formatS3Uri({ bucket: location.bucket, key: object.Key }),
        name: object.Key.slice(prefix.length),
        type: 'file',
        size: object.Size ?? 0,
        modified: object.LastModified,
      });
      if (options.recursive) {
        // Keys ending in '/' are folder markers, not files.
        for await (const object of this.store.list(location.bucket, prefix)) if (!object.Key.endsWith('/')) entries.push(fileEntry(object));
      } else {
        const level = await this.store.listLevel(location.bucket, prefix);
        for (const object of level.objects) if (!object.Key.endsWith('/')) entries.push(fileEntry(object));
        for (const sub of level.prefixes) {
          const key = sub.replace(/\/+$/, '');
          entries.push({ uri: formatS3Uri({ bucket: location.bucket, key }), name: key.slice(prefix.length), type: 'directory' });
        }
      }
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
  }

  /** Closes the client's connections; the filesystem is unusable afterwards. */
  destroy(): void {
    this.store.destroy();
  }

  /** Its options and credentials never reach a log line or a JSON document. */
  toJSON(): { type: 's3' } {
    return { type: 's3' };
  }

  /** Its options and credentials never reach util.inspect's output. */
  [inspect.custom](): string {
    return 'S3Filesystem {}';
  }

  private async statOf(location: S3Location): Promise<FilesystemStat | undefined> {
    if (location.key === '') return (await this.store.bucketExists(location.bucket)) ? { type: 'directory' } : undefined;
    const object = await this.store.head(location);
    if (object) return { type: 'file', size: object.size, modified: object.modified };
    return (await this.store.hasObjects(location.bucket, asPrefix(location.key))) ? { type: 'directory' } : undefined;
  }

  /**
   * cp and mv: an object, or every object under a prefix. S3 has no rename, so mv copies, then
   * deletes exactly the keys it copied once every copy succeeded: an object written under the
   * source meanwhile is neither lost nor half-moved, and a failed copy leaves the source whole.
   */
  private async transfer(operation: 'cp' | 'mv', from: string, to: string, move: boolean): Promise<void> {
    const source = parseS3Uri(from);
    const target = parseS3Uri(resolveS3Target(from, to));
    const sameBucket = source.bucket === target.bucket;
    const object = await this.store.head(source);
    if (object) {
      if (sameBucket && source.key === target.key) throw new CopyIntoItselfError(operation, from, to);
      await this.refuseS3Conflict(operation, target, 'file');
      await this.store.copy(source, target, object.size);
      if (move) await this.store.deleteObject(source);
      return;
    }
    const fromPrefix = asPrefix(source.key);
    const toPrefix = asPrefix(target.key);
    if (!(await this.store.hasObjects(source.bucket, fromPrefix))) throw new PathNotFoundError(operation, from);
    if (sameBucket && (fromPrefix === '' || isSameOrInside(fromPrefix, toPrefix))) throw new CopyIntoItselfError(operation, from, to);
    await this.refuseS3Conflict(operation, target, 'directory');
    const copied: string[] = [];
    await forEachConcurrently(this.store.list(source.bucket, fromPrefix), TRANSFER_CONCURRENCY, async (listed) => {
      const key = `${toPrefix}${listed.Key.slice(fromPrefix.length)}`;
      await this.store.copy({ bucket: source.bucket, key: listed.Key }, { bucket: target.bucket, key }, listed.Size);
      if (move) copied.push(listed.Key);
    });
    if (move) await this.store.deleteKeys(source.bucket, copied);
  }

  /** A file where a folder (objects under `key/`) is, or a folder where an object `key` is. */
  private async refuseS3Conflict(operation: string, target: S3Location, writing: 'file' | 'directory'): Promise<void> {
    const key = target.key.replace(/\/+$/, '');
    if (key === '') return;
    const conflict =
      writing === 'file'
        ? await this.store.hasObjects(target.bucket, asPrefix(key))
        : (await this.store.head({ bucket: target.bucket, key })) !== undefined;
    if (conflict)
      throw new TargetKindConflictError(operation, formatS3Uri({ bucket: target.bucket, key }), writing === 'file' ? 'directory' : 'file');
  }

  /** Gives every failure the operation and the URI; the project's own errors already say it and pass through. */
  private async wrap<T>(operation: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SynergyFlowError || err instanceof TypeError) throw err;
      throw s3Failure(operation, what, err);
    }
  }
}

/** The target of a copy onto S3: the bucket root, or a key ending in '/', means into it. */
function resolveS3Target(source: string, target: string): string {
  const location = parseS3Uri(target);
  return location.key === '' ? formatS3Uri({ bucket: location.bucket, key: baseName(source) }) : resolveTarget(source, target);
}

async function refuseLocalConflict(operation: string, root: string, files: string[], directories: string[] = []): Promise<void> {
  const conflict = await findLocalConflict(
    root,
    files,
    directories.map((d) => d.replace(/\/+$/, '')),
  );
  if (conflict) throw new TargetKindConflictError(operation, conflict.path, conflict.existing);
}

async function* keysOf(objects: AsyncIterable<{ Key: string }>): AsyncGenerator<string> {
  for await (const object of objects) yield object.Key;
}

function isClient(value: S3Client | S3FilesystemOptions): value is S3Client {
  return typeof (value as Partial<S3Client>)?.send === 'function';
}

/**
 * Checks the options before the client exists: a typo fails here, not at the first request. With
 * no credentials in the options, the keys the client resolves from the SDK's default chain are
 * learnt for every application of the process (none was told of them): a user's script that builds
 * one and bootstraps an application, before or after, gets them masked there.
 */
function createClient(given: S3FilesystemOptions): S3Client {
  const { s3FilesystemOptionsSchema } = require('./s3-filesystem-options') as typeof import('./s3-filesystem-options');
  const options = parseOptions(s3FilesystemOptionsSchema, given, 'S3Filesystem options');
  const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { buildS3ClientConfig } = require('./s3-client-config') as typeof import('./s3-client-config');
  const { credentials, ...settings } = options;
  const client = new S3Client(buildS3ClientConfig(settings, credentials));
  if (!credentials) learnResolvedCredentials(client, learnAwsSecretsProcessWide);
  return client;
}
