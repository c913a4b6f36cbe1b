// What the gateway needs from Apollo's packages that their public entry points do not export, reached
// past the entry point here and nowhere else; apollo.test.ts fails if a package upgrade moves it.

/**
 * Which kind of request a data source is processing: only an incoming operation carries a caller, so only
 * it is enforced. @apollo/gateway exports the type that uses this enum but not the enum itself.
 */
export { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
