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
        'curl -b *** --cookie *** -H \'Cookie: ***\' -H "Authorization: ***" ' +
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
});
