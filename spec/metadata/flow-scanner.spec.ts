import 'reflect-metadata';
import { expect } from 'chai';
import {
  DependsOn,
  Flow,
  FlowDefinitionError,
  type FlowDefinitionErrorKind,
  IdentityAction,
  Main,
  MkdirAction,
  Post,
  Pre,
  Step,
} from '../../src';
import { scanFlow, scanFlows } from '../../src/metadata/flow-scanner';
import { MAX_NAME_LENGTH } from '../../src/metadata/name-rules';

/** The error `fn` throws, checked to be a FlowDefinitionError of that kind, flow and step (undefined: the flow's mistake). */
function definitionError(
  fn: () => unknown,
  where?: { kind: FlowDefinitionErrorKind; flow: string | undefined; step: string | undefined },
): FlowDefinitionError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(FlowDefinitionError);
    expect((err as Error).name).to.equal('FlowDefinitionError');
    expect((err as FlowDefinitionError).code).to.equal('ERR_SYNERGY_FLOW_DEFINITION');
    if (where)
      expect({
        kind: (err as FlowDefinitionError).kind,
        flow: (err as FlowDefinitionError).flow,
        step: (err as FlowDefinitionError).step,
      }).to.deep.equal(where);
    return err as FlowDefinitionError;
  }
  throw new Error('expected a FlowDefinitionError');
}

describe('metadata/flow scanner', () => {
  describe('a valid flow', () => {
    @Step({ name: 'a' })
    @Pre(MkdirAction, { uri: '/tmp/x' })
    @Post(IdentityAction)
    class A {
      @Pre() first() {}
      @Pre() second() {}
      @Main() run() {}
      @Post() after() {}
    }

    @Step()
    @DependsOn(A)
    class B {
      @Main() run() {}
    }

    @Step({ name: 'c' })
    @DependsOn('a', B)
    @Main(IdentityAction, undefined, { name: 'noop' })
    class C {}

    @Flow({ name: 'valid', steps: [A, B, C] })
    class Valid {}

    it('names steps by option or class name and resolves dependencies given as classes or names', () => {
      const flow = scanFlow(Valid);
      expect(flow.name).to.equal('valid');
      expect([...flow.steps.keys()]).to.deep.equal(['a', 'B', 'c']);
      expect(flow.steps.get('B')!.dependsOn).to.deep.equal(['a']);
      expect(flow.steps.get('c')!.dependsOn).to.deep.equal(['a', 'B']);
    });

    it('orders actions: class-level ones first as written, then methods in declaration order', () => {
      const a = scanFlow(Valid).steps.get('a')!;
      expect(a.pre.map((x) => x.name)).to.deep.equal(['MkdirAction', 'first', 'second']);
      expect(a.main.name).to.equal('run');
      expect(a.post.map((x) => x.name)).to.deep.equal(['IdentityAction', 'after']);
      expect(a.pre[0]).to.deep.include({ kind: 'class', args: { uri: '/tmp/x' } });
      expect(scanFlow(Valid).steps.get('c')!.main).to.include({ name: 'noop', kind: 'class', actionClass: IdentityAction });
    });
  });

  it('marks a step plain only when an attempt needs nothing from tsyringe but `new StepClass()`', () => {
    class Service {}
    @Step({ name: 'bare' })
    class Bare {
      @Main() run() {}
    }
    @Step({ name: 'class_action' })
    @Pre(IdentityAction)
    class ClassAction {
      @Main() run() {}
    }
    @Step({ name: 'injected' })
    class Injected {
      constructor(readonly service: Service) {}
      @Main() run() {}
    }
    @Step({ name: 'disposable' })
    class Disposable {
      @Main() run() {}
      dispose() {}
    }
    @Flow({ name: 'shapes', steps: [Bare, ClassAction, Injected, Disposable] })
    class Shapes {}

    const plain = Object.fromEntries([...scanFlow(Shapes).steps].map(([name, step]) => [name, step.plain]));
    expect(plain).to.deep.equal({ bare: true, class_action: false, injected: false, disposable: false });
  });

  it('rejects a step without @Main, naming the flow, the step and the fix', () => {
    @Step({ name: 'lazy' })
    class Lazy {
      @Pre() prepare() {}
    }
    @Flow({ name: 'f_no_main', steps: [Lazy] })
    class F {}
    const err = definitionError(() => scanFlow(F), { kind: 'no-main', flow: 'f_no_main', step: 'lazy' });
    expect(err.message).to.include("flow 'f_no_main'").and.include("step 'lazy'").and.include('@Main');
  });

  it('rejects two @Main', () => {
    @Step()
    class Twice {
      @Main() one() {}
      @Main() two() {}
    }
    @Flow({ name: 'f_two_mains', steps: [Twice] })
    class F {}
    const err = definitionError(() => scanFlow(F), { kind: 'two-mains', flow: 'f_two_mains', step: 'Twice' });
    expect(err.message).to.include("step 'Twice'").and.include('2 @Main').and.include('one, two');
  });

  it('rejects a method @Main plus a class-level @Main', () => {
    @Step()
    @Main(IdentityAction)
    class Both {
      @Main() run() {}
    }
    @Flow({ name: 'f_both', steps: [Both] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'two-mains', flow: 'f_both', step: 'Both' }).message).to.include('2 @Main');
  });

  it('rejects a dependency that is not in the flow (by name and by class)', () => {
    @Step()
    class Outside {
      @Main() run() {}
    }
    @Step()
    @DependsOn('ghost')
    class ByName {
      @Main() run() {}
    }
    @Step()
    @DependsOn(Outside)
    class ByClass {
      @Main() run() {}
    }
    @Flow({ name: 'f_dep_name', steps: [ByName] })
    class F1 {}
    @Flow({ name: 'f_dep_class', steps: [ByClass] })
    class F2 {}
    expect(definitionError(() => scanFlow(F1), { kind: 'unknown-dependency', flow: 'f_dep_name', step: 'ByName' }).message)
      .to.include("depends on 'ghost'")
      .and.include("step 'ByName'");
    expect(definitionError(() => scanFlow(F2), { kind: 'unknown-dependency', flow: 'f_dep_class', step: 'ByClass' }).message)
      .to.include('class Outside')
      .and.include('not a step of this flow');
  });

  it('rejects a cycle and prints its path', () => {
    @Step({ name: 'x' })
    @DependsOn('z')
    class X {
      @Main() run() {}
    }
    @Step({ name: 'y' })
    @DependsOn('x')
    class Y {
      @Main() run() {}
    }
    @Step({ name: 'z' })
    @DependsOn('y')
    class Z {
      @Main() run() {}
    }
    @Step({ name: 'free' })
    class Free {
      @Main() run() {}
    }
    @Flow({ name: 'f_cycle', steps: [Free, X, Y, Z] })
    class F {}
    const err = definitionError(() => scanFlow(F), { kind: 'cycle', flow: 'f_cycle', step: undefined });
    expect(err.message).to.include("flow 'f_cycle' has a dependency cycle");
    const path = /cycle: (.*);/.exec(err.message)![1].split(' -> ');
    expect(path[0]).to.equal(path[path.length - 1]);
    expect(new Set(path)).to.deep.equal(new Set(['x', 'y', 'z']));
    // each arrow goes from a dependency to its dependent
    const deps: Record<string, string> = { x: 'z', y: 'x', z: 'y' };
    for (let i = 1; i < path.length; i++) expect(deps[path[i]]).to.equal(path[i - 1]);
  });

  it('rejects a step that depends on itself', () => {
    @Step({ name: 'selfish' })
    @DependsOn('selfish')
    class Selfish {
      @Main() run() {}
    }
    @Flow({ name: 'f_self', steps: [Selfish] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'self-dependency', flow: 'f_self', step: 'selfish' }).message).to.include(
      'depends on itself',
    );
  });

  it('rejects duplicate step names', () => {
    @Step({ name: 'same' })
    class One {
      @Main() run() {}
    }
    @Step({ name: 'same' })
    class Two {
      @Main() run() {}
    }
    @Flow({ name: 'f_dup', steps: [One, Two] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'duplicate-step', flow: 'f_dup', step: 'same' }).message).to.include(
      "two steps named 'same'",
    );
  });

  for (const reserved of ['start', 'finish']) {
    it(`rejects the reserved step name '${reserved}'`, () => {
      @Step({ name: reserved })
      class R {
        @Main() run() {}
      }
      @Flow({ name: `f_${reserved}`, steps: [R] })
      class F {}
      expect(definitionError(() => scanFlow(F), { kind: 'reserved-name', flow: `f_${reserved}`, step: reserved }).message).to.include(
        `'${reserved}' is reserved`,
      );
    });
  }

  it('rejects a class used as a step without @Step', () => {
    class Plain {
      run() {}
    }
    @Flow({ name: 'f_plain', steps: [Plain] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'not-a-step', flow: 'f_plain', step: 'Plain' }).message)
      .to.include('class Plain')
      .and.include('no @Step()');
  });

  it('rejects a flow without steps, and a class without @Flow', () => {
    @Flow({ name: 'f_empty', steps: [] })
    class Empty {}
    class NotAFlow {}
    expect(definitionError(() => scanFlow(Empty), { kind: 'no-steps', flow: 'f_empty', step: undefined }).message).to.include(
      "flow 'f_empty' has no steps",
    );
    expect(definitionError(() => scanFlow(NotAFlow), { kind: 'not-a-flow', flow: 'NotAFlow', step: undefined }).message).to.include(
      'no @Flow()',
    );
  });

  it('rejects two flows with the same name', () => {
    @Step()
    class S {
      @Main() run() {}
    }
    @Flow({ name: 'twin', steps: [S] })
    class One {}
    @Flow({ name: 'twin', steps: [S] })
    class Two {}
    expect(definitionError(() => scanFlows([One, Two]), { kind: 'duplicate-flow', flow: 'twin', step: undefined }).message).to.include(
      "two flows are named 'twin'",
    );
  });

  it('rejects names that cannot be log file names', () => {
    @Step({ name: '../escape' })
    class S {
      @Main() run() {}
    }
    @Flow({ name: 'f_path', steps: [S] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'invalid-name', flow: 'f_path', step: '../escape' }).message).to.include(
      "'../escape' must be ASCII letters",
    );
  });

  it('rejects names longer than MAX_NAME_LENGTH, naming the flow, the step and the limit', () => {
    // 300 characters passed, then every log line was dropped on SQLite (ENAMETOOLONG) and PostgreSQL failed the run (varchar(255)).
    const long = 'x'.repeat(300);
    @Step({ name: long })
    class LongStep {
      @Main() run() {}
    }
    @Flow({ name: 'f_long_step', steps: [LongStep] })
    class LongStepFlow {}
    expect(definitionError(() => scanFlow(LongStepFlow), { kind: 'name-too-long', flow: 'f_long_step', step: long }).message).to.equal(
      `flow 'f_long_step': step name '${long}' has 300 characters, more than ${MAX_NAME_LENGTH} (it names a log file and a database column): shorten it with @Step({ name })`,
    );

    @Step({ name: 'short' })
    class Short {
      @Main() run() {}
    }
    @Flow({ name: long, steps: [Short] })
    class LongFlow {}
    expect(definitionError(() => scanFlow(LongFlow), { kind: 'name-too-long', flow: long, step: undefined }).message).to.equal(
      `flow name '${long}' (its steps: 'short') has 300 characters, more than ${MAX_NAME_LENGTH} (it names a log directory and a database column): shorten it with @Flow({ name })`,
    );

    @Step({ name: 'y'.repeat(MAX_NAME_LENGTH) })
    class LongestStep {
      @Main() run() {}
    }
    @Flow({ name: 'z'.repeat(MAX_NAME_LENGTH), steps: [LongestStep] })
    class LongestFlow {}
    expect(scanFlow(LongestFlow).steps.has('y'.repeat(MAX_NAME_LENGTH))).to.equal(true);
  });

  it('rejects a step named like its flow, whose log file would be the flow log', () => {
    @Step({ name: 'daily' })
    class Daily {
      @Main() run() {}
    }
    @Flow({ name: 'daily', steps: [Daily] })
    class DailyFlow {}
    expect(definitionError(() => scanFlow(DailyFlow), { kind: 'step-named-like-flow', flow: 'daily', step: 'daily' }).message).to.equal(
      "flow 'daily', step 'daily': a step may not be named like its flow (both would log to daily/daily.log): rename the step with @Step({ name })",
    );
  });

  it('rejects a flow name that cannot be a log directory', () => {
    @Step()
    class S {
      @Main() run() {}
    }
    @Flow({ name: 'a b', steps: [S] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'invalid-name', flow: 'a b', step: undefined }).message).to.equal(
      "flow name 'a b' must be ASCII letters, digits, '_', '.', '-', not starting with '.' or '-' (it names a log directory): rename it with @Flow({ name: 'a_b' })",
    );
  });

  // "letters" read as any letter: a name with accents was refused by a rule it seemed to follow.
  it('says a name must be ASCII, and offers one without its accents; none when nothing of it is left', () => {
    @Step({ name: 'étape_ünï' })
    class Accented {
      @Main() run() {}
    }
    @Flow({ name: 'flux', steps: [Accented] })
    class AccentedStep {}
    expect(definitionError(() => scanFlow(AccentedStep), { kind: 'invalid-name', flow: 'flux', step: 'étape_ünï' }).message).to.equal(
      "flow 'flux': step name 'étape_ünï' must be ASCII letters, digits, '_', '.', '-', not starting with '.' or '-' (it names a log file): rename it with @Step({ name: 'etape_uni' })",
    );
    @Step({ name: 'load' })
    class Load {
      @Main() run() {}
    }
    @Flow({ name: 'flux_données', steps: [Load] })
    class AccentedFlow {}
    expect(definitionError(() => scanFlow(AccentedFlow), { kind: 'invalid-name', flow: 'flux_données', step: undefined }).message).to.match(
      /^flow name 'flux_données' must be ASCII letters, .* rename it with @Flow\(\{ name: 'flux_donnees' \}\)$/,
    );
    @Step({ name: '.hidden' })
    class Hidden {
      @Main() run() {}
    }
    @Flow({ name: 'dots', steps: [Hidden] })
    class Dots {}
    expect(definitionError(() => scanFlow(Dots), { kind: 'invalid-name', flow: 'dots', step: '.hidden' }).message).to.match(
      /not starting with '\.' or '-' \(it names a log file\): rename it with @Step\(\{ name: 'hidden' \}\)$/,
    );
    @Step({ name: '日本' })
    class Cjk {
      @Main() run() {}
    }
    @Flow({ name: 'cjk', steps: [Cjk] })
    class CjkFlow {}
    expect(definitionError(() => scanFlow(CjkFlow), { kind: 'invalid-name', flow: 'cjk', step: '日本' }).message).to.match(
      /\(it names a log file\): rename it with @Step\(\{ name \}\)$/,
    );
  });

  it('rejects what is not a class, in bootstrap({ flows }) and in @Flow({ steps })', () => {
    @Flow({ name: 'f_not_a_class', steps: [42 as never] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'not-a-class', flow: 'f_not_a_class', step: undefined }).message).to.equal(
      "flow 'f_not_a_class' lists 42 as a step: list @Step classes in @Flow({ steps: [...] })",
    );
    expect(
      definitionError(() => scanFlows([undefined as never]), { kind: 'not-a-class', flow: undefined, step: undefined }).message,
    ).to.equal('bootstrap({ flows }) got undefined: pass classes decorated with @Flow');
  });

  it('rejects an action decorator on something that is not a method', () => {
    @Step({ name: 'field' })
    class Field {
      @Main() run() {}
    }
    // what `@Pre() later = 'x'` (a decorated field) records
    (Field.prototype as unknown as Record<string, unknown>).later = 'not a function';
    (Pre() as (target: object, key: string) => void)(Field.prototype, 'later');
    @Flow({ name: 'f_field', steps: [Field] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'not-a-method', flow: 'f_field', step: 'field' }).message).to.equal(
      "flow 'f_field', step 'field': @pre is on 'later', which is not a method",
    );
  });

  it('rejects wrong step options, listing every problem', () => {
    @Step({ name: 'opts', retries: -1 })
    class Opts {
      @Main() run() {}
    }
    @Flow({ name: 'f_opts', steps: [Opts] })
    class F {}
    expect(definitionError(() => scanFlow(F), { kind: 'invalid-options', flow: 'f_opts', step: 'opts' }).message).to.match(
      /^flow 'f_opts', step 'opts': .*retries/,
    );
  });

  it('decorators only record: declaring a broken step throws nothing until it is scanned', () => {
    expect(() => {
      @Step({ name: 'start' })
      @DependsOn('nowhere')
      class Broken {}
      return Broken;
    }).not.to.throw();
  });
});
