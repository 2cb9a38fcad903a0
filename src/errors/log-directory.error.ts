import { SynergyFlowError } from './synergy-flow.error';

/** bootstrap() found that it cannot write in the log directory: every step log would be lost. */
export class LogDirectoryError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_LOG_DIRECTORY';

  constructor(
    readonly directory: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(
      `cannot write logs in ${directory} (${why(cause)}): make it writable by this user, or pass bootstrap() a logDirectory it can write`,
      { cause },
    );
  }
}

function why(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return `${err.code}: permission denied`;
    case 'EROFS':
      return 'EROFS: a read-only file system';
    case 'ENOENT':
      // set by makeDirectoriesSync: the parent is there, but its file system takes no folder (procfs)
      if ('refusedBy' in err) return `ENOENT: ${String(err.refusedBy)} takes no new folder, a virtual file system such as /proc perhaps`;
      return 'ENOENT: a part of its path does not exist, a dangling symbolic link perhaps';
    case 'ENOTDIR':
      return 'ENOTDIR: a part of its path is a file, not a directory';
    default:
      return err.message;
  }
}
