// Reads of an agency's own domain without a person to decide for beforehand: each record's person is asked
// for alongside it, so every person read is named in the access log before release; what a mutation
// returns about a person is decided like any read (decideAnswers).

import { Kind, type FieldNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import type { DataCategory } from '@hub/platform';
import { denialMessage, type Decision } from '../policy/decide.js';
import type { EnforceOptions } from './fetch.js';
import { forbidden } from './decisions.js';
import { PERSON_TYPE, type SchemaIndex } from './schema-index.js';

/** A root field whose records were read by the caller's own domain, and the categories read. */
export interface OwnRead {
  readonly key: string;
  readonly categories: ReadonlySet<DataCategory>;
}

/** The alias under which an own-domain read asks for each record's person, to name them in the access log. */
const AUDIT_PERSON = '__hub_audit_person';

const AUDIT_PERSON_FIELD: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: AUDIT_PERSON },
  name: { kind: Kind.NAME, value: 'person' },
  selectionSet: {
    kind: Kind.SELECTION_SET,
    selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }],
  },
};

/**
 * Adds `__hub_audit_person: person { id }` to every object in the selection that belongs to a person,
 * where the caller may read that field by its own domain; `added` collects the categories it reads.
 */
export function withAuditPersons(
  index: SchemaIndex,
  selectionSet: SelectionSetNode,
  type: string,
  own: (category: DataCategory) => boolean,
  added: Set<DataCategory>,
): SelectionSetNode {
  const selections = selectionSet.selections.map((s) => {
    if (s.kind === Kind.FIELD && s.selectionSet) {
      const child = index.field(type, s.name.value)?.type;
      return child && child !== PERSON_TYPE
        ? { ...s, selectionSet: withAuditPersons(index, s.selectionSet, child, own, added) }
        : s;
    }
    if (s.kind === Kind.INLINE_FRAGMENT) {
      const on = s.typeCondition?.name.value ?? type;
      return { ...s, selectionSet: withAuditPersons(index, s.selectionSet, on, own, added) };
    }
    return s;
  });
  const person = index.field(type, 'person');
  if (person?.type === PERSON_TYPE && (!person.category || own(person.category))) {
    if (person.category) added.add(person.category);
    selections.push(AUDIT_PERSON_FIELD);
  }
  return { ...selectionSet, selections };
}

/** The persons a root field's answer is about, and the categories it returns of them. */
export interface AnswerPersons {
  readonly key: string;
  readonly categories: ReadonlySet<DataCategory>;
  readonly personIds: ReadonlySet<string>;
}

/**
 * Decides an agency's reads of its own domain's records for every person they are about, as any read is
 * decided (rule 1 holds within its jurisdiction only), and records the decisions. A root field whose
 * answer is about a person the caller may not read is withheld whole (null), with one FORBIDDEN error per
 * denied (person, category). `own` are persons decided OWN_DOMAIN without asking: a person the request
 * itself registers, whom the register does not know yet. Recording fails closed like any other decision.
 */
export async function decideAnswers(
  data: Record<string, unknown>,
  answers: readonly AnswerPersons[],
  options: EnforceOptions,
  own: ReadonlySet<string> = new Set(),
): Promise<GraphQLFormattedError[]> {
  const asked = answers.filter((a) => a.categories.size && a.personIds.size);
  if (!asked.length) return [];
  const personIds = [...new Set(asked.flatMap((a) => [...a.personIds]))].filter((id) => !own.has(id));
  const categories = new Set(asked.flatMap((a) => [...a.categories]));
  const decided = personIds.length ? await options.policy.decide(personIds, categories) : new Map();
  const decisionOf = (personId: string, category: DataCategory): Decision =>
    own.has(personId) ? OWN_DOMAIN : (decided.get(personId)?.get(category) ?? NO_BASIS);
  const byPerson = new Map<string, Map<DataCategory, Decision>>();
  const errors: GraphQLFormattedError[] = [];
  const reported = new Set<string>();
  for (const { key, categories: read, personIds: about } of asked) {
    let withheld = false;
    for (const personId of about) {
      const decisions = byPerson.get(personId) ?? new Map<DataCategory, Decision>();
      byPerson.set(personId, decisions);
      for (const category of read) {
        const decision = decisionOf(personId, category);
        decisions.set(category, decision);
        if (decision.allowed) continue;
        withheld = true;
        if (reported.has(`${personId}|${category}`)) continue;
        reported.add(`${personId}|${category}`);
        errors.push(
          forbidden(denialMessage(category, decision.reason), [key], {
            reason: decision.reason,
            category,
            personId,
          }),
        );
      }
    }
    if (withheld) data[key] = null;
  }
  await options.policy.record([...byPerson].map(([personId, decisions]) => ({ personId, decisions })));
  return errors;
}

const OWN_DOMAIN: Decision = { allowed: true, basis: 'OWN_DOMAIN' };
const NO_BASIS: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };

/** Walks an answer, taking each audit person key out and collecting the person it names. */
export function collectAuditPersons(value: unknown, personIds: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((item) => collectAuditPersons(item, personIds));
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const person = record[AUDIT_PERSON] as { id?: unknown } | null | undefined;
  delete record[AUDIT_PERSON];
  if (person && typeof person.id === 'string') personIds.add(person.id.toLowerCase());
  for (const child of Object.values(record)) collectAuditPersons(child, personIds);
}

/**
 * Records an agency's reads of its own domain's records (rule 1, OWN_DOMAIN) for every person they are
 * about, and takes the added keys out of the answer. A list is its system's own answer to the caller's
 * signed jurisdiction (a queue holds what was addressed to the agency), so every person in it is taken as
 * the caller's own (decideAnswers' `own`) and nothing is withheld. Recording fails closed like any other
 * decision.
 */
export async function recordOwnReads(
  data: Record<string, unknown>,
  audited: readonly OwnRead[],
  options: EnforceOptions,
): Promise<void> {
  const answers = audited.map(({ key, categories }) => {
    const personIds = new Set<string>();
    collectAuditPersons(data[key], personIds);
    return { key, categories, personIds };
  });
  await decideAnswers(data, answers, options, new Set(answers.flatMap((a) => [...a.personIds])));
}
