// The suppression audit: what a reader can work out of a dashboard's withheld counts by combining every
// count it can read, relation with relation and table with table. Checking each relation alone is not
// enough: a published cell is a lower bound on its withheld row total, and with a published grand total
// that bound can pin the other rows at zero. Nor is one table alone: a table of two towns less the
// published table of one of them gives the other's. The audit asks a linear program, for every withheld
// count below the threshold, the least and the greatest value the published counts allow it.

import { solve, type Constraint } from 'yalps';

/** One value of a table as the audit reads it. */
export interface AuditedValue {
  /** The true count. */
  readonly value: number;
  /** What of it the reader knows on its own (its own records): the withheld part is at least that. */
  readonly own: number;
  readonly suppressed: boolean;
}

/** Positions, in a table's list of values, that a reader knows to be related: members and their total. */
export interface Relation {
  readonly members: readonly number[];
  readonly total: number;
}

/**
 * A table as the reader can read it: its values (each position the same count in every table of one
 * audit: a cell, a row's total…) with what is published of them. In a joint audit, one table per town.
 */
export type AuditedTable = readonly AuditedValue[];

/** What the audit found narrowed: a value of a town's table (`part`), or of the table of them all. */
export type Narrowed = { readonly part: number; readonly position: number } | { readonly position: number };

/**
 * An audit of tables whose values get withheld one by one: each call answers the first withheld value
 * whose others' part (the value less the reader's own) is below `threshold` and that the reader can
 * narrow to an interval narrower than `threshold`, or undefined when none can be.
 *
 * `parts` are the tables the reader is taken to read: one, or one per town with what each town's own table
 * publishes. `combined`, given for a table of several towns, is that table: each of its values is the sum
 * of the towns' at the same position; what it publishes ties them. It is audited with the towns' tables,
 * so that neither it nor any town's table can be subtracted from the other. The tables are read afresh
 * at each call, as more of them is withheld.
 *
 * The reader is taken to know, of every relation of each town's table, what holds of its true values:
 * whether the members add up to the total, to more (a case counted under two issues) or to less, and
 * whether no member exceeds the total. Every value is a count, and never less than the reader's own
 * records in it.
 *
 * Withholding a value only takes a constraint away, so a value once found wide enough stays so: each is
 * solved for until it is found so, not at every call.
 */
export function auditOf(
  parts: readonly AuditedTable[],
  relations: readonly Relation[],
  threshold: number,
  combined?: AuditedTable,
): () => Narrowed | undefined {
  const tolerance = 1e-6;
  const wide = new Set<string>();
  const small = (v: AuditedValue) => v.suppressed && v.value - v.own < threshold;
  // The least and greatest value seen of every objective, over points the reader cannot rule out: the
  // truth, and every point a solve answered (withholding more only widens what is possible, so a point
  // stays possible). Where they already lie `threshold` apart, no solve is needed.
  const seen = new Map<string, [number, number]>();
  const see = (others: (p: number, s: number) => number) => {
    const positions = (parts[0] ?? []).keys();
    for (const s of positions) {
      let sum = 0;
      for (const p of parts.keys()) {
        const value = others(p, s);
        sum += value;
        widen(`value:${p}:${s}`, value);
      }
      widen(`sum:${s}`, sum);
    }
  };
  const widen = (objective: string, value: number) => {
    const range = seen.get(objective);
    if (!range) seen.set(objective, [value, value]);
    else {
      range[0] = Math.min(range[0], value);
      range[1] = Math.max(range[1], value);
    }
  };
  see((p, s) => parts[p]![s]!.value - parts[p]![s]!.own);

  return () => {
    const published = [...parts, ...(combined ? [combined] : [])].some((table) => table.some((v) => !v.suppressed));
    if (!published) return undefined; // nothing to combine
    const model = linearModel(parts, relations, combined);
    const solveFor = (objective: string, direction: 'maximize' | 'minimize') => {
      const solution = solve({ ...model, direction, objective });
      if (solution.status === 'unbounded') return direction === 'maximize' ? Infinity : 0;
      // The true values always satisfy the model; a solver that fails to say how far they reach is read
      // as the narrowest answer, so that more is withheld rather than less.
      if (solution.status !== 'optimal') return NaN;
      const point = new Map(solution.variables);
      see((p, s) => {
        const v = parts[p]![s]!;
        return v.suppressed ? (point.get(`x${p}:${s}`) ?? 0) : v.value - v.own;
      });
      return solution.result;
    };
    const narrowed = (objective: string) => {
      if (wide.has(objective)) return false;
      const range = seen.get(objective)!;
      if (range[1] - range[0] < threshold - tolerance) {
        const hi = solveFor(objective, 'maximize');
        if (!(hi >= threshold - tolerance)) return true;
        if (hi !== Infinity && !(hi - solveFor(objective, 'minimize') >= threshold - tolerance)) return true;
      }
      wide.add(objective);
      return false;
    };

    if (combined) {
      const position = combined.findIndex((v, s) => small(v) && narrowed(`sum:${s}`));
      if (position >= 0) return { position };
    }
    for (const [p, table] of parts.entries()) {
      const position = table.findIndex((v, s) => small(v) && narrowed(`value:${p}:${s}`));
      if (position >= 0) return combined ? { part: p, position } : { position };
    }
    return undefined;
  };
}

/**
 * The tables as linear constraints over the withheld values' others' parts (each ≥ 0); a value its town's
 * table publishes is a constant. Each withheld value carries a coefficient of 1 on `value:<part>:<position>`,
 * and on `sum:<position>`, the objectives that ask for it and for the towns' sum at its position.
 */
function linearModel(parts: readonly AuditedTable[], relations: readonly Relation[], combined?: AuditedTable) {
  const variables = new Map<string, Map<string, number>>();
  const constraints = new Map<string, Constraint>();
  const variable = (p: number, s: number) => {
    const v = parts[p]![s]!;
    if (!v.suppressed) return undefined;
    const name = `x${p}:${s}`;
    if (!variables.has(name))
      variables.set(
        name,
        new Map([
          [`value:${p}:${s}`, 1],
          [`sum:${s}`, 1],
        ]),
      );
    return variables.get(name)!;
  };
  /** Adds Σ sign·value over `terms` (part, position), related to `right` by `relation`, if any is withheld. */
  const add = (
    name: string,
    terms: readonly (readonly [number, number, 1 | -1])[],
    relation: 'equal' | 'min' | 'max',
    right = 0,
  ) => {
    let constant = 0;
    let withheld = false;
    for (const [p, s, sign] of terms) {
      const v = parts[p]![s]!;
      const coefficients = variable(p, s);
      // A withheld value is its reader's own part, known, plus the unknown rest.
      constant += sign * (coefficients ? v.own : v.value);
      if (!coefficients) continue;
      coefficients.set(name, (coefficients.get(name) ?? 0) + sign);
      withheld = true;
    }
    if (withheld) constraints.set(name, { [relation]: right - constant });
  };

  for (const [p, table] of parts.entries()) {
    relations.forEach(({ members, total }, k) => {
      const difference = members.reduce((sum, s) => sum + table[s]!.value, 0) - table[total]!.value;
      const terms = [...members.map((s) => [p, s, 1] as const), [p, total, -1] as const];
      add(`sum:${p}:${k}`, terms, difference === 0 ? 'equal' : difference > 0 ? 'min' : 'max');
      if (difference !== 0 && members.every((s) => table[s]!.value <= table[total]!.value)) {
        for (const s of members) {
          add(
            `part:${p}:${k}:${s}`,
            [
              [p, s, 1],
              [p, total, -1],
            ],
            'max',
          );
        }
      }
    });
  }
  combined?.forEach((v, s) => {
    if (!v.suppressed)
      add(
        `published:${s}`,
        [...parts.keys()].map((p) => [p, s, 1] as const),
        'equal',
        v.value,
      );
  });
  return { constraints, variables };
}
