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
    ];
    for (const script of hostile) {
      const started = performance.now();
      presentActionArgs({ script, argv: script.split(' ') });
      expect(performance.now() - started, script.slice(0, 20)).to.be.below(200);
    }
  });
});
