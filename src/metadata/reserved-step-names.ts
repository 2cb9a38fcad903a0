/** The viewer's and the graph exports' terminal nodes: a step may not take these names. */
export const RESERVED_STEP_NAMES: readonly string[] = ['start', 'finish'];
