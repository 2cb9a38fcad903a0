import { Subject, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { UnknownFlowError, FlowRunNotFoundError } from './errors';
import type { ExecutionEngine } from './engine/execution-engine';
import type { FlowEvent } from './engine/flow-event';
import type { FlowRunResult, RunOptions } from './engine/run-options';
import type { FlowGraph } from './graph/flow-graph';
import type { LogManager } from './logging/log-manager';
import type { FlowDefinition } from './metadata/flow-definition';
import type { FlowRecord } from './persistence/flow.entity';
import type { StateStore } from './persistence/state-store';
import type { StepRecord } from './persistence/step.entity';
import { assertTimeperiod } from './timeperiod/timeperiod';

export interface FlowStatus {
  flow: FlowRecord;
  steps: StepRecord[];
}

/** What bootstrap() returns: the flows, the four run modes, their state and their events. */
export class SynergyFlowApp {
  /** Every flow, step and action state change, after it is persisted. */
  readonly events$: Observable<FlowEvent>;
  private closed = false;

  constructor(
    private readonly definitions: ReadonlyMap<string, FlowDefinition>,
    private readonly engine: ExecutionEngine,
    private readonly store: StateStore,
    private readonly dataSource: DataSource,
    readonly logs: LogManager,
    private readonly eventsSubject: Subject<FlowEvent>,
  ) {
    this.events$ = eventsSubject.asObservable();
  }

  /** Runs every step: finds or creates the flow record, purges its old step records. */
  async run(flow: string, options: RunOptions): Promise<FlowRunResult> {
    return this.engine.execute(this.definition(flow), 'run', options);
  }

  /** Keeps the processed steps of an earlier run and runs the rest. */
  async recover(flow: string, options: RunOptions): Promise<FlowRunResult> {
    return this.engine.execute(this.definition(flow), 'recover', options);
  }

  /** Runs one step (its dependencies must be processed) on one cluster. */
  async runOne(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.engine.execute(this.definition(flow), 'run_one', options, step);
  }

  /** Runs a step and all its descendants (its dependencies must be processed). */
  async runFrom(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.engine.execute(this.definition(flow), 'run_from', options, step);
  }

  async status(flow: string, timeperiod: string): Promise<FlowStatus> {
    this.definition(flow);
    assertTimeperiod(timeperiod);
    const record = await this.store.findFlow(flow, timeperiod);
    if (!record) throw new FlowRunNotFoundError(flow, timeperiod);
    return { flow: record, steps: await this.store.findSteps(flow, timeperiod) };
  }

  /** The most recent runs of a flow, newest timeperiod first. */
  runs(flow: string, options: { limit?: number; offset?: number } = {}): Promise<FlowRecord[]> {
    this.definition(flow);
    return this.store.findRuns(flow, options);
  }

  graph(flow: string): FlowGraph {
    return this.definition(flow).graph;
  }

  flows(): string[] {
    return [...this.definitions.keys()];
  }

  /** The validated definition of a flow (steps, options, actions). */
  definition(flow: string): FlowDefinition {
    const definition = this.definitions.get(flow);
    if (!definition) throw new UnknownFlowError(String(flow), this.flows());
    return definition;
  }

  /** Cancels a running flow run of this application: its running steps end canceled. Returns whether it was running. */
  cancel(flow: string, timeperiod: string): boolean {
    this.definition(flow);
    return this.engine.cancel(flow, timeperiod);
  }

  /** Cancels what runs, then closes the database and the log files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.cancelAll('the application is closing');
    this.eventsSubject.complete();
    this.logs.flush();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
