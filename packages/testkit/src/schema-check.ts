// Schema checks for a change (npm run schema:check): the composed supergraph against the checked-in one,
// every change classified by @graphql-inspector/core as breaking, dangerous or safe for the agencies'
// clients, plus the hub's own rules about data categories, which no GraphQL differ knows of: a personal
// field without a category, or a subgraph tagging a category another domain holds, is an error; a field
// moved to a less protected category is breaking.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Supergraph, printSchema } from '@apollo/federation-internals';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { Kind, parse } from 'graphql';
import { composeHub } from '@hub/all-in-one';
import { protectionLevel } from '@hub/gateway/policy';
import { personalDataBesidePerson, personDataHandedOn } from '@hub/gateway/schema-index';
import { categoryMap, CompositionError, SUPERGRAPH_PATH } from '@hub/gateway/supergraph';
import { owningDomain, SUBGRAPHS, type DataCategory } from '@hub/platform';
import { personalFields, queriesNamingPerson, READ_THROUGH_PERSON, routedFields } from './subgraph-sdl.js';

export type FindingLevel = 'error' | 'breaking' | 'dangerous' | 'safe';

export interface SchemaFinding {
  readonly level: FindingLevel;
  /** Who found it: the GraphQL differ, or a rule of the hub's. */
  readonly by: 'graphql-inspector' | 'hub';
  /** The schema coordinate, e.g. `Person.jobSeeker`. */
  readonly path: string;
  readonly message: string;
}

export interface SchemaCheckReport {
  /** What the composition failed with, if it did: nothing else is checked then. */
  readonly compositionError?: string;
  readonly findings: readonly SchemaFinding[];
  /** No error, and no breaking change unless `allowBreaking`. */
  readonly ok: boolean;
}

const LEVELS: readonly FindingLevel[] = ['error', 'breaking', 'dangerous', 'safe'];

// The differ checks types with graphql's instanceof: its schemas are built with the graphql it loads itself,
// which Node resolves to the package's main (CommonJS) build, also where a bundler-style resolver (vitest)
// would hand this module the ESM build.
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** The schema the agencies query: the supergraph without its federation machinery. */
function apiSchema(supergraphSdl: string) {
  return buildSchema(printSchema(Supergraph.build(supergraphSdl).apiSchema()));
}

function fieldCoordinates(supergraphSdl: string): Set<string> {
  const coordinates = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) coordinates.add(`${definition.name.value}.${field.name.value}`);
  }
  return coordinates;
}

const describeCategory = (category: DataCategory | undefined) =>
  category ? `${category} (held by ${owningDomain(category)})` : 'no category (readable by every agency)';

/**
 * The hub's rules: a personal field without a category (new, or one that lost its tag), an agency's query
 * taking a person's id, a tag of a category another domain holds, and what a change does to the categories
 * that decide who may read a field.
 */
export function categoryFindings(before: string, after: string): SchemaFinding[] {
  const beforeCategories = categoryMap(before);
  const afterCategories = categoryMap(after);
  const beforeFields = fieldCoordinates(before);
  const afterFields = fieldCoordinates(after);
  const findings: SchemaFinding[] = [...foreignTags(after, afterCategories)];
  const untagged = new Set<string>();
  // The agency subgraphs' queries that name a person (the hub's own are decided by the hub itself).
  const document = parse(after);
  const agencies = new Set(SUBGRAPHS.flatMap((subgraph) => routedFields(document, subgraph.name)));
  // What an agency answers about another entity than Person goes out undecided: the gateway refuses to start.
  for (const { field, why } of personalDataBesidePerson(document)) {
    findings.push({
      level: 'error',
      by: 'hub',
      path: field,
      message:
        why === 'tagged'
          ? 'personal data of another entity than Person: the gateway decides a field for the Person it hangs from, and refuses to start'
          : 'reaches a Person from another entity: the gateway decides a Person where it is fetched as one, and refuses to start',
    });
  }
  for (const { field, why } of personDataHandedOn(document)) {
    findings.push({
      level: 'error',
      by: 'hub',
      path: field,
      message: `${why}: a person's data besides her id would reach a subgraph, decided for the caller only, and the gateway refuses to start`,
    });
  }
  for (const field of queriesNamingPerson(document).filter((f) => agencies.has(f))) {
    findings.push({ level: 'error', by: 'hub', path: field, message: `takes a person's id: ${READ_THROUGH_PERSON}` });
  }

  for (const { field, categories } of personalFields(document)) {
    if (categories.length) continue;
    untagged.add(field);
    const was = beforeCategories.get(field);
    findings.push({
      level: 'error',
      by: 'hub',
      path: field,
      message: was
        ? `personal field that lost its @category ${describeCategory(was)}: it hangs from Person, and every agency could read it`
        : `${beforeFields.has(field) ? 'personal field' : 'new personal field'} without a @category: it hangs from Person, so the gateway must know whose data it is`,
    });
  }
  for (const [field, was] of beforeCategories) {
    if (!afterFields.has(field) || untagged.has(field)) continue; // removed: the differ reports it
    const now = afterCategories.get(field);
    if (now === was) continue;
    const from = protectionLevel(was);
    const to = protectionLevel(now);
    const move = `moved from ${describeCategory(was)} to ${describeCategory(now)}`;
    if (to < from) {
      findings.push({
        level: 'breaking',
        by: 'hub',
        path: field,
        message: `${move}: a less protected category, readable on more bases`,
      });
    } else if (to === from) {
      findings.push({
        level: 'dangerous',
        by: 'hub',
        path: field,
        message: `${move}: other agencies hold it and open it`,
      });
    } else {
      findings.push({ level: 'safe', by: 'hub', path: field, message: `${move}: a more protected category` });
    }
  }
  return findings;
}

/**
 * Tags an agency subgraph puts on a category another domain holds. The holder's domain reads a category as
 * its own and confirms consents to it, so a silver centre's field tagged EMPLOYMENT would be Hello Work's to
 * read. The hub's own records (the hub subgraph) are the hub's, under the contract's own rule for them.
 */
function foreignTags(supergraphSdl: string, categories: ReadonlyMap<string, DataCategory>): SchemaFinding[] {
  const supergraph = parse(supergraphSdl);
  const findings: SchemaFinding[] = [];
  for (const subgraph of SUBGRAPHS) {
    for (const field of routedFields(supergraph, subgraph.name)) {
      const category = categories.get(field);
      if (!category || owningDomain(category) === subgraph.domain) continue;
      findings.push({
        level: 'error',
        by: 'hub',
        path: field,
        message: `tagged ${describeCategory(category)} in the ${subgraph.name} subgraph, whose domain is ${subgraph.domain}: a subgraph tags only its own domain’s categories`,
      });
    }
  }
  return findings;
}

/** Every change from `before` to `after` (two supergraph SDLs), the differ's and the hub's rules'. */
export async function checkSchemaChange(
  before: string,
  after: string,
  options: { allowBreaking?: boolean } = {},
): Promise<SchemaCheckReport> {
  const changes = await diff(apiSchema(before), apiSchema(after));
  const findings: SchemaFinding[] = [
    ...changes.map((change) => ({
      level: (change.criticality.level === CriticalityLevel.Breaking
        ? 'breaking'
        : change.criticality.level === CriticalityLevel.Dangerous
          ? 'dangerous'
          : 'safe') as FindingLevel,
      by: 'graphql-inspector' as const,
      path: change.path ?? '',
      message: change.message,
    })),
    ...categoryFindings(before, after),
  ].sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || a.path.localeCompare(b.path));
  const ok = !findings.some((f) => f.level === 'error' || (f.level === 'breaking' && !options.allowBreaking));
  return { findings, ok };
}

export interface SchemaCheckOptions {
  /** The supergraph to compare with. @default the checked-in schema/supergraph.graphql */
  baseline?: string;
  /** The composition of the subgraphs as they are now. @default composeHub() */
  compose?: () => string;
  allowBreaking?: boolean;
}

/** Composes the subgraphs and checks the result against the baseline. */
export async function checkSchema(options: SchemaCheckOptions = {}): Promise<SchemaCheckReport> {
  const baseline = options.baseline ?? (await readFile(SUPERGRAPH_PATH, 'utf8'));
  let composed: string;
  try {
    composed = options.compose ? options.compose() : composeHub();
  } catch (error) {
    if (!(error instanceof CompositionError)) throw error;
    return { compositionError: error.message, findings: [], ok: false };
  }
  return checkSchemaChange(baseline, composed, options.allowBreaking ? { allowBreaking: true } : {});
}

/** The report a reviewer reads: one line per change, most serious first, then the verdict. */
export function formatSchemaReport(report: SchemaCheckReport, baselineName = 'schema/supergraph.graphql'): string {
  if (report.compositionError) {
    return `schema:check: the subgraphs do not compose\n${report.compositionError}\nverdict: fails`;
  }
  const lines = [`schema:check: the subgraphs compose; ${report.findings.length} change(s) against ${baselineName}`];
  const width = Math.max(0, ...report.findings.map((f) => f.path.length));
  for (const f of report.findings) {
    lines.push(
      `${f.level.toUpperCase().padEnd(9)}  ${f.path.padEnd(width)}  ${f.message}${f.by === 'hub' ? '  [hub rule]' : ''}`,
    );
  }
  const counts = LEVELS.map((level) => `${report.findings.filter((f) => f.level === level).length} ${level}`).join(
    ', ',
  );
  lines.push(`verdict: ${counts} — ${report.ok ? 'passes' : 'fails'}`);
  return lines.join('\n');
}
