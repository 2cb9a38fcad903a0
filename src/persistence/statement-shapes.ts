import type { ValueConverter } from './value-converter';

/** A statement built for one entity, one kind of write and one list of fields, with a converter per parameter. */
export interface StatementShape {
  sql: string;
  convert: ValueConverter[];
}

interface Known {
  fields: readonly string[];
  shape: StatementShape;
}

/**
 * The statements built so far, found by entity (the class), kind of write and the fields it sets.
 * The engine's writes repeat a handful of shapes per entity, so a lookup compares the write's
 * fields with each known shape's, name by name: property names from Object.keys() are the same
 * string objects write after write, so that costs a few pointer comparisons, where a key string
 * joined from the names had to be built and hashed anew for every write (the largest part of
 * compiling an attempt row's insert).
 */
export class StatementShapes {
  private readonly byEntity = new Map<object, Map<string, Known[]>>();

  /** The shape of these fields, built by `build` the first time. */
  of(entity: object, kind: string, fields: readonly string[], build: () => StatementShape): StatementShape {
    let kinds = this.byEntity.get(entity);
    if (!kinds) this.byEntity.set(entity, (kinds = new Map<string, Known[]>()));
    let known = kinds.get(kind);
    if (!known) kinds.set(kind, (known = []));
    for (const candidate of known) if (sameFields(candidate.fields, fields)) return candidate.shape;
    const shape = build();
    known.push({ fields: [...fields], shape });
    return shape;
  }
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
