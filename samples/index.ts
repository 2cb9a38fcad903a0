export { HelloWorldFlow } from './hello-world.flow';
export { EtlDiamondFlow } from './etl-diamond.flow';
export { EightStepFlow } from './eight-step.flow';
export { FailThenRecoverFlow, markerFile } from './fail-then-recover.flow';
export { HourlyIngestFlow } from './hourly-ingest.flow';
export { DailyRollupFlow } from './daily-rollup.flow';
