import type { EntityManager } from 'typeorm';

/**
 * Where leases are written: the state store's transaction, so that on SQLite (one connection per
 * process) a lease statement never lands inside another run's open transaction.
 */
export interface LeaseDatabase {
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}
