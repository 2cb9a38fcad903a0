/** More clusters than any real run asks for: a typo (`clusters: 20000`) must not launch them. */
export const MAX_RUN_CLUSTERS = 1000;
