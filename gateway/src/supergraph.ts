// The supergraph: composed offline from every subgraph's SDL into schema/supergraph.graphql, checked in,
// and read at start. Also the field → data-category map the gateway builds from it.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, type DocumentNode } from 'graphql';
import { graphql } from './graphql-cjs.js';
import { fieldCategories, pathBeside, type DataCategory } from '@hub/platform';

// In the hub's repository the checked-in schema/supergraph.graphql. A packed @hub/gateway (a department's
// copy of the test kit, docs/integrating.md) has no repository around it: `npm pack` copies the file into
// the package (the prepack script), beside its package.json.
const CHECKED_IN = pathBeside(import.meta.url, '../../schema/supergraph.graphql');
export const SUPERGRAPH_PATH = existsSync(CHECKED_IN)
  ? CHECKED_IN
  : pathBeside(import.meta.url, '../supergraph.graphql');

export interface SubgraphSdl {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: DocumentNode;
}

export class CompositionError extends Error {
  override name = 'CompositionError';
}

export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): string {
  const result = composeServices([...subgraphs]);
  if (result.errors) throw new CompositionError(`composition failed:\n  ${result.errors.map(String).join('\n  ')}`);
  return `${result.supergraphSdl.trimEnd()}\n`;
}

export function readSupergraph(path = SUPERGRAPH_PATH): Promise<string> {
  return readFile(path, 'utf8');
}

/** `"Person.riskAssessments" → "MENTAL_HEALTH"` for every field tagged with @category in the supergraph. */
export function categoryMap(supergraphSdl: string): ReadonlyMap<string, DataCategory> {
  return fieldCategories(parse(supergraphSdl));
}

/**
 * The schema clients see of a supergraph, as SDL: its API schema, without the join directives and what is
 * inaccessible. What an operation a client sends is validated against.
 */
export function apiSchemaSdl(supergraphSdl: string): string {
  return graphql.printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}
