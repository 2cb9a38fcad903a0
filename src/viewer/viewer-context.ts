import type { FlowApplication } from '../flow-application.port';
import type { ActionStateTracker } from './action-state.tracker';
import type { EventStreamBroadcaster } from './event-stream.broadcaster';
import type { LogReadBudget } from './log-read.budget';
import type { RunHistorySource } from './run-history.source';
import type { Scheduler } from '../scheduler';

/** What the routes share: the application, the action states seen, the open event streams. */
export interface ViewerContext {
  app: FlowApplication;
  tracker: ActionStateTracker;
  /** Sends app.events$ to every open event stream, and ends them when the viewer closes. */
  broadcaster: EventStreamBroadcaster;
  /** The runs and attempts of the timeline and the history list. */
  history: RunHistorySource;
  /** The viewer's one scheduler (app.scheduler(), made on first use): it plans and pauses, never ticks. */
  scheduler: () => Scheduler;
  /** The log reads the routes may do at once, and those that may wait for their turn. */
  logReads: LogReadBudget;
}
