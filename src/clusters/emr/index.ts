// Loads the AWS SDK: only cluster-factory.ts requires this module, and only for { type: 'emr' }.
export { EmrCluster, type EmrClusterScope, type EmrClusterOverrides } from './emr-cluster';
export { resolveEmrSettings, EMR_DEFAULTS, type EmrSettings } from './emr-settings';
export { emrClusterOptionsSchema, type EmrClusterOptions, type EmrConfiguration, type EmrBootstrapAction } from './emr-options.schema';
export { buildRunJobFlowInput } from './emr-job-flow-builder';
export { EMR_TAGS } from './emr-tags';
export { buildStepConfig, sparkSubmitArgs, pigScriptArgs, shellCommandArgs, withStepScope, COMMAND_RUNNER_JAR } from './emr-step-builder';
export { EmrClusterScan } from './emr-cluster-scan';
