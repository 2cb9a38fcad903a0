import { SynergyFlowError } from './synergy-flow.error';

/** One thing wrong in an option object: where (`cluster.instanceCount`) and what. */
export interface ConfigurationProblem {
  /** Dotted path from the option object's root, e.g. `lease.ttlMs` or `steps[2].name`; '' for the object itself. */
  path: string;
  /** What is wrong and, where it helps, what to write instead. */
  message: string;
}

/**
 * An option object given to the engine is wrong. Every problem found is listed at once, so a user
 * fixes them in one go instead of one per start; nothing was locked, written or launched.
 */
export class ConfigurationError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_CONFIGURATION';

  constructor(
    /** What was being configured, e.g. `bootstrap() options` or `the emr cluster options`. */
    readonly subject: string,
    readonly problems: readonly ConfigurationProblem[],
  ) {
    super(
      `${subject} ${problems.length === 1 ? 'have a problem' : `have ${problems.length} problems`}:\n` +
        problems.map((p) => `  - ${p.path || '(the options object)'}: ${p.message}`).join('\n') +
        '\nFix them and start again; the README lists every option and its range.',
    );
  }
}
