// Reads of an agency's own domain without a person to decide for (rule 1, OWN_DOMAIN): each record's
// person is asked for alongside it, so every person read is named in the access log before release.

import { Kind, type FieldNode, type SelectionSetNode } from 'graphql';
import type { DataCategory } from '@hub/platform';
import type { Decision } from '../policy/decide.js';
import type { EnforceOptions } from './fetch.js';
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

/**
 * Records an agency's reads of its own domain's records (rule 1, OWN_DOMAIN) for every person they are
 * about, and takes the added keys out of the answer. Recording fails closed like any other decision.
 */
export async function recordOwnReads(
  data: Record<string, unknown>,
  audited: readonly OwnRead[],
  options: EnforceOptions,
): Promise<void> {
  const byPerson = new Map<string, Map<DataCategory, Decision>>();
  for (const { key, categories } of audited) collectAuditPersons(data[key], categories, byPerson);
  if (byPerson.size) {
    await options.policy.record([...byPerson].map(([personId, decisions]) => ({ personId, decisions })));
  }
}

/** Walks an answer, taking each audit person key out and noting an OWN_DOMAIN decision for that person. */
export function collectAuditPersons(
  value: unknown,
  categories: ReadonlySet<DataCategory>,
  byPerson: Map<string, Map<DataCategory, Decision>>,
): void {
  if (Array.isArray(value)) return value.forEach((item) => collectAuditPersons(item, categories, byPerson));
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const person = record[AUDIT_PERSON] as { id?: unknown } | null | undefined;
  delete record[AUDIT_PERSON];
  if (person && typeof person.id === 'string') {
    const decisions = byPerson.get(person.id.toLowerCase()) ?? new Map<DataCategory, Decision>();
    for (const category of categories) decisions.set(category, { allowed: true, basis: 'OWN_DOMAIN' });
    byPerson.set(person.id.toLowerCase(), decisions);
  }
  for (const child of Object.values(record)) collectAuditPersons(child, categories, byPerson);
}
