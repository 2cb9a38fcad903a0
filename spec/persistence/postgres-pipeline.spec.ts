import { expect } from 'chai';
import { Client, type PoolClient } from 'pg';
import { runPipeline } from '../../src/persistence/postgres-pipeline';
import { sharedPostgres, type PostgresTestOptions } from '../support/postgres-server';

/**
 * The names the pipeline prepares its statements under (src/persistence/postgres-pipeline.ts): one
 * name is one statement on every connection, whatever order each connection met them in. A name
 * numbered per connection stood for different statements on different connections, which a
 * pooler mixing connections (PgBouncer's transaction pooling) could turn into a wrong write.
 */
describe('persistence: the names of the PostgreSQL pipeline’s prepared statements', function () {
  this.timeout(60_000);
  let db: PostgresTestOptions;
  const clients: Client[] = [];

  before(async () => {
    db = await (await sharedPostgres()).createDatabase();
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
  });

  const connect = async (): Promise<Client> => {
    const client = new Client({ host: db.host, port: db.port, user: db.username, password: db.password, database: db.database });
    await client.connect();
    clients.push(client);
    return client;
  };
  const preparedNames = async (client: Client): Promise<Map<string, string>> => {
    const rows = (await client.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements')).rows;
    return new Map(rows.map((row) => [row.statement, row.name]));
  };

  it('gives a statement the same name on every connection, whatever order each met them in, and each statement its own', async () => {
    const first = { sql: 'SELECT $1::int + 1 AS n', params: [1] };
    const second = { sql: 'SELECT $1::int * 2 AS n', params: [2] };
    const [a, b] = [await connect(), await connect()];
    await runPipeline(a as unknown as PoolClient, [first, second]);
    await runPipeline(b as unknown as PoolClient, [second, first]);
    const [onA, onB] = [await preparedNames(a), await preparedNames(b)];
    expect(onA.get(first.sql)).to.match(/^synergy_flow_[0-9a-f]{24}$/);
    expect(onB.get(first.sql)).to.equal(onA.get(first.sql));
    expect(onB.get(second.sql)).to.equal(onA.get(second.sql));
    expect(onA.get(second.sql)).not.to.equal(onA.get(first.sql));
    // And each connection still prepares a statement once: run again, nothing new is parsed.
    await runPipeline(a as unknown as PoolClient, [second, first]);
    expect((await preparedNames(a)).size).to.equal(2);
  });
});
