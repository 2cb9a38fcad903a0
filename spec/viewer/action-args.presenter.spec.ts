import { expect } from 'chai';
import { presentActionArgs } from '../../src/viewer/action-args.presenter';

describe('viewer: the action arguments a definition shows', () => {
  it('masks the credentials a shell command visibly holds: a URL password, secret-named flags and variables, the word after --password', () => {
    const shown = presentActionArgs({
      argv: ['pg_dump', '--dbname=postgresql://report:Hunter2Pw@db:5432/sales', '--password', 'Hunter2Pw', '--token=t0k', '-U', 'report'],
      env: { MYSQL_PWD: 'Hunter2Pw', PGPASSWORD: 'Hunter2Pw', AWS_SECRET_ACCESS_KEY: 'k', HOME: '/home/etl' },
      url: 'https://api.example/export?day=1&api_key=Hunter2Pw&format=csv',
      script: 'PGPASSWORD="Hunter2 Pw" psql -h db',
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(JSON.stringify(shown)).not.to.include('t0k');
    expect(shown).to.deep.equal({
      argv: ['pg_dump', '--dbname=postgresql://report:***@db:5432/sales', '--password', '***', '--token=***', '-U', 'report'],
      env: { MYSQL_PWD: '***', PGPASSWORD: '***', AWS_SECRET_ACCESS_KEY: '***', HOME: '/home/etl' },
      url: 'https://api.example/export?day=1&api_key=***&format=csv',
      script: 'PGPASSWORD=*** psql -h db',
    });
  });

  it('leaves ordinary arguments as given: paths, e-mail addresses, scp targets, plain key=value words', () => {
    const args = { argv: ['cp', 'user@host:/data/in', '/data/out', 'mode=fast', '--notify=ops@example.com'], retries: 2, dry: false };
    expect(presentActionArgs(args)).to.deep.equal(args);
  });

  it("masks a cookie given to a command (--cookie=..., --cookie <value>, a Cookie key), not curl's cookie jar or file paths", () => {
    const shown = presentActionArgs({
      argv: ['curl', '--cookie', 'session=Hunter2Sid', '--cookie-jar', '/tmp/jar.txt', 'https://api.example/export'],
      script: 'wget --cookie="sid=Hunter2Sid" https://api.example/export',
      headers: { Cookie: 'sid=Hunter2Sid' },
      cookieFile: '/srv/etl/cookies.txt',
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      argv: ['curl', '--cookie', '***', '--cookie-jar', '/tmp/jar.txt', 'https://api.example/export'],
      script: 'wget --cookie=*** https://api.example/export',
      headers: { Cookie: '***' },
      cookieFile: '/srv/etl/cookies.txt',
    });
  });

  it("masks curl's other cookie forms and credential headers, in an argv and in a script: -b, --cookie <value>, -H/--header 'Cookie: ...' or 'Authorization: ...'", () => {
    const shown = presentActionArgs({
      argv: [
        'curl',
        '-b',
        'session=Hunter2Sid',
        '-bsid=Hunter2Sid',
        '-H',
        'Cookie: session=Hunter2Sid',
        '--header=Authorization: Bearer Hunter2Jwt',
        'https://api.example',
      ],
      headerArgv: ['/usr/bin/curl', '--header', 'Authorization: Bearer Hunter2Jwt', '-HX-Api-Key: Hunter2Key', 'https://api.example'],
      script:
        'curl -b \'session=Hunter2Sid\' --cookie "sid=Hunter2Sid" -H \'Cookie: session=Hunter2Sid\' -H "Authorization: Bearer Hunter2Jwt" ' +
        "--header='Proxy-Authorization: Basic Hunter2Basic' https://api.example | wget --header 'Cookie: sid=Hunter2Sid' -q -",
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      argv: ['curl', '-b', '***', '-b***', '-H', 'Cookie: ***', '--header=Authorization: ***', 'https://api.example'],
      headerArgv: ['/usr/bin/curl', '--header', 'Authorization: ***', '-HX-Api-Key: ***', 'https://api.example'],
      script:
        'curl -b \'***\' --cookie "***" -H \'Cookie: ***\' -H "Authorization: ***" ' +
        "--header='Proxy-Authorization: ***' https://api.example | wget --header 'Cookie: ***' -q -",
    });
  });

  it("leaves other headers and other programs' -b as given: -H 'Accept: text/plain', tar -b 20, ssh -b 10.0.0.1", () => {
    const args = {
      argv: ['curl', '-H', 'Accept: text/plain', '--header=Content-Type: application/json', 'https://api.example'],
      tar: ['tar', '-b', '20', '-cf', 'out.tar', 'in'],
      script: 'ssh -b 10.0.0.1 etl@host \'curl -H "Accept: text/csv" https://api.example\' && split -b 10M dump.sql',
    };
    expect(presentActionArgs(args)).to.deep.equal(args);
  });

  it('shows PWD and OLDPWD, the working directories, as they are, and still masks MYSQL_PWD and --pwd', () => {
    const shown = presentActionArgs({
      env: { PWD: '/srv/etl', OLDPWD: '/home/etl', MYSQL_PWD: 'Hunter2Pw' },
      script: 'cd /srv/etl && PWD=/srv/etl OLDPWD=/home/etl DB_PWD=Hunter2Pw ./load.sh --pwd=Hunter2Pw',
      argv: ['mysql', '--pwd', 'Hunter2Pw'],
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      env: { PWD: '/srv/etl', OLDPWD: '/home/etl', MYSQL_PWD: '***' },
      script: 'cd /srv/etl && PWD=/srv/etl OLDPWD=/home/etl DB_PWD=*** ./load.sh --pwd=***',
      argv: ['mysql', '--pwd', '***'],
    });
  });

  it("masks the value after a secret-named flag in a script, keeping the flag and the value's quotes: --password <value>, --token \"...\", --api-key '...', mysql's -p<password>", () => {
    const shown = presentActionArgs({
      dump: 'mysqldump --password Hunter2Pw sales | gzip > /srv/sales.sql.gz',
      deploy: 'deploy --token "Hunter2 Tok" --api-key \'Hunter2Key\' --region eu-west-1',
      login: 'vault login --verbose --client-secret Hunter2Sec --db-password \\\n  Hunter2Pw && PGPASSWORD=Hunter2Pw psql -h db',
      mysql: 'mysql -u etl -pHunter2Pw sales; openssl genrsa -passout pass:Hunter2Pw 2048',
      argv: ['mysql', '-uetl', '-pHunter2Pw', '--host', 'db', 'sales'],
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      dump: 'mysqldump --password *** sales | gzip > /srv/sales.sql.gz',
      deploy: 'deploy --token "***" --api-key \'***\' --region eu-west-1',
      login: 'vault login --verbose --client-secret *** --db-password \\\n  *** && PGPASSWORD=*** psql -h db',
      mysql: 'mysql -u etl -p*** sales; openssl genrsa -passout *** 2048',
      argv: ['mysql', '-uetl', '-p***', '--host', 'db', 'sales'],
    });
  });

  it('leaves flags that only look like a credential name, and their values, as given: --passive-ftp <url>, --password-stdin, --max-tokens, --no-password, --ask-pass, a spaced -p (a port, a database)', () => {
    const args = {
      argv: ['wget', '--passive-ftp', 'ftp://mirror.example/pub/data.tar.gz'],
      docker: ['docker', 'login', '--password-stdin', '--username', 'etl', 'registry.example'],
      flags: ['llm', '--max-tokens', '100', '--token-file', '/run/secrets/tok', '--bypass', 'cache', '--passive-ftp=on'],
      script:
        'wget --passive-ftp ftp://mirror.example/pub/data.tar.gz && psql -h db -p 5432 -U etl && mysql -p sales ' +
        '&& llm --max-tokens 100 --password-file /run/secrets/pw && ssh -p 2222 etl@host ' +
        '&& psql --no-password -h db && ansible-playbook --ask-pass -i hosts site.yml',
    };
    expect(presentActionArgs(args)).to.deep.equal(args);
  });

  it("shows prose in an action's string arguments as written (the word after --token in a sentence), and masks a value there, and every word after such a flag in a command", () => {
    const shown = presentActionArgs({
      message: 'use --token to authenticate, or --password first.',
      description: 'give --api-key (see the runbook) and --client-secret; then run',
      hint: 'call it with --token Hunter2Tok or --password "hunter two" or --secret $VAULT_SECRET',
      script: 'vault login --token hunter',
      run: ['sh', '-c', 'deploy --password hunter'],
      shellCommand: 'mysql --password hunter sales',
      options: { extraArgs: '--api-key hunter' },
    });
    expect(shown).to.deep.equal({
      message: 'use --token to authenticate, or --password first.',
      description: 'give --api-key (see the runbook) and --client-secret; then run',
      hint: 'call it with --token *** or --password "***" or --secret ***',
      script: 'vault login --token ***',
      run: ['sh', '-c', 'deploy --password ***'],
      shellCommand: 'mysql --password *** sales',
      options: { extraArgs: '--api-key ***' },
    });
    // Arguments given as one string: a command line, most likely.
    expect(presentActionArgs('mysql --password hunter sales')).to.equal('mysql --password *** sales');
  });

  it('masks a key whose words name a credential (camelCase, snake_case, kebab-case, or ending one word: PGPASSWORD), not a key that merely contains one: passive, passthrough, compass', () => {
    const secrets = {
      dbPass: 'Hunter2',
      DB_PASS: 'Hunter2',
      'db-pass': 'Hunter2',
      dbpass: 'Hunter2',
      PGPASSWORD: 'Hunter2',
      MySQLPassword: 'Hunter2',
      clientSecret: 'Hunter2',
      'X-Api-Key': 'Hunter2',
      accesstoken: 'Hunter2',
      basicAuth: 'etl:Hunter2',
      vaultSecretId: 'Hunter2',
      JSESSIONID: 'Hunter2',
      credentials: { user: 'etl', pin: 1234 },
    };
    const visible = {
      passive: true,
      passthrough: 'raw',
      compass: 'north',
      bypassCache: true,
      tokenizer: 'bert-base',
      secretary: 'ops@example.com',
      obsession: 'data',
      authMode: 'rbac',
      cookieFile: '/srv/etl/cookies.txt',
      PWD: '/srv/etl',
    };
    const shown = presentActionArgs({ ...secrets, ...visible }) as Record<string, unknown>;
    expect(Object.fromEntries(Object.keys(visible).map((key) => [key, shown[key]]))).to.deep.equal(visible);
    expect(JSON.stringify(shown)).not.to.match(/Hunter2|1234/);
    expect(shown).to.deep.equal({ ...Object.fromEntries(Object.keys(secrets).map((key) => [key, '***'])), ...visible });
    // A variable in a command is a key too.
    expect(presentActionArgs({ script: 'passive=true compass=north PGPASSWORD=Hunter2 DBPASS=Hunter2 ./load.sh' })).to.deep.equal({
      script: 'passive=true compass=north PGPASSWORD=*** DBPASS=*** ./load.sh',
    });
  });

  it("masks --secret-id's value (Vault's AppRole secret; a harmless name to AWS Secrets Manager), not --secret-id-file's path", () => {
    const shown = presentActionArgs({
      argv: ['vault', 'write', 'auth/approle/login', '--role-id', 'r-1', '--secret-id', 'Hunter2Sid'],
      script: 'login --secret-id=Hunter2Sid && login --secret_id Hunter2Sid --secret-id-file /run/secrets/sid',
      aws: ['aws', 'secretsmanager', 'get-secret-value', '--secret-id', 'prod/db'],
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      argv: ['vault', 'write', 'auth/approle/login', '--role-id', 'r-1', '--secret-id', '***'],
      script: 'login --secret-id=*** && login --secret_id *** --secret-id-file /run/secrets/sid',
      aws: ['aws', 'secretsmanager', 'get-secret-value', '--secret-id', '***'],
    });
  });

  it('masks a long hostile script (30,000 characters) quickly: no regex backtracks over it', () => {
    const hostile = [
      '--password "'.repeat(2500),
      `${'-'.repeat(29_000)}password x`,
      `curl ${'-b '.repeat(10_000)}`,
      `mysql ${'-p"'.repeat(10_000)}`,
      `x=1 ${'pass'.repeat(7500)}`,
      `-H ${'"Cookie: a" '.repeat(2500)}`,
      `--token ${'\\\n'.repeat(10_000)}`,
      `a://${'b:'.repeat(15_000)}`,
      `${'a'.repeat(30_000)}@=`,
      'curl '.repeat(6000),
      '--token '.repeat(3750),
      'aB'.repeat(15_000),
      'a_'.repeat(15_000),
      `${'x'.repeat(29_990)}_password`,
      'compass_'.repeat(3750),
      `${'--token '.repeat(3000)}${'a'.repeat(6000)}`,
    ];
    for (const script of hostile) {
      const started = performance.now();
      // As a command, as any text (a sentence), and as a key.
      presentActionArgs({ script, argv: script.split(' '), note: script, [script]: 'x' });
      expect(performance.now() - started, script.slice(0, 20)).to.be.below(200);
    }
  });
});
