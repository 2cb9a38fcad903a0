/** When an action runs in its step: before the main one, as the main one, or after it. */
export type ActionPhase = 'pre' | 'main' | 'post';
