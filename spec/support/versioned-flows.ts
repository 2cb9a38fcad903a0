import { DependsOn, Flow, Main, Step } from '../../src';

/* One flow, two deployments. Version 1: a -> b, and b fails. */
@Step({ name: 'a' })
class A {
  @Main() run() {}
}

@Step({ name: 'b' })
@DependsOn(A)
class B {
  @Main() run() {
    throw new Error('b is broken: it is being removed');
  }
}

@Flow({ name: 'versioned', steps: [A, B] })
export class VersionedV1 {}

/* Version 2, deployed after: b is gone, c replaces it. */
@Step({ name: 'c' })
@DependsOn(A)
class C {
  @Main() run() {}
}

@Flow({ name: 'versioned', steps: [A, C] })
export class VersionedV2 {}
