import { describe, expect, it } from 'vitest';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { fieldCategories, SUBGRAPH_SDL_HEADER } from './categories.js';
import { selectedCategories } from './category-guard.js';

const typeDefs = parse(/* GraphQL */ `
  ${SUBGRAPH_SDL_HEADER}
  type Query {
    person(id: ID!): Person
    records: [Record!]!
  }
  type Mutation {
    registerJobSeeker(personId: ID!): JobSeeker!
  }
  type Person @key(fields: "id") {
    id: ID!
    name: String @category(name: IDENTITY)
    jobSeeker: JobSeeker @category(name: EMPLOYMENT)
  }
  type JobSeeker {
    id: ID!
    desiredWork: String @category(name: EMPLOYMENT)
    person: Person
  }
  interface Record {
    id: ID!
    note: String
  }
  type RiskAssessment implements Record {
    id: ID!
    note: String @category(name: MENTAL_HEALTH)
  }
`);
const schema = buildSubgraphSchema({ typeDefs });
const categories = fieldCategories(typeDefs);
const selected = (query: string) => [...selectedCategories(schema, categories, parse(query))].sort();

describe('the categories an operation selects', () => {
  it('reads the @category tags of the subgraph SDL', () => {
    expect(categories.get('Person.name')).toBe('IDENTITY');
    expect(categories.get('JobSeeker.desiredWork')).toBe('EMPLOYMENT');
    expect(categories.has('Person.id')).toBe(false);
  });

  it('an operation of uncategorized fields selects none', () => {
    expect(selected('{ person(id: "1") { id } }')).toEqual([]);
  });

  it('aliases, named fragments and nesting do not hide a field', () => {
    expect(
      selected(/* GraphQL */ `
        query {
          p: person(id: "1") {
            ...F
          }
        }
        fragment F on Person {
          alias: jobSeeker {
            person {
              n: name
            }
          }
        }
      `),
    ).toEqual(['EMPLOYMENT', 'IDENTITY']);
  });

  it('an entity fetch counts the fields of its inline fragments', () => {
    expect(
      selected(/* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Person {
              name
            }
          }
        }
      `),
    ).toEqual(['IDENTITY']);
  });

  it('a field selected on an interface counts its implementations’ categories', () => {
    expect(selected('{ records { note } }')).toEqual(['MENTAL_HEALTH']);
  });

  it('mutations count the same way', () => {
    expect(selected('mutation { registerJobSeeker(personId: "1") { id desiredWork } }')).toEqual(['EMPLOYMENT']);
  });
});
