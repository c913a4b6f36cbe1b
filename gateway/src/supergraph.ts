// The supergraph: composed offline from every subgraph's SDL into schema/supergraph.graphql, checked in,
// and read at start. Also the field → data-category map the gateway builds from it.

import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { Kind, parse, type DocumentNode } from 'graphql';
import { isDataCategory, pathBeside, type DataCategory } from '@hub/platform';

export const SUPERGRAPH_PATH = pathBeside(import.meta.url, '../../schema/supergraph.graphql');

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
export function categoryMap(supergraphSdl: string): Map<string, DataCategory> {
  const map = new Map<string, DataCategory>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const tag = field.directives?.find((d) => d.name.value === 'category');
      if (!tag) continue;
      const arg = tag.arguments?.find((a) => a.name.value === 'name');
      const value = arg?.value.kind === Kind.ENUM ? arg.value.value : undefined;
      if (!value || !isDataCategory(value)) {
        throw new CompositionError(`${definition.name.value}.${field.name.value} has an unknown category`);
      }
      map.set(`${definition.name.value}.${field.name.value}`, value);
    }
  }
  return map;
}
