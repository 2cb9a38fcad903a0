/**
 * A cluster's filesystem. URIs are whatever the implementation understands: absolute local paths
 * for LocalFilesystem, `s3://bucket/key` for S3Filesystem. Every operation is idempotent where the
 * seed's were: mkdir of an existing directory and rm/rmdir of a missing one succeed.
 */
export interface Filesystem {
  mkdir(uri: string): Promise<void>;
  /** Removes a directory (a prefix, on object stores) and everything under it. */
  rmdir(uri: string): Promise<void>;
  /** Removes one file (object). */
  rm(uri: string): Promise<void>;
  /** Copies a file, or a directory recursively. */
  cp(from: string, to: string): Promise<void>;
  mv(from: string, to: string): Promise<void>;
  /** Copies from this filesystem to a path on the machine the engine runs on. */
  copyToLocal(uri: string, localPath: string): Promise<void>;
  /** Copies from a path on the machine the engine runs on into this filesystem. */
  copyFromLocal(localPath: string, uri: string): Promise<void>;
  exists(uri: string): Promise<boolean>;
}
