/**
 * The longest delay a Node.js timer can wait: 2^31 - 1 ms, about 24.8 days. setTimeout and
 * setInterval fire after 1 ms for anything longer, so an option that becomes a timer must not
 * exceed it (`lease.ttlMs: 1e10` renewed the lease every millisecond).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
