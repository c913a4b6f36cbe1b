import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { requestedOf } from './requested.js';
import { indexSupergraph } from './schema-index.js';

const index = indexSupergraph(/* GraphQL */ `
  directive @category(name: String!) on FIELD_DEFINITION
  type Query {
    person(id: ID!): Person
    agencies: [Agency!]!
  }
  type Agency {
    id: ID!
  }
  type Person {
    id: ID!
    name: String @category(name: IDENTITY)
    household: Household @category(name: WELFARE_CASE)
    riskLevel: String @category(name: MENTAL_HEALTH)
    jobSeeker: JobSeeker @category(name: EMPLOYMENT)
  }
  type JobSeeker {
    desiredWork: String @category(name: EMPLOYMENT)
  }
  type Household {
    members: [Person!]! @category(name: WELFARE_CASE)
  }
`);

const requested = (query: string, operationName: string | null = null) =>
  requestedOf(index, parse(query), operationName);

describe('requestedOf: what an operation reads of the person each root field names', () => {
  it('by response key, through aliases and named fragments', () => {
    const of = requested(`
      query Q { a: person(id: "1") { ...Risk } b: person(id: "2") { jobSeeker { desiredWork } } agencies { id } }
      fragment Risk on Person { riskLevel name }
    `);
    expect([...of('a')].sort()).toEqual(['IDENTITY', 'MENTAL_HEALTH']);
    expect([...of('b')]).toEqual(['EMPLOYMENT']);
    expect(of('agencies').size).toBe(0);
  });

  it("the person's own fields only: not those of the persons it leads to", () => {
    expect([...requested('{ person(id: "1") { household { members { riskLevel } } } }')('person')]).toEqual([
      'WELFARE_CASE',
    ]);
  });

  it('the named operation of a document holding several, and nothing of a mutation', () => {
    const document = `
      query One { person(id: "1") { name } }
      query Two { person(id: "1") { riskLevel } }
      mutation Three { person: agencies { id } }
    `;
    expect([...requested(document, 'Two')('person')]).toEqual(['MENTAL_HEALTH']);
    expect(requested(document, 'Three')('person').size).toBe(0);
  });
});
