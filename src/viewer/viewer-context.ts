import type { ServerResponse } from 'node:http';
import type { SynergyFlowApp } from '../application';
import type { ActionStateTracker } from './action-state.tracker';

/** What the routes share: the application, the action states seen, the open event streams. */
export interface ViewerContext {
  app: SynergyFlowApp;
  tracker: ActionStateTracker;
  /** Open Server-Sent Events responses, ended when the viewer closes (they never end by themselves). */
  streams: Set<ServerResponse>;
}
