// The ages a record is for, checked by the gateway before a mutation is sent (MUTATION_RULES' subjectAges and
// withinAgesOf): the Acts' ages (a 児童 under 18, a 高年齢者 55 and over) and the ages a job opening or a
// participation opportunity is for, judged on the birth date the hub's register holds. Pure: the checks read
// the birth date and the record's limits (mutation-checks.ts).

import { ageOnDay } from '@hub/platform';
import type { InputRefusal } from './mutation-rules.js';

/** An input field and values of it (an enum's). */
export interface InputValues {
  readonly input: string;
  readonly values: readonly string[];
}

/** 児童福祉法 4条: a 児童 is a person under 18. */
export const CHILD_AGE_LIMIT = 18;

/**
 * The ages at which the child-DV system's record of a specified expectant mother (特定妊婦) is taken for one:
 * a case so classified for a person of 76 is a mistake, or a council made around someone it may not cover.
 */
export const EXPECTANT_AGES = { from: 10, below: 60 } as const;

/** A record about no person that says whom it is for by age: a job opening, a participation opportunity. */
export type AgeLimitedRecord = 'JOB_OPENING' | 'PARTICIPATION_OPPORTUNITY';

/** The ages a record is for, inclusive; null where it sets none. */
export interface AgeLimits {
  readonly minAge: number | null;
  readonly maxAge: number | null;
}

/**
 * The person must be of the ages the record the input names is for (an opening's, an opportunity's), today:
 * the limits are its agency system's, read by the hub (no person's data), checked as SubjectAge.
 */
export interface WithinAgesOf {
  readonly record: AgeLimitedRecord;
  /** The input naming the record. */
  readonly input: string;
}

/** The SubjectAge a record's limits make (none when it sets none). */
export function agesOfRecord(within: WithinAgesOf, limits: AgeLimits): SubjectAge | null {
  const { minAge, maxAge } = limits;
  if (minAge === null && maxAge === null) return null;
  const ages =
    maxAge === null ? `${minAge} or over` : minAge === null ? `${maxAge} or under` : `${minAge} to ${maxAge}`;
  return {
    ...(minAge !== null ? { atLeast: minAge } : {}),
    ...(maxAge !== null ? { under: maxAge + 1 } : {}),
    reason: 'OUTSIDE_AGE_LIMITS',
    argument: within.input,
    message: `${within.input} names one for persons of ${ages}: not this person`,
  };
}

/**
 * The age the person of `input.personId` is of, as the Act that defines the record has it, today in Japan:
 * judged on the birth date the hub's register holds, so a person registered without one is not judged. Checked
 * for the caller's own domain, after jurisdiction: the caller serves her, and a refusal tells it that she is
 * not of that age today, which its record of her needs. Never on a day the input names (a day joined, a start):
 * a day the caller chooses, moved one at a time, would tell it her birth date to the day.
 */
export interface SubjectAge {
  /** She is at least this many years old. */
  readonly atLeast?: number;
  /** She is younger than this many years. */
  readonly under?: number;
  /** The rule holds only where this input has one of these values (a 特定妊婦's case). */
  readonly only?: InputValues;
  /** An input whose value lifts the rule (a 特定妊婦's case is of no child). */
  readonly unless?: InputValues;
  /** `BAD_USER_INPUT` reason, the argument it names (`personId` unless told), and what the refusal says. */
  readonly reason: string;
  readonly argument?: string;
  readonly message: string;
}

/** The first of the ages the subject is not of today, or null (her birth date unknown, each rule lifted). */
export function subjectAgeRefusal(
  ages: readonly SubjectAge[],
  input: Readonly<Record<string, unknown>>,
  birthDate: string | null,
  today: string,
): InputRefusal | null {
  if (birthDate === null) return null;
  for (const age of ages) {
    const refusal = ageRefusal(age, input, birthDate, today);
    if (refusal) return refusal;
  }
  return null;
}

const hasValue = (input: Readonly<Record<string, unknown>>, { input: name, values }: InputValues) =>
  values.includes(String(input[name]));

function ageRefusal(
  age: SubjectAge,
  input: Readonly<Record<string, unknown>>,
  birthDate: string,
  today: string,
): InputRefusal | null {
  if ((age.only && !hasValue(input, age.only)) || (age.unless && hasValue(input, age.unless))) return null;
  const years = ageOnDay(birthDate, today);
  const of = (age.atLeast === undefined || years >= age.atLeast) && (age.under === undefined || years < age.under);
  return of ? null : { input: age.argument ?? 'personId', reason: age.reason, message: age.message };
}
