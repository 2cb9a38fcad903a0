import { InitialSchema1795910400000 } from './1795910400000-initial-schema.migration';
import { FlowLease1795914000000 } from './1795914000000-flow-lease.migration';
import { StepRunIndex1795920000000 } from './1795920000000-step-run-index.migration';
import { RunHistory1795930000000 } from './1795930000000-run-history.migration';
import { Scheduler1795933600000 } from './1795933600000-scheduler.migration';
import { AbsoluteTimes1795940000000 } from './1795940000000-absolute-times.migration';
import { ProcessIdentity1795943600000 } from './1795943600000-process-identity.migration';
import { RunInstance1795947200000 } from './1795947200000-run-instance.migration';
import { StepCluster1795950800000 } from './1795950800000-step-cluster.migration';

/** Every schema change, oldest first. A released migration is never edited: add a new one. */
export const MIGRATIONS = [
  InitialSchema1795910400000,
  FlowLease1795914000000,
  StepRunIndex1795920000000,
  RunHistory1795930000000,
  Scheduler1795933600000,
  AbsoluteTimes1795940000000,
  ProcessIdentity1795943600000,
  RunInstance1795947200000,
  StepCluster1795950800000,
];
