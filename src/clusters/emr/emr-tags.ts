/** Tag keys this engine puts on every cluster it creates: who created it, for which run. */
export const EMR_TAGS = {
  createdBy: 'synergy-flow:created-by',
  flow: 'synergy-flow:flow',
  timeperiod: 'synergy-flow:timeperiod',
  slot: 'synergy-flow:cluster-slot',
  /** A token unique to one create: RunJobFlow has no idempotency token, so a retry looks for this tag first. */
  clientToken: 'synergy-flow:client-token',
  /**
   * The V2 service role's managed policy (AmazonEMRServicePolicy_v2) acts only on resources with this
   * tag, which EMR propagates from the cluster to the instances it launches.
   */
  emrManagedPolicies: 'for-use-with-amazon-emr-managed-policies',
} as const;

/** The engine's own tag keys: a user tag with one of them would be a duplicate key, which EMR refuses. */
export const ENGINE_TAG_KEYS: readonly string[] = Object.values(EMR_TAGS);
