import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Filesystem } from './filesystem';

/** The local disk. URIs are paths; a `file://` prefix is accepted. */
export class LocalFilesystem implements Filesystem {
  async mkdir(uri: string): Promise<void> {
    await fs.mkdir(toPath(uri), { recursive: true });
  }

  async rmdir(uri: string): Promise<void> {
    await fs.rm(toPath(uri), { recursive: true, force: true });
  }

  async rm(uri: string): Promise<void> {
    await fs.rm(toPath(uri), { force: true });
  }

  async cp(from: string, to: string): Promise<void> {
    await fs.mkdir(path.dirname(toPath(to)), { recursive: true });
    await fs.cp(toPath(from), toPath(to), { recursive: true });
  }

  async mv(from: string, to: string): Promise<void> {
    await fs.mkdir(path.dirname(toPath(to)), { recursive: true });
    try {
      await fs.rename(toPath(from), toPath(to));
    } catch (err) {
      // rename cannot cross devices: fall back to copy then delete.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await this.cp(from, to);
      await this.rmdir(from);
    }
  }

  copyToLocal(uri: string, localPath: string): Promise<void> {
    return this.cp(uri, localPath);
  }

  copyFromLocal(localPath: string, uri: string): Promise<void> {
    return this.cp(localPath, uri);
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await fs.access(toPath(uri));
      return true;
    } catch {
      return false;
    }
  }
}

function toPath(uri: string): string {
  return uri.startsWith('file://') ? new URL(uri).pathname : uri;
}
