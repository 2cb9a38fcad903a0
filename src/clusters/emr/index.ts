// Loads the AWS SDK: only cluster-factory.ts requires this module, and only for { type: 'emr' }.
export { EmrCluster, type EmrClusterScope, type EmrClusterOverrides } from './emr-cluster';
export { resolveEmrSettings, EMR_DEFAULTS, type EmrExtraOptions, type EmrSettings } from './emr-settings';
export { buildRunJobFlowInput, EMR_TAGS } from './emr-job-flow-builder';
export { buildStepConfig, sparkSubmitArgs, pigScriptArgs, shellCommandArgs, withStepScope, COMMAND_RUNNER_JAR } from './emr-step-builder';
