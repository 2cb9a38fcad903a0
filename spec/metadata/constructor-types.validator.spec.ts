import 'reflect-metadata';
import { expect } from 'chai';
import { container as rootContainer, inject, injectable } from 'tsyringe';
import { Flow, FlowDefinitionError, Main, Pre, Step, StepContext, type Action } from '../../src';
import { scanFlow } from '../../src/metadata/flow-scanner';
import { createTestingApp } from '../../src/testing';
import { Warehouse } from './fixtures/warehouse.service';
import type { Warehouse as WarehouseType } from './fixtures/warehouse.service';

/** What an application injects through an interface: only an @inject(TOKEN) can name it at run time. */
interface Client {
  query(sql: string): string;
}
const CLIENT = Symbol('Client');

function definitionError(fn: () => unknown): FlowDefinitionError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(FlowDefinitionError);
    return err as FlowDefinitionError;
  }
  throw new Error('expected a FlowDefinitionError');
}

describe('metadata/constructor types: a step whose constructor tsyringe cannot resolve fails at bootstrap()', () => {
  it('a class imported with `import type`: names the class, the parameter and both fixes', () => {
    @Step({ name: 'load' })
    class Load {
      constructor(private readonly warehouse: WarehouseType) {}
      @Main() run(ctx: StepContext) {
        this.warehouse.load(ctx.timeperiod);
      }
    }
    @Flow({ name: 'type_only', steps: [Load] })
    class TypeOnly {}

    const err = definitionError(() => scanFlow(TypeOnly));
    expect(err.message).to.contain(
      "flow 'type_only', step 'load': class Load's constructor parameter 1 of 1 has a type unknown at run time",
    );
    expect(err.message).to.contain('`import type`');
    expect(err.message).to.contain('Import the class as a value');
    expect(err.message).to.contain('@inject(TOKEN)');
  });

  it('an interface: names the parameter by its position among the others', () => {
    @Step({ name: 'report' })
    class Report {
      constructor(
        readonly ctx: StepContext,
        readonly client: Client,
      ) {}
      @Main() run() {}
    }
    @Flow({ name: 'interface_param', steps: [Report] })
    class InterfaceParam {}

    const err = definitionError(() => scanFlow(InterfaceParam));
    expect(err.message).to.contain("class Report's constructor parameter 2 of 2 has a type unknown at run time (Object)");
  });

  it('no decorator metadata at all (emitDecoratorMetadata off, or an esbuild-based runner): says to turn it on', () => {
    // Decorators applied by hand: TypeScript emits no design:paramtypes, as without emitDecoratorMetadata.
    class Bare {
      constructor(readonly warehouse: Warehouse) {}
      run() {}
    }
    Step({ name: 'bare' })(Bare);
    Main()(Bare.prototype, 'run', Object.getOwnPropertyDescriptor(Bare.prototype, 'run')!);
    @Flow({ name: 'no_metadata', steps: [Bare] })
    class NoMetadata {}

    const err = definitionError(() => scanFlow(NoMetadata));
    expect(err.message).to.contain(
      "flow 'no_metadata', step 'bare': class Bare has no parameter types at run time (constructor parameter 1 of 1 cannot be injected)",
    );
    expect(err.message).to.contain('"emitDecoratorMetadata": true');
  });

  it('an action class: names the step and the action', () => {
    @injectable()
    class Audit implements Action {
      constructor(readonly client: Client) {}
      run() {}
    }
    @Step({ name: 'audited' })
    @Pre(Audit)
    class Audited {
      @Main() run() {}
    }
    @Flow({ name: 'action_param', steps: [Audited] })
    class ActionParam {}

    const err = definitionError(() => scanFlow(ActionParam));
    expect(err.message).to.contain(
      "flow 'action_param', step 'audited', action 'Audit': class Audit's constructor parameter 1 of 1 has a type unknown at run time (Object)",
    );
  });

  it('bootstrap() refuses the flow before it creates anything', async () => {
    @Step({ name: 'load' })
    class Load {
      constructor(readonly warehouse: WarehouseType) {}
      @Main() run() {}
    }
    @Flow({ name: 'refused', steps: [Load] })
    class Refused {}

    const failed = await createTestingApp({ flows: [Refused] }).then(
      async (t) => {
        await t.teardown();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(failed).to.be.instanceOf(FlowDefinitionError);
  });

  it('a value import, the StepContext class and an @inject(TOKEN) for an interface: accepted, and each is injected', async () => {
    const seen: string[] = [];
    @Step({ name: 'load' })
    class Load {
      constructor(
        private readonly warehouse: Warehouse,
        private readonly ctx: StepContext,
        @inject(CLIENT) private readonly client: Client,
      ) {}
      @Main() run() {
        this.warehouse.load(this.ctx.timeperiod);
        seen.push(`${this.warehouse.loaded.join()} ${this.client.query('select 1')}`);
      }
    }
    @Flow({ name: 'injected', steps: [Load] })
    class Injected {}

    const app = rootContainer.createChildContainer();
    app.register<Client>(CLIENT, { useValue: { query: (sql) => `ran ${sql}` } });
    const t = await createTestingApp({ flows: [Injected], container: app });
    try {
      const result = await t.app.run('injected', { timeperiod: '2026112600' });
      expect(result.state).to.equal('processed');
      expect(seen).to.deep.equal(['2026112600 ran select 1']);
    } finally {
      await t.teardown();
    }
  });
});
