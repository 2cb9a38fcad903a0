import type { DataSource } from 'typeorm';

/**
 * Asks the database for `SELECT 1`, within `timeoutMs`: what a health check needs to know, that
 * the database answers now. Rejects when it does not, or not in time (a network that drops
 * packets would otherwise hold the check for the driver's whole connect timeout).
 */
export async function pingDatabase(dataSource: DataSource, timeoutMs: number): Promise<void> {
  if (!dataSource.isInitialized) throw new Error('the connection is closed');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to SELECT 1 within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([dataSource.query('SELECT 1'), late]);
  } finally {
    clearTimeout(timer);
  }
}
