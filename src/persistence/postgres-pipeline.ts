import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';

/** pg's conversion of a bound value (Dates, Buffers, arrays, objects), the one its own queries use. */
type ValueMapper = (value: unknown) => unknown;
let prepareValue: ValueMapper | undefined;

/** One statement of a pipeline: its SQL with `$n` placeholders, and their values. */
export interface PipelinedStatement {
  sql: string;
  params: readonly unknown[];
}

/**
 * PostgreSQL refused a statement of a pipeline: its error (as `driverError`, where the retry rules
 * look for the SQLSTATE, as on TypeORM's QueryFailedError), and the index of the statement.
 */
export class PipelineFailure extends Error {
  readonly code: unknown;

  constructor(
    readonly driverError: unknown,
    readonly statementIndex: number,
  ) {
    super((driverError as Error)?.message ?? String(driverError));
    this.name = 'PipelineFailure';
    this.code = (driverError as { code?: unknown })?.code;
  }
}

/** The part of pg's Connection (pg/lib/connection.js) the pipeline writes its messages with. */
interface ProtocolConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parse(message: { text: string; name?: string }): void;
  bind(message: { statement?: string; values: readonly unknown[]; valueMapper: ValueMapper }): void;
  execute(message: { rows?: number }): void;
  sync(): void;
}

/** The statements parsed on each connection, by SQL text: a connection prepares each statement once. */
const prepared = new WeakMap<PoolClient, Set<string>>();

/** Every statement's name, made once a process. */
const names = new Map<string, string>();

/**
 * A statement's name, derived from its text: one name means one statement on every connection.
 * Numbered per connection instead, the same name stood for different statements on different
 * connections; behind a pooler that hands a client's transactions to any server connection
 * (PgBouncer's transaction pooling, which the engine does not support), a statement could then
 * have run as another one with the same parameter types. Now such a mix-up fails loudly (the
 * name is unknown there, or already prepared), never as a wrong write.
 */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `synergy_flow_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`));
  return name;
}

/**
 * Runs `statements` on `client` in one round trip, as one transaction: PostgreSQL's extended query
 * protocol, pipelined - every statement's Parse/Bind/Execute, then one Sync, written to the socket
 * at once. Until the Sync the statements run in one implicit transaction that the Sync commits
 * (synchronous_commit applies: the answer comes once it is durable); at the first error the server
 * skips the rest and rolls the whole transaction back. Values travel as bound parameters, converted
 * as pg converts them, never spliced into the SQL. Each distinct SQL text is prepared once per
 * connection under a name derived from its text (statementName), so the server parses and plans it only once.
 *
 * Resolves with the rows each statement changed; rejects with PipelineFailure (which statement,
 * PostgreSQL's error) or, when the connection is lost, with the driver's error as it came.
 */
export function runPipeline(client: PoolClient, statements: readonly PipelinedStatement[]): Promise<number[]> {
  // Required on first use: loading pg is for PostgreSQL users only.
  const valueMapper = (prepareValue ??= (require('pg/lib/utils') as { prepareValue: ValueMapper }).prepareValue);
  return new Promise<number[]>((resolve, reject) => {
    let parsed = prepared.get(client);
    if (!parsed) prepared.set(client, (parsed = new Set<string>()));
    const affected: number[] = [];
    let failure: PipelineFailure | undefined;
    const submittable = {
      submit(connection: ProtocolConnection): null {
        connection.stream.cork?.();
        try {
          for (const { sql, params } of statements) {
            const name = statementName(sql);
            if (!parsed.has(sql)) {
              parsed.add(sql);
              connection.parse({ text: sql, name });
            }
            connection.bind({ statement: name, values: params, valueMapper });
            connection.execute({});
          }
          connection.sync();
        } finally {
          connection.stream.uncork?.();
        }
        return null;
      },
      handleCommandComplete(message: { text: string }): void {
        // "UPDATE 3", "INSERT 0 1", "SELECT 1": the count is the last word.
        affected.push(Number(message.text.slice(message.text.lastIndexOf(' ') + 1)) || 0);
      },
      handleError(err: unknown): void {
        // Where the statements stopped is not known for sure (a Parse may or may not have been
        // answered): the caller drops this connection, and its prepared names go with it.
        prepared.delete(client);
        // An ErrorResponse of the server carries a severity; a lost connection does not, and is
        // passed on as it came, for the outage retry to recognise.
        if ((err as { severity?: unknown })?.severity === undefined) return reject(err);
        failure ??= new PipelineFailure(err, affected.length);
        // pg clears its active query on an error: the ReadyForQuery that follows goes to no one.
        reject(failure);
      },
      handleReadyForQuery(): void {
        if (failure) reject(failure);
        else if (affected.length === statements.length) resolve(affected);
        else reject(new PipelineFailure(new Error('the server answered fewer statements than were sent'), affected.length));
      },
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      handleCopyInResponse(): void {},
      handleCopyData(): void {},
    };
    void (client.query(submittable as unknown as Parameters<PoolClient['query']>[0]) as unknown);
  });
}
