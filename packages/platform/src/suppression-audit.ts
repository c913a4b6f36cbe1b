// The suppression audit: what a reader can work out of a dashboard's withheld counts by combining every
// count it publishes, relation with relation. Checking each relation alone is not enough: a published
// cell is a lower bound on its withheld row total, and with a published grand total that bound can pin
// the other rows at zero. The audit asks a linear program, for every withheld count below
// MIN_PUBLISHED_COUNT, the least and the greatest value the published counts allow it.

import { solve, type Constraint } from 'yalps';

/** One value of a table as the audit reads it. */
export interface AuditedValue {
  /** The true count. */
  readonly value: number;
  /** What of it the reader knows on its own (its own records): the withheld part is at least that. */
  readonly own: number;
  readonly suppressed: boolean;
}

/** Values a reader knows to be related: `members` and the `total` they are counted in. */
export interface AuditedRelation<V extends AuditedValue> {
  readonly members: readonly V[];
  readonly total: V;
}

/**
 * The first withheld value whose others' part (the value less the reader's own) is below `threshold` and
 * that the reader can narrow to an interval narrower than `threshold`, or undefined when none can be.
 *
 * The reader is taken to know, of every relation, what holds of its true values: whether the members add
 * up to the total, to more (a case counted under two issues) or to less, and whether no member exceeds the
 * total. Every value is a count, and never less than the reader's own records in it.
 */
export function narrowedValue<V extends AuditedValue>(
  values: readonly V[],
  relations: readonly AuditedRelation<V>[],
  threshold: number,
): V | undefined {
  const hidden = values.filter((v) => v.suppressed);
  if (hidden.length === values.length) return undefined; // nothing published, nothing to combine
  const index = new Map(hidden.map((v, i) => [v, i]));
  const model = linearModel(relations, index);

  const bound = (i: number, direction: 'maximize' | 'minimize') => {
    const solution = solve({ ...model, direction, objective: `value:${i}` });
    if (solution.status === 'unbounded') return direction === 'maximize' ? Infinity : 0;
    // The true values always satisfy the model; a solver that fails to say how far they reach is read as
    // the narrowest answer, so that more is withheld rather than less.
    return solution.status === 'optimal' ? solution.result : NaN;
  };
  const tolerance = 1e-6;
  return hidden.find((v) => {
    if (v.value - v.own >= threshold) return false;
    const i = index.get(v)!;
    const hi = bound(i, 'maximize');
    if (!(hi >= threshold - tolerance)) return true;
    if (hi === Infinity) return false;
    const lo = bound(i, 'minimize');
    return !(hi - lo >= threshold - tolerance);
  });
}

/**
 * The relations as linear constraints over the withheld values' others' parts (each ≥ 0); a published value
 * is a constant. Each withheld value `i` also carries a coefficient of 1 on `value:i`, the objective that
 * asks for it.
 */
function linearModel<V extends AuditedValue>(relations: readonly AuditedRelation<V>[], index: Map<V, number>) {
  const variables = new Map<string, Map<string, number>>(
    [...index.values()].map((i) => [`x${i}`, new Map([[`value:${i}`, 1]])]),
  );
  const constraints = new Map<string, Constraint>();
  /** Adds Σ sign·value over `terms`, related to 0 by `relation`, if any term is withheld. */
  const add = (name: string, terms: readonly (readonly [V, 1 | -1])[], relation: 'equal' | 'min' | 'max') => {
    let constant = 0;
    let withheld = false;
    for (const [v, sign] of terms) {
      const i = index.get(v);
      // A withheld value is its reader's own part, known, plus the unknown rest.
      constant += sign * (i === undefined ? v.value : v.own);
      if (i === undefined) continue;
      const coefficients = variables.get(`x${i}`)!;
      coefficients.set(name, (coefficients.get(name) ?? 0) + sign);
      withheld = true;
    }
    if (withheld) constraints.set(name, { [relation]: -constant });
  };

  relations.forEach(({ members, total }, k) => {
    const difference = members.reduce((sum, m) => sum + m.value, 0) - total.value;
    const terms = [...members.map((m) => [m, 1] as const), [total, -1] as const];
    add(`sum:${k}`, terms, difference === 0 ? 'equal' : difference > 0 ? 'min' : 'max');
    if (difference !== 0 && members.every((m) => m.value <= total.value)) {
      members.forEach((m, j) =>
        add(
          `part:${k}:${j}`,
          [
            [m, 1],
            [total, -1],
          ],
          'max',
        ),
      );
    }
  });
  return { constraints, variables };
}
