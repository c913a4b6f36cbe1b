// The supergraph names the hub's scalars (Date, DateTime) but carries none of their rules, so the
// gateway took any string and left each subgraph to refuse it. By then the fields before it had been
// sent, and a subgraph's refusal of a variable has no path, so a mutation's later fields were sent too.
// The gateway now checks them as every subgraph does: a bad value refuses the whole request up front.

import type { GraphQLNamedType, GraphQLScalarType, GraphQLSchema } from 'graphql';
import { DateScalar, DateTimeScalar } from '@hub/platform';

const CHECKED = [DateScalar, DateTimeScalar];

// By its tag, not instanceof: a test runner may load graphql's ESM build beside the CJS one the gateway uses.
const isScalar = (type: GraphQLNamedType | undefined): type is GraphQLScalarType =>
  type?.[Symbol.toStringTag] === 'GraphQLScalarType';

/**
 * Gives the schema's Date and DateTime the subgraphs' parsing of variables and literals, in place (the
 * gateway executes and validates on this very schema). Output is left as the subgraphs wrote it.
 */
export function checkScalarsAtTheGateway(schema: GraphQLSchema): void {
  for (const rules of CHECKED) {
    const type = schema.getType(rules.name);
    if (!isScalar(type)) continue;
    type.parseValue = rules.parseValue;
    type.parseLiteral = rules.parseLiteral;
  }
}
