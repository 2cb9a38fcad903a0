import { briefDisplay } from './brief-display';
import { ClusterError } from './cluster.error';

/**
 * An EMR step whose jar or arguments hold a character EMR refuses (a control character other than
 * tab, CR and LF, or a lone surrogate): refused before it is submitted, so nothing reaches EMR.
 */
export class EmrStepTextError extends ClusterError {
  static override readonly code: string = 'ERR_SYNERGY_EMR_STEP_TEXT';

  constructor(
    /** The step's text, its known secrets already masked (the message shows only its start). */
    readonly display: string,
    readonly cluster: string,
    /** What is wrong and where, e.g. "argument 3 contains the control character U+001B, ...". */
    readonly problem: string,
  ) {
    super(
      `${briefDisplay(display)} on EMR cluster '${cluster}' was not submitted: ${problem}. ` +
        `EMR accepts XML text only in a step; pass such data in a file (e.g. on S3) or encode it (base64)`,
      { cluster },
    );
  }
}
