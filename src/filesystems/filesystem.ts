/** One thing a folder holds, as `Filesystem.list` returns it. */
export interface FilesystemEntry {
  /** The entry's full URI, usable with every other method: a path locally, `s3://bucket/key` on S3 (a folder's without a trailing '/'). */
  uri: string;
  /** Relative to the listed folder: a plain name, or `sub/part-0` in a recursive listing. */
  name: string;
  type: 'file' | 'directory';
  /** Files only: folders have no size, and S3 prefixes no modification time. */
  size?: number;
  modified?: Date;
}

/** What `Filesystem.stat` tells about a URI; folders carry neither size nor time (S3 prefixes have none). */
export interface FilesystemStat {
  type: 'file' | 'directory';
  size?: number;
  modified?: Date;
}

/** The options of `filesystem.list(uri, options)`. */
export interface ListOptions {
  /** Every file at any depth (names relative to the listed folder) instead of one level; folders are not listed. */
  recursive?: boolean;
}

/**
 * A cluster's filesystem, with one meaning on every cluster (README, "Filesystems"). URIs are
 * absolute local paths (a `file://` prefix accepted) for LocalFilesystem, `s3://bucket/key` for
 * S3Filesystem. The same calls do the same thing on both:
 *
 * - A target ending in '/' means *into* that folder, keeping the source's name; any other target
 *   names the copy itself (re-running a copy gives the same result: files overwritten, folders merged).
 * - A folder copied or moved to itself or inside itself is refused (`CopyIntoItselfError`); a file
 *   where a folder is, or the reverse, is refused (`TargetKindConflictError`); both before writing.
 * - A missing source is a `PathNotFoundError`; mkdir of an existing folder and rm/rmdir of a
 *   missing one succeed; rm of a folder and rmdir of a file are a `WrongEntryKindError`.
 * - `mv` deletes only what it copied: a file written under the source meanwhile is not lost.
 */
export interface Filesystem {
  /** Creates a folder and its parents; an existing folder is fine. */
  mkdir(uri: string): Promise<void>;
  /** Removes a folder (a prefix, on object stores) and everything under it; refuses a file. */
  rmdir(uri: string): Promise<void>;
  /** Removes one file (object); refuses a folder. */
  rm(uri: string): Promise<void>;
  /** Copies a file, or a folder recursively. */
  cp(from: string, to: string): Promise<void>;
  /** Moves a file, or a folder recursively: deletes only what it copied. */
  mv(from: string, to: string): Promise<void>;
  /** Copies from this filesystem to a path on the machine the engine runs on. */
  copyToLocal(uri: string, localPath: string): Promise<void>;
  /** Copies from a path on the machine the engine runs on into this filesystem. */
  copyFromLocal(localPath: string, uri: string): Promise<void>;
  /** Whether a file or a folder is there. */
  exists(uri: string): Promise<boolean>;
  /** The folder's entries sorted by name, one level deep unless `recursive`; a file lists as itself; `PathNotFoundError` when nothing is there. */
  list(uri: string, options?: ListOptions): Promise<FilesystemEntry[]>;
  /** What is at the URI, or undefined when nothing is (a flow waiting for `_SUCCESS` polls this). */
  stat(uri: string): Promise<FilesystemStat | undefined>;
}
