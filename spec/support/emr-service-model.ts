/**
 * The part of the official EMR service model (aws-sdk-js-v3 codegen/sdk-codegen/aws-models/emr.json,
 * smithy shapes com.amazonaws.emr#...) that the requests of this engine touch, transcribed so that
 * the fake EMR endpoint can refuse what EMR would refuse: required members, member types, enum
 * values, and the length and character constraints of its string shapes. The SDK client checks none
 * of these before sending.
 */
type Shape =
  | { type: 'string'; min?: number; max?: number; xmlText?: boolean }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'integer' | 'long' | 'boolean' }
  | { type: 'list'; member: string }
  | { type: 'map'; value: string }
  | { type: 'structure'; members: Record<string, { target: string; required?: boolean }> };

/** The smithy.api#pattern of XmlString and XmlStringMaxLen256: XML 1.0 characters, so no lone surrogate and no control character but tab, CR and LF. */
const XML_TEXT = /^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]*$/u;

const SHAPES: Record<string, Shape> = {
  String: { type: 'string' },
  Integer: { type: 'integer' },
  Long: { type: 'long' },
  Boolean: { type: 'boolean' },
  XmlString: { type: 'string', min: 0, max: 10280, xmlText: true },
  XmlStringMaxLen256: { type: 'string', min: 0, max: 256, xmlText: true },
  InstanceType: { type: 'string', min: 1, max: 256, xmlText: true },
  XmlStringList: { type: 'list', member: 'XmlString' },
  StringList: { type: 'list', member: 'String' },
  StringMap: { type: 'map', value: 'String' },
  ActionOnFailure: { type: 'enum', values: ['TERMINATE_JOB_FLOW', 'TERMINATE_CLUSTER', 'CANCEL_AND_WAIT', 'CONTINUE'] },
  StepCancellationOption: { type: 'enum', values: ['SEND_INTERRUPT', 'TERMINATE_PROCESS'] },
  ClusterState: {
    type: 'enum',
    values: ['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING', 'TERMINATING', 'TERMINATED', 'TERMINATED_WITH_ERRORS'],
  },
  ClusterStateList: { type: 'list', member: 'ClusterState' },
  Application: {
    type: 'structure',
    members: {
      Name: { target: 'String' },
      Version: { target: 'String' },
      Args: { target: 'StringList' },
      AdditionalInfo: { target: 'StringMap' },
    },
  },
  ApplicationList: { type: 'list', member: 'Application' },
  Tag: { type: 'structure', members: { Key: { target: 'String' }, Value: { target: 'String' } } },
  TagList: { type: 'list', member: 'Tag' },
  Configuration: {
    type: 'structure',
    members: { Classification: { target: 'String' }, Configurations: { target: 'ConfigurationList' }, Properties: { target: 'StringMap' } },
  },
  ConfigurationList: { type: 'list', member: 'Configuration' },
  ScriptBootstrapActionConfig: {
    type: 'structure',
    members: { Path: { target: 'XmlString', required: true }, Args: { target: 'XmlStringList' } },
  },
  BootstrapActionConfig: {
    type: 'structure',
    members: {
      Name: { target: 'XmlStringMaxLen256', required: true },
      ScriptBootstrapAction: { target: 'ScriptBootstrapActionConfig', required: true },
    },
  },
  BootstrapActionConfigList: { type: 'list', member: 'BootstrapActionConfig' },
  AutoTerminationPolicy: { type: 'structure', members: { IdleTimeout: { target: 'Long' } } },
  JobFlowInstancesConfig: {
    type: 'structure',
    members: {
      MasterInstanceType: { target: 'InstanceType' },
      SlaveInstanceType: { target: 'InstanceType' },
      InstanceCount: { target: 'Integer' },
      Ec2KeyName: { target: 'XmlStringMaxLen256' },
      KeepJobFlowAliveWhenNoSteps: { target: 'Boolean' },
      TerminationProtected: { target: 'Boolean' },
      Ec2SubnetId: { target: 'XmlStringMaxLen256' },
    },
  },
  KeyValue: { type: 'structure', members: { Key: { target: 'XmlString' }, Value: { target: 'XmlString' } } },
  KeyValueList: { type: 'list', member: 'KeyValue' },
  HadoopJarStepConfig: {
    type: 'structure',
    members: {
      Properties: { target: 'KeyValueList' },
      Jar: { target: 'XmlString', required: true },
      MainClass: { target: 'XmlString' },
      Args: { target: 'XmlStringList' },
    },
  },
  StepConfig: {
    type: 'structure',
    members: {
      Name: { target: 'XmlStringMaxLen256', required: true },
      ActionOnFailure: { target: 'ActionOnFailure' },
      HadoopJarStep: { target: 'HadoopJarStepConfig', required: true },
    },
  },
  StepConfigList: { type: 'list', member: 'StepConfig' },
  StepIdsList: { type: 'list', member: 'XmlStringMaxLen256' },
  RunJobFlowInput: {
    type: 'structure',
    members: {
      Name: { target: 'XmlStringMaxLen256', required: true },
      LogUri: { target: 'XmlString' },
      ReleaseLabel: { target: 'XmlStringMaxLen256' },
      Instances: { target: 'JobFlowInstancesConfig', required: true },
      BootstrapActions: { target: 'BootstrapActionConfigList' },
      Applications: { target: 'ApplicationList' },
      Configurations: { target: 'ConfigurationList' },
      VisibleToAllUsers: { target: 'Boolean' },
      JobFlowRole: { target: 'XmlString' },
      ServiceRole: { target: 'XmlString' },
      Tags: { target: 'TagList' },
      AutoTerminationPolicy: { target: 'AutoTerminationPolicy' },
    },
  },
  ListClustersInput: { type: 'structure', members: { ClusterStates: { target: 'ClusterStateList' }, Marker: { target: 'String' } } },
  DescribeClusterInput: { type: 'structure', members: { ClusterId: { target: 'String', required: true } } },
  AddJobFlowStepsInput: {
    type: 'structure',
    members: { JobFlowId: { target: 'XmlStringMaxLen256', required: true }, Steps: { target: 'StepConfigList', required: true } },
  },
  DescribeStepInput: {
    type: 'structure',
    members: { ClusterId: { target: 'String', required: true }, StepId: { target: 'String', required: true } },
  },
  CancelStepsInput: {
    type: 'structure',
    members: {
      ClusterId: { target: 'XmlStringMaxLen256', required: true },
      StepIds: { target: 'StepIdsList', required: true },
      StepCancellationOption: { target: 'StepCancellationOption' },
    },
  },
  SetTerminationProtectionInput: {
    type: 'structure',
    members: { JobFlowIds: { target: 'XmlStringList', required: true }, TerminationProtected: { target: 'Boolean', required: true } },
  },
  TerminateJobFlowsInput: { type: 'structure', members: { JobFlowIds: { target: 'XmlStringList', required: true } } },
};

/** Documented limits the model states in prose rather than as traits. */
const HADOOP_JAR_STEP_MAX = 10_240; // AddJobFlowSteps: "the string values passed into HadoopJarStep ... a total of 10240 characters"
const IDLE_TIMEOUT = { min: 60, max: 604_800 }; // AutoTerminationPolicy.IdleTimeout
const TAG = { key: 128, value: 256 }; // AddTagsInput.Tags: "a key ... maximum of 128 characters, and an optional value ... 256"

/** Every way `body` breaks the model's input shape of `operation` (empty: EMR would accept its form). */
export function emrModelViolations(operation: string, body: unknown): string[] {
  const problems: string[] = [];
  const input = `${operation}Input`;
  if (!SHAPES[input]) return [`${operation} is not an operation this model subset covers`];
  check(input, body, operation, problems);
  if (operation === 'AddJobFlowSteps') {
    for (const [i, step] of ((body as { Steps?: Array<{ HadoopJarStep?: { Jar?: string; Args?: string[] } }> }).Steps ?? []).entries()) {
      const total = (step.HadoopJarStep?.Jar ?? '').length + (step.HadoopJarStep?.Args ?? []).reduce((n, a) => n + a.length, 0);
      if (total > HADOOP_JAR_STEP_MAX)
        problems.push(`AddJobFlowSteps.Steps[${i}].HadoopJarStep: ${total} characters, over ${HADOOP_JAR_STEP_MAX}`);
    }
  }
  const idle = (body as { AutoTerminationPolicy?: { IdleTimeout?: number } }).AutoTerminationPolicy?.IdleTimeout;
  if (operation === 'RunJobFlow' && idle !== undefined && (idle < IDLE_TIMEOUT.min || idle > IDLE_TIMEOUT.max)) {
    problems.push(`RunJobFlow.AutoTerminationPolicy.IdleTimeout: ${idle} is outside ${IDLE_TIMEOUT.min}..${IDLE_TIMEOUT.max}`);
  }
  for (const [i, tag] of ((body as { Tags?: Array<{ Key?: string; Value?: string }> }).Tags ?? []).entries()) {
    if ((tag.Key ?? '').length > TAG.key) problems.push(`${operation}.Tags[${i}].Key: over ${TAG.key} characters`);
    if ((tag.Value ?? '').length > TAG.value) problems.push(`${operation}.Tags[${i}].Value: over ${TAG.value} characters`);
    if (!XML_TEXT.test(tag.Key ?? '') || !XML_TEXT.test(tag.Value ?? ''))
      problems.push(`${operation}.Tags[${i}]: a lone surrogate or a control character`);
  }
  return problems;
}

function check(shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = SHAPES[shapeName];
  if (!shape) throw new Error(`emr-service-model: shape ${shapeName} is not transcribed`);
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') return void problems.push(`${path}: expected a string (${shapeName})`);
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${path}: shorter than ${shape.min} (${shapeName})`);
      if (shape.max !== undefined && value.length > shape.max)
        problems.push(`${path}: ${value.length} characters, over ${shape.max} (${shapeName})`);
      if (shape.xmlText && !XML_TEXT.test(value))
        problems.push(`${path}: a character outside ${shapeName}'s pattern (a lone surrogate or a control character)`);
      return;
    case 'enum':
      if (!shape.values.includes(value as string)) problems.push(`${path}: ${JSON.stringify(value)} is not a ${shapeName}`);
      return;
    case 'integer':
    case 'long':
      if (!Number.isInteger(value)) problems.push(`${path}: ${JSON.stringify(value)} is not an ${shape.type} (${shapeName})`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
      return;
    case 'list':
      if (!Array.isArray(value)) return void problems.push(`${path}: expected a list (${shapeName})`);
      value.forEach((item, i) => check(shape.member, item, `${path}[${i}]`, problems));
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return void problems.push(`${path}: expected a map (${shapeName})`);
      for (const [key, item] of Object.entries(value)) check(shape.value, item, `${path}.${key}`, problems);
      return;
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return void problems.push(`${path}: expected a structure (${shapeName})`);
      const record = value as Record<string, unknown>;
      for (const [member, spec] of Object.entries(shape.members)) {
        if (record[member] === undefined || record[member] === null) {
          if (spec.required) problems.push(`${path}.${member}: required by ${shapeName}`);
        } else {
          check(spec.target, record[member], `${path}.${member}`, problems);
        }
      }
      for (const member of Object.keys(record))
        if (!(member in shape.members)) problems.push(`${path}.${member}: not a member of ${shapeName} this engine sends`);
      return;
    }
  }
}
