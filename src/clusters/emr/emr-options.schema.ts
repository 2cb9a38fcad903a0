import { z } from 'zod';
import { ENGINE_TAG_KEYS } from './emr-tags';

// This module must not import the AWS SDK: bootstrap() validates EMR options with it before any
// cluster exists, and local users never load the SDK.

/** EMR's limits, from the service model and the EMR tagging rules. */
export const EMR_LIMITS = {
  /** Cluster, step and bootstrap action names. */
  nameLength: 256,
  tagKeyLength: 128,
  tagValueLength: 256,
  /** Tags per cluster; the engine adds its own (EMR_TAGS) to the user's. */
  tagsPerCluster: 50,
  bootstrapActions: 16,
  /** AutoTerminationPolicy.IdleTimeout, in seconds. */
  idleTimeoutMin: 60,
  idleTimeoutMax: 604_800,
} as const;

/** Tags the engine puts on every cluster it creates, so they count against EMR_LIMITS.tagsPerCluster. */
const ENGINE_TAG_COUNT = ENGINE_TAG_KEYS.length;

/** A lone UTF-16 surrogate: half of an emoji, usually from a name cut in the middle; AWS refuses it. */
const LONE_SURROGATE = /\p{Surrogate}/u;
/**
 * A character EMR's string shapes (XmlString, XmlStringMaxLen256) do not allow: their pattern admits
 * XML 1.0 characters only, so no lone surrogate and no control character but tab, CR and LF.
 */
export const NOT_XML_TEXT = /[^\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]/u;

/** Why EMR would refuse this text, or undefined. */
export function xmlTextProblem(what: string, text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) {
    return `${what} contains a lone surrogate (half of an emoji or another character outside the Basic Multilingual Plane, as left by cutting a string in the middle); write the whole character or remove it`;
  }
  const bad = NOT_XML_TEXT.exec(text);
  if (bad)
    return `${what} contains the control character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which EMR refuses (only tab, CR and LF are allowed); remove it`;
  return undefined;
}

const wellFormed = (what: string) =>
  z.string().superRefine((text, ctx) => {
    const message = xmlTextProblem(what, text);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const nonEmpty = (what: string) => z.string().min(1, `${what} must not be empty`);
const positiveInt = z.number().int('must be a whole number').min(1, 'must be at least 1');

const emrName = (what: string) =>
  wellFormed(what)
    .min(1, `${what} must not be empty`)
    .max(EMR_LIMITS.nameLength, `${what} must be at most ${EMR_LIMITS.nameLength} characters (EMR's limit)`);

/** A script EMR runs on every node before the applications start, e.g. to install packages. */
export const emrBootstrapActionSchema = z.strictObject({
  name: emrName('a bootstrap action name'),
  /** Where the script is: an S3 URI, or a path on the node (`file:/...`). */
  path: wellFormed('a bootstrap action path').min(1, 'a bootstrap action path must not be empty'),
  args: z.array(wellFormed('a bootstrap action argument')).optional(),
});

/**
 * An EMR configuration classification, in the JSON shape of the EMR documentation and console
 * (`Classification`, `Properties`, nested `Configurations`), so that a block copied from there
 * works as is.
 */
export interface EmrConfiguration {
  Classification?: string;
  Properties?: Record<string, string>;
  Configurations?: EmrConfiguration[];
}

export const emrConfigurationSchema: z.ZodType<EmrConfiguration> = z.strictObject({
  Classification: nonEmpty('a configuration Classification').optional(),
  Properties: z.record(z.string(), z.string()).optional(),
  get Configurations() {
    return z.array(emrConfigurationSchema).optional();
  },
});

/** Checked in a refinement rather than as the record's key schema, so that each problem names its key and says what is wrong. */
function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'a tag key must not be empty';
  if (key.length > EMR_LIMITS.tagKeyLength)
    return `a tag key must be at most ${EMR_LIMITS.tagKeyLength} characters (EMR's limit); this one has ${key.length}`;
  const text = xmlTextProblem('a tag key', key);
  if (text) return text;
  if (key.toLowerCase().startsWith('aws:')) return "tag keys starting with 'aws:' are reserved by AWS";
  if (ENGINE_TAG_KEYS.includes(key) || key.startsWith('synergy-flow:'))
    return `'${key}' is a tag the engine sets itself (the synergy-flow: prefix is reserved); use another key`;
  return undefined;
}

const tags = z
  .record(
    z.string(),
    wellFormed('a tag value').max(
      EMR_LIMITS.tagValueLength,
      `a tag value must be at most ${EMR_LIMITS.tagValueLength} characters (EMR's limit)`,
    ),
  )
  .superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      const message = tagKeyProblem(key);
      if (message) ctx.addIssue({ code: 'custom', message, path: [key] });
    }
    const allowed = EMR_LIMITS.tagsPerCluster - ENGINE_TAG_COUNT;
    if (Object.keys(record).length > allowed) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${allowed} tags: EMR allows ${EMR_LIMITS.tagsPerCluster} per cluster and the engine adds ${ENGINE_TAG_COUNT} of its own`,
      });
    }
  });

/**
 * The `cluster` option of bootstrap() for EMR clusters. Every key is listed here: an unknown one
 * (a typo such as `logURI`) is an error with a "did you mean", and `EmrClusterOptions` is derived
 * from this schema so that TypeScript refuses it too. Defaults are filled by resolveEmrSettings.
 */
export const emrClusterOptionsSchema = z.strictObject({
  type: z.literal('emr'),
  /** Nominal number of clusters = maximum steps in flight. Default 2. */
  count: positiveInt.optional(),
  /** Base name of the EMR clusters; an engine reuses a running cluster with this name. */
  name: emrName("'name'"),
  region: nonEmpty("'region'"),
  /** Passed straight to the SDK client (e.g. a local endpoint in tests). */
  endpoint: z.url('must be a URL, e.g. https://elasticmapreduce.us-east-1.amazonaws.com').optional(),
  /** Passed straight to the SDK client; the SDK's default provider chain when absent. Never logged. */
  credentials: z
    .strictObject({
      accessKeyId: nonEmpty('accessKeyId'),
      secretAccessKey: nonEmpty('secretAccessKey'),
      sessionToken: z.string().optional(),
    })
    .optional(),
  releaseLabel: z
    .string()
    .regex(/^emr-\d+\.\d+\.\d+$/, "must be an EMR release label such as 'emr-7.12.0'")
    .optional(),
  instanceType: nonEmpty("'instanceType'").optional(),
  /** Nodes per cluster: one primary, the rest core nodes. */
  instanceCount: positiveInt.optional(),
  applications: z.array(nonEmpty('an application name')).optional(),
  /** Keep a cluster whose flow failed, for debugging (its id is logged); auto-termination still ends it once idle. */
  keepAliveOnFailure: z.boolean().optional(),
  pollIntervalMs: positiveInt.optional(),
  /**
   * Idle seconds after which EMR itself terminates a cluster this engine created (AutoTerminationPolicy),
   * so a cluster outlives a killed engine by at most that long. Default 3600; `false` turns it off.
   */
  autoTerminateIdleSeconds: z
    .union(
      [
        z
          .number()
          .int('must be a whole number of seconds')
          .min(EMR_LIMITS.idleTimeoutMin, `must be at least ${EMR_LIMITS.idleTimeoutMin} seconds (EMR's minimum)`)
          .max(EMR_LIMITS.idleTimeoutMax, `must be at most ${EMR_LIMITS.idleTimeoutMax} seconds (7 days, EMR's maximum)`),
        z.literal(false),
      ],
      {
        error: `must be a number of seconds between ${EMR_LIMITS.idleTimeoutMin} and ${EMR_LIMITS.idleTimeoutMax}, or false to turn auto-termination off`,
      },
    )
    .optional(),
  /** Scripts run on every node of a new cluster before its applications start. */
  bootstrapActions: z
    .array(emrBootstrapActionSchema)
    .max(EMR_LIMITS.bootstrapActions, `EMR runs at most ${EMR_LIMITS.bootstrapActions} bootstrap actions`)
    .optional(),
  /** Application configurations of new clusters; replaces the default (Spark's maximizeResourceAllocation). */
  configurations: z.array(emrConfigurationSchema).optional(),
  /** S3 URI where EMR writes cluster and step logs; without it a failed step's FailureDetails has no log file. */
  logUri: z
    .string()
    .regex(/^s3n?:\/\/[^/]+/, "must be an S3 URI such as 's3://my-bucket/emr-logs/'")
    .optional(),
  /** The EMR service role. Default EMR_DefaultRole_V2. */
  serviceRole: nonEmpty("'serviceRole'").optional(),
  /** The EC2 instance profile of the cluster nodes. Default EMR_EC2_DefaultRole. */
  jobFlowRole: nonEmpty("'jobFlowRole'").optional(),
  ec2SubnetId: nonEmpty("'ec2SubnetId'").optional(),
  ec2KeyName: nonEmpty("'ec2KeyName'").optional(),
  /** Extra tags for clusters this engine creates. */
  tags: tags.optional(),
  /** How long launch() waits for a cluster to be ready before giving up. */
  launchTimeoutMs: positiveInt.optional(),
  /** SDK retry strategy: attempts per API call (throttling and transient errors). */
  maxAttempts: positiveInt.optional(),
  /** SDK retry mode: 'standard' or 'adaptive' (adaptive also rate-limits the client after throttling). */
  retryMode: z.enum(['standard', 'adaptive']).optional(),
  /** The S3 filesystem's endpoint (e.g. a local S3-compatible store); `endpoint` is EMR's only. */
  s3Endpoint: z.url('must be a URL').optional(),
  /** Path-style S3 addressing; defaults to true when `s3Endpoint` is set. */
  s3ForcePathStyle: z.boolean().optional(),
});

/** The `cluster` option of bootstrap() for EMR: `{ type: 'emr', name, region, ... }` (see docs/emr.md). */
export type EmrClusterOptions = z.input<typeof emrClusterOptionsSchema>;

export type EmrBootstrapAction = z.output<typeof emrBootstrapActionSchema>;
