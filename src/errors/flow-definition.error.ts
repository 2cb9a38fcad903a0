import { SynergyFlowError } from './synergy-flow.error';

/** Which declaration mistake a {@link FlowDefinitionError} reports: one value per mistake the scanner finds. */
export type FlowDefinitionErrorKind =
  /** `bootstrap({ flows })` or `@Flow({ steps })` lists something that is not a class. */
  | 'not-a-class'
  /** A class passed as a flow has no `@Flow()`. */
  | 'not-a-flow'
  /** Two `@Flow` classes have the same name. */
  | 'duplicate-flow'
  /** `@Flow({ steps })` is missing or empty. */
  | 'no-steps'
  /** A class listed as a step has no `@Step()`. */
  | 'not-a-step'
  /** A step has no `@Main` action. */
  | 'no-main'
  /** A step has more than one `@Main` action. */
  | 'two-mains'
  /** `@Pre`, `@Main` or `@Post` decorates something that is not a method. */
  | 'not-a-method'
  /** `@Step({ ... })` or an action's options are wrong (a typo, a negative timeout). */
  | 'invalid-options'
  /** Two steps of a flow have the same name. */
  | 'duplicate-step'
  /** A step is named `start` or `finish`, the graph's terminal nodes. */
  | 'reserved-name'
  /** A flow or step name has characters a log file name cannot have. */
  | 'invalid-name'
  /** A flow or step name is longer than a database column or a log file name allows. */
  | 'name-too-long'
  /** A step is named like its flow, so both would log to the same file. */
  | 'step-named-like-flow'
  /** `@DependsOn` names a step, or a class, that is not in the flow. */
  | 'unknown-dependency'
  /** A step depends on itself. */
  | 'self-dependency'
  /** The steps' dependencies form a cycle. */
  | 'cycle'
  /** A step or action class whose constructor parameter types are unknown at run time (no decorator metadata, an interface, a type-only import). */
  | 'unknown-constructor-types'
  /** `@Flow({ schedule })` is wrong: a bad `every`, a `start` that is not a timeperiod of that granularity, a typo. */
  | 'invalid-schedule'
  /** `schedule.after` names a flow the application does not have. */
  | 'unknown-after'
  /** The flows' `schedule.after` links form a cycle. */
  | 'after-cycle';

/** Where a {@link FlowDefinitionError}'s mistake is and which it is. */
export interface FlowDefinitionErrorDetails {
  kind: FlowDefinitionErrorKind;
  /** The flow's name (a class's name when it has no `@Flow`); undefined when no flow can be named. */
  flow?: string;
  /** The step's name (a class's name when it has no `@Step`); undefined when the mistake is the flow's. */
  step?: string;
}

/**
 * A mistake in how a flow or a step is declared; raised at scan time (by `bootstrap()`), before
 * anything runs. The message names the flow, the step and the fix; `kind`, `flow` and `step` say
 * the same for a program.
 *
 * @example
 * ```ts
 * try {
 *   await bootstrap({ flows: [DailyEtl] });
 * } catch (err) {
 *   if (err instanceof FlowDefinitionError && err.kind === 'cycle') console.error(`fix the cycle in ${err.flow}`);
 *   throw err;
 * }
 * ```
 */
export class FlowDefinitionError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_DEFINITION';

  /** Which mistake it is. */
  readonly kind: FlowDefinitionErrorKind;
  /** The flow's name; undefined when no flow can be named (a non-class passed to `bootstrap({ flows })`). */
  readonly flow: string | undefined;
  /** The step's name; undefined when the mistake is the flow's. */
  readonly step: string | undefined;

  /**
   * @param message what is wrong, in which flow and step, and the fix
   * @param details the same, for a program
   */
  constructor(message: string, details: FlowDefinitionErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.flow = details.flow;
    this.step = details.step;
  }
}
