// What the gateway refuses before planning anything, as Apollo Server options: shape limits (Armor),
// a token cap in the parser, batching off unless enabled, and optionally trusted documents only.

import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { LimitsConfig } from '@hub/platform';
import { armorRules } from './armor.js';
import { conditionsPlugin } from './conditions.js';
import { operationNamePlugin } from './operation-name.js';
import { textPlugin } from './text.js';
import { documentHash, loadTrustedDocuments, trustedDocumentsPlugin } from './trusted-documents.js';

export { documentHash, loadTrustedDocuments, operationText, type TrustedDocuments } from './trusted-documents.js';

export type LimitOptions<TContext extends BaseContext> = Pick<
  ApolloServerOptions<TContext>,
  'validationRules' | 'parseOptions' | 'allowBatchedHttpRequests' | 'persistedQueries'
> & { plugins: ApolloServerPlugin<TContext>[] };

/**
 * The Apollo Server options enforcing `limits`; reads the trusted-documents manifest when one is set.
 * `internalOperations` are the operations the hub itself runs through the gateway: always trusted.
 * `keyFields` are the key fields of each entity several subgraphs resolve, which no alias may take for another field.
 */
export async function gatewayLimits<TContext extends BaseContext>(
  limits: LimitsConfig,
  internalOperations: readonly string[] = [],
  keyFields: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): Promise<LimitOptions<TContext>> {
  const manifest = limits.trustedDocuments ? await loadTrustedDocuments(limits.trustedDocuments) : undefined;
  const trusted = manifest
    ? new Map([...manifest, ...internalOperations.map((text) => [documentHash(text), text] as const)])
    : undefined;
  return {
    validationRules: armorRules(limits, keyFields),
    // graphql-js counts tokens as it parses and stops at the first one over, so an oversized document
    // costs no more than the limit (Armor's max-tokens does the same, but needs envelop's parse hook).
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: limits.allowBatchedRequests,
    // Automatic persisted queries off: their cache is one for every caller, so one agency could learn
    // whether another had sent a document (ids in it included). Trusted documents replace them.
    persistedQueries: false,
    plugins: [
      operationNamePlugin<TContext>(),
      conditionsPlugin<TContext>(),
      textPlugin<TContext>(),
      ...(trusted ? [trustedDocumentsPlugin<TContext>(trusted)] : []),
    ],
  };
}
