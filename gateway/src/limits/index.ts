// What the gateway refuses before planning anything, as Apollo Server options: shape limits (Armor),
// a token cap in the parser, batching off unless enabled, and optionally trusted documents only.

import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { LimitsConfig } from '@hub/platform';
import { armorRules } from './armor.js';
import { loadTrustedDocuments, trustedDocumentsPlugin } from './trusted-documents.js';

export { documentHash, loadTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';

export type LimitOptions<TContext extends BaseContext> = Pick<
  ApolloServerOptions<TContext>,
  'validationRules' | 'parseOptions' | 'allowBatchedHttpRequests' | 'persistedQueries'
> & { plugins: ApolloServerPlugin<TContext>[] };

/** The Apollo Server options enforcing `limits`; reads the trusted-documents manifest when one is set. */
export async function gatewayLimits<TContext extends BaseContext>(
  limits: LimitsConfig,
): Promise<LimitOptions<TContext>> {
  const trusted = limits.trustedDocuments ? await loadTrustedDocuments(limits.trustedDocuments) : undefined;
  return {
    validationRules: armorRules(limits),
    // graphql-js counts tokens as it parses and stops at the first one over, so an oversized document
    // costs no more than the limit (Armor's max-tokens does the same, but needs envelop's parse hook).
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: limits.allowBatchedRequests,
    ...(trusted ? { persistedQueries: false as const } : {}),
    plugins: trusted ? [trustedDocumentsPlugin<TContext>(trusted)] : [],
  };
}
