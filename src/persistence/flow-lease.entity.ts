import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** PostgreSQL returns BIGINT as a string; epoch milliseconds fit a JS number exactly. */
export const epochMillis: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * Who runs a [flow_name, timeperiod] now: the `flow_lease` table, one row per running flow run.
 * Times are epoch milliseconds of the database's clock, so engines on machines whose clocks
 * disagree still agree on when a lease expires.
 */
@Entity({ name: 'flow_lease' })
export class FlowLeaseRecord {
  @PrimaryColumn({ name: 'flow_name', type: 'varchar', length: 255 })
  flowName: string;

  @PrimaryColumn({ name: 'timeperiod', type: 'varchar', length: 10 })
  timeperiod: string;

  /** A random token per acquisition: a renewal or a release only touches its own lease. */
  @Column({ name: 'holder_id', type: 'varchar', length: 36 })
  holderId: string;

  @Column({ name: 'host', type: 'varchar', length: 255 })
  host: string;

  @Column({ name: 'pid', type: 'integer' })
  pid: number;

  /** The holding process's random id (ProcessIdentity): null on rows of versions before it. */
  @Column({ name: 'instance_id', type: 'varchar', length: 36, nullable: true })
  instanceId: string | null;

  /** Where its pid means something: `<boot id>/<PID namespace inode>`, null where unknown or on older rows. */
  @Column({ name: 'pid_namespace', type: 'varchar', length: 64, nullable: true })
  pidNamespace: string | null;

  /** Grows with every renewal: a takeover only succeeds on the version it judged dead. */
  @Column({ name: 'version', type: 'integer' })
  version: number;

  @Column({ name: 'acquired_at', type: 'bigint', transformer: epochMillis })
  acquiredAt: number;

  @Column({ name: 'heartbeat_at', type: 'bigint', transformer: epochMillis })
  heartbeatAt: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt: number;
}
