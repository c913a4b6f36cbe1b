// graphql as @apollo/gateway and @apollo/subgraph load it: Node resolves `require('graphql')` to the
// package's CommonJS main, and the schemas they build check types and errors with that copy's
// `instanceof`. A module importing graphql itself may get its ES build instead, wherever a resolver
// follows the package's `module` field (vitest does, and a department's project may): values that meet
// those schemas (type predicates, `execute`, `GraphQLError`) are taken from this copy. Types are the same
// in both and are imported from 'graphql' as usual.

import { createRequire } from 'node:module';

export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
