import { expect } from 'chai';
import {
  buildStepConfig,
  pigScriptArgs,
  shellCommandArgs,
  sparkSubmitArgs,
  withStepScope,
} from '../../../src/clusters/emr/emr-step-builder';

describe('EMR step builder', () => {
  it('builds spark-submit in cluster mode: conf, then submit options, then the script and its arguments', () => {
    expect(
      sparkSubmitArgs('s3://c/j.py', { conf: { a: '1', b: 'x y' }, submitArgs: ['--num-executors', '4'], args: ['in', 'out'] }),
    ).to.deep.equal([
      'spark-submit',
      '--deploy-mode',
      'cluster',
      '--conf',
      'a=1',
      '--conf',
      'b=x y',
      '--num-executors',
      '4',
      's3://c/j.py',
      'in',
      'out',
    ]);
    expect(sparkSubmitArgs('s3://c/j.py')).to.deep.equal(['spark-submit', '--deploy-mode', 'cluster', 's3://c/j.py']);
  });

  it('builds pig-script with -f and one -p per parameter, values kept whole', () => {
    expect(pigScriptArgs('s3://c/r.pig', { A: 'x=y', B: "it's" })).to.deep.equal([
      'pig-script',
      '--run-pig-script',
      '--args',
      '-f',
      's3://c/r.pig',
      '-p',
      'A=x=y',
      '-p',
      "B=it's",
    ]);
  });

  it('runs a shell command through bash -c as one argument', () => {
    expect(shellCommandArgs('a && b; c')).to.deep.equal(['bash', '-c', 'a && b; c']);
  });

  it('applies cwd and env by wrapping the argv, never by building a shell string from them', () => {
    expect(withStepScope(['ls'])).to.deep.equal(['ls']);
    expect(withStepScope(['ls', '-l'], { env: { A: '1; rm -rf /' } })).to.deep.equal(['env', 'A=1; rm -rf /', 'ls', '-l']);
    expect(withStepScope(['ls'], { cwd: '/tmp/$(whoami)' })).to.deep.equal([
      'bash',
      '-c',
      'cd -- "$0" && exec "$@"',
      '/tmp/$(whoami)',
      'ls',
    ]);
    expect(() => withStepScope(['ls'], { env: { 'A B': '1' } })).to.throw(TypeError, /not valid/);
    expect(() => withStepScope([])).to.throw(TypeError, /empty/);
  });

  it("continues the cluster on failure and keeps step names within EMR's 256 characters", () => {
    const step = buildStepConfig('x'.repeat(300), 'command-runner.jar', ['a']);
    expect(step.Name).to.have.length(256);
    expect(step.ActionOnFailure).to.equal('CONTINUE');
    expect(step.HadoopJarStep).to.deep.equal({ Jar: 'command-runner.jar', Args: ['a'] });
  });

  it('cuts a long step name between characters, never inside an emoji (a lone surrogate AWS would refuse)', () => {
    // 252 ASCII characters then emojis: a cut at 253 UTF-16 units would fall inside the first one.
    const name = 'x'.repeat(252) + '🚀'.repeat(10);
    const step = buildStepConfig(name, 'command-runner.jar', ['a']);
    expect(step.Name!.length).to.be.at.most(256);
    expect(step.Name).not.to.match(/\p{Surrogate}/u);
    expect(step.Name!.endsWith('...')).to.equal(true);
    expect(buildStepConfig('x'.repeat(251) + '🚀'.repeat(10), 'j', []).Name).to.equal('x'.repeat(251) + '🚀' + '...');
  });
});
