// Data categories: every field holding personal data is tagged with exactly one, in its subgraph's SDL.
// The tag is a composed directive, so it survives into schema/supergraph.graphql where the gateway reads it.

import {
  Kind,
  type DefinitionNode,
  type DocumentNode,
  type InterfaceTypeDefinitionNode,
  type InterfaceTypeExtensionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import type { Domain } from './services.js';

/** CONTRACT.md "Data categories", in the contract's own words. */
export const DATA_CATEGORIES = {
  IDENTITY: 'WELFARE',
  CONTACT: 'WELFARE',
  WELFARE_CASE: 'WELFARE',
  HIKIKOMORI: 'WELFARE',
  MENTAL_HEALTH: 'SUICIDE_PREVENTION',
  CHILD_WELFARE: 'CHILD_DV',
  DV: 'CHILD_DV',
  DV_LOCATION: 'CHILD_DV',
  EMPLOYMENT: 'EMPLOYMENT',
  SENIOR_WORK: 'SENIORS_WORK',
  ENVIRONMENT_PARTICIPATION: 'ENVIRONMENT',
} as const satisfies Record<string, Domain>;

export type DataCategory = keyof typeof DATA_CATEGORIES;

/** Each category's Japanese term, as the schema describes it. */
export const CATEGORY_TERMS: Readonly<Record<DataCategory, string>> = {
  IDENTITY: '本人情報 — name, name kana, birth date',
  CONTACT: '連絡先 — address, phone',
  WELFARE_CASE: '福祉の相談・支援の記録 — cases, issues, support plans, referrals, outreach records',
  HIKIKOMORI: 'ひきこもり支援 — hikikomori support status and history',
  MENTAL_HEALTH: 'こころの健康 — risk assessments, counselling contacts, psychiatric referrals',
  CHILD_WELFARE: '児童福祉 — child welfare cases, abuse reports',
  DV: '配偶者等からの暴力 — DV case facts',
  DV_LOCATION: "DV被害者の居所 — a DV victim's protected whereabouts",
  EMPLOYMENT: '就労支援 — job-seeker registration, placements',
  SENIOR_WORK: '高齢者の就業 — silver-centre membership, assignments',
  ENVIRONMENT_PARTICIPATION: "環境保全活動への参加 — a person's enrolments in eco projects",
};

export const CATEGORY_NAMES = Object.keys(DATA_CATEGORIES) as DataCategory[];

export function owningDomain(category: DataCategory): Domain {
  return DATA_CATEGORIES[category];
}

export function isDataCategory(value: string): value is DataCategory {
  return Object.hasOwn(DATA_CATEGORIES, value);
}

export const CATEGORY_SPEC_URL = 'https://hub.municipal.example/category/v1.0';
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.6';

/**
 * The SDL every subgraph starts with: the federation link, the `@category` directive composed into
 * the supergraph, and the enum that makes a mistyped category a composition error.
 */
export const SUBGRAPH_SDL_HEADER = /* GraphQL */ `
extend schema
  @link(url: "${FEDERATION_SPEC_URL}", import: ["@key", "@shareable", "@composeDirective"])
  @link(url: "${CATEGORY_SPEC_URL}", import: ["@category"])
  @composeDirective(name: "@category")

"""
The data category of a field holding personal data. The gateway decides per (person, category)
whether the calling agency has a legal basis before it asks the owning subgraph for the field.
"""
directive @category(name: DataCategory!) on FIELD_DEFINITION

"""個人情報の区分 — the categories of personal data the hub distinguishes."""
enum DataCategory {
${CATEGORY_NAMES.map((c) => `  "${CATEGORY_TERMS[c]}"\n  ${c}`).join('\n')}
}
`;

/** An object or interface type's definition or extension: the definitions whose fields carry tags. */
export function holdsFields(
  definition: DefinitionNode,
): definition is
  ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode {
  return (
    definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
    definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    definition.kind === Kind.INTERFACE_TYPE_EXTENSION
  );
}

/**
 * Every `@category` tag of an SDL document's object and interface fields, as written: the tag's name is
 * `'?'` when it is not an enum value. The one walk of the tags: the gateway's index and the subgraph
 * conformance check (which reports a wrong tag where the index refuses it) both read it.
 */
export function categoryTags(document: DocumentNode): { field: string; name: string }[] {
  const tags: { field: string; name: string }[] = [];
  for (const definition of document.definitions) {
    if (!holdsFields(definition)) continue;
    for (const field of definition.fields ?? []) {
      for (const tag of field.directives ?? []) {
        if (tag.name.value !== 'category') continue;
        const arg = tag.arguments?.find((a) => a.name.value === 'name');
        tags.push({
          field: `${definition.name.value}.${field.name.value}`,
          name: arg?.value.kind === Kind.ENUM ? arg.value.value : '?',
        });
      }
    }
  }
  return tags;
}

/**
 * `"Person.jobSeeker" → "EMPLOYMENT"` for every field an SDL document tags with `@category`.
 * Throws on a tag whose name is not a category (composition would refuse it too).
 */
export function fieldCategories(document: DocumentNode): Map<string, DataCategory> {
  const map = new Map<string, DataCategory>();
  for (const { field, name } of categoryTags(document)) {
    if (!isDataCategory(name)) throw new Error(`${field} has an unknown category`);
    map.set(field, name);
  }
  return map;
}
