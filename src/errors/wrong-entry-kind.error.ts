import { SynergyFlowError } from './synergy-flow.error';

/**
 * rm was given a folder, or rmdir a file. Refused and nothing removed: on a local disk the call
 * would fail with a raw errno (or remove a file "as a folder"), on S3 it would silently remove
 * nothing, so the same step would behave differently on a laptop and on EMR.
 */
export class WrongEntryKindError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_WRONG_ENTRY_KIND';

  constructor(
    readonly operation: 'rm' | 'rmdir',
    readonly uri: string,
    readonly actual: 'file' | 'directory',
  ) {
    super(
      actual === 'directory'
        ? `rm: '${uri}' is a folder and rm removes one file; use rmdir to remove a folder and everything in it`
        : `rmdir: '${uri}' is a file and rmdir removes a folder; use rm to remove a file`,
    );
  }
}
