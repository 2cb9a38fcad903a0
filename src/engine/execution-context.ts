import { inspect } from 'node:util';
import type { RunMode } from '../persistence/flow.entity';

export interface ExecutionContextInit {
  flowName: string;
  timeperiod: string;
  /** The run's id (FlowRunResult.runId). */
  runId: string;
  startTimeperiod?: string | null;
  endTimeperiod?: string | null;
  runMode: RunMode;
  settings: Readonly<Record<string, unknown>>;
  credentials?: Readonly<Record<string, unknown>>;
}

/**
 * What a flow run knows about itself. Credentials are reachable through `credentials` but are
 * not an enumerable field: JSON.stringify, util.inspect and the logs never show them.
 */
export class ExecutionContext {
  readonly flowName: string;
  readonly timeperiod: string;
  /** This run's id: the same in every log line and event of the run. */
  readonly runId: string;
  readonly startTimeperiod: string | null;
  readonly endTimeperiod: string | null;
  readonly runMode: RunMode;
  readonly settings: Readonly<Record<string, unknown>>;
  // A private field behind a getter, so not an own enumerable property (the same as
  // Object.defineProperty non-enumerable, at a fraction of its cost per context).
  readonly #credentials: Readonly<Record<string, unknown>>;

  constructor(init: ExecutionContextInit) {
    this.flowName = init.flowName;
    this.timeperiod = init.timeperiod;
    this.runId = init.runId;
    this.startTimeperiod = init.startTimeperiod ?? null;
    this.endTimeperiod = init.endTimeperiod ?? null;
    this.runMode = init.runMode;
    this.settings = init.settings;
    this.#credentials = init.credentials ?? {};
  }

  get credentials(): Readonly<Record<string, unknown>> {
    return this.#credentials;
  }

  /** The context as JSON.stringify and the logs show it: the credentials redacted. */
  toJSON(): Record<string, unknown> {
    const { ...fields } = this as unknown as Record<string, unknown>;
    return { ...fields, credentials: Object.keys(this.credentials).length ? '[redacted]' : undefined };
  }

  /** The context as util.inspect shows it: the credentials redacted. */
  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}
