import { isNonEmptyString, isOneOf, isStrictObject, isWholeNumber, type QuickCheck } from '../config/quick-check';
import { MAX_CLUSTER_COUNT } from './cluster-defaults';

/**
 * `cluster: { type: 'local', count?, cwd? }` as cluster-options.ts's schema certainly accepts it,
 * told without loading zod (config/quick-check.ts). EMR options always go to the schema.
 */
export const certainClusterOptions: QuickCheck = isStrictObject(
  {
    type: isOneOf('local'),
    count: isWholeNumber(1, MAX_CLUSTER_COUNT),
    cwd: isNonEmptyString,
  },
  ['type'],
);
