import { inspect } from 'node:util';
import type { RunMode } from '../persistence/flow.entity';

export interface ExecutionContextInit {
  flowName: string;
  timeperiod: string;
  startTimeperiod?: string | null;
  endTimeperiod?: string | null;
  runMode: RunMode;
  settings: Readonly<Record<string, unknown>>;
  credentials?: Readonly<Record<string, unknown>>;
}

/**
 * What a flow run knows about itself. Credentials are reachable through `credentials` but live in
 * a private field: JSON.stringify, util.inspect, object spread and the logs never show them.
 */
export class ExecutionContext {
  readonly flowName: string;
  readonly timeperiod: string;
  readonly startTimeperiod: string | null;
  readonly endTimeperiod: string | null;
  readonly runMode: RunMode;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly #credentials: Readonly<Record<string, unknown>>;

  constructor(init: ExecutionContextInit) {
    this.flowName = init.flowName;
    this.timeperiod = init.timeperiod;
    this.startTimeperiod = init.startTimeperiod ?? null;
    this.endTimeperiod = init.endTimeperiod ?? null;
    this.runMode = init.runMode;
    this.settings = init.settings;
    this.#credentials = init.credentials ?? {};
  }

  get credentials(): Readonly<Record<string, unknown>> {
    return this.#credentials;
  }

  /** What this context was built from: a derived context (one action's view) starts from it. */
  protected executionInit(): ExecutionContextInit {
    return {
      flowName: this.flowName,
      timeperiod: this.timeperiod,
      startTimeperiod: this.startTimeperiod,
      endTimeperiod: this.endTimeperiod,
      runMode: this.runMode,
      settings: this.settings,
      credentials: this.#credentials,
    };
  }

  /** The context as data: what it says about the run, never live objects or secrets. */
  toJSON(): Record<string, unknown> {
    return { ...this.executionInit(), credentials: Object.keys(this.#credentials).length ? '[redacted]' : undefined };
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}
