import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { indexSupergraph, personalDataBesidePerson, personDataHandedOn } from './schema-index.js';

const SUPERGRAPH = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');

/** The composed supergraph with `extra` added to the definition of `type`'s fields. */
function withFields(type: string, extra: string): string {
  const start = SUPERGRAPH.indexOf(`\ntype ${type}\n`);
  const open = SUPERGRAPH.indexOf('{', start);
  return `${SUPERGRAPH.slice(0, open + 1)}\n${extra}\n${SUPERGRAPH.slice(open + 1)}`;
}

describe('the key fields the planner asks for itself', () => {
  it("reads the key fields of each entity several subgraphs resolve: a person's id, not a job opening's (employment's alone)", () => {
    const { keyFields } = indexSupergraph(SUPERGRAPH);
    expect(keyFields.get('Person')).toEqual(new Set(['id']));
    expect(keyFields.has('JobOpening')).toBe(false);
    expect(keyFields.has('Query')).toBe(false);
  });
});

describe('personal data an agency answers beside Person', () => {
  it('the composed supergraph holds none: every personal field an agency answers hangs from Person', () => {
    expect(personalDataBesidePerson(parse(SUPERGRAPH))).toEqual([]);
  });

  it('a tagged field of another entity an agency resolves is refused at start, as the gateway would fetch it undecided', () => {
    const sdl = withFields(
      'JobOpening',
      '  applicantName: String @join__field(graph: EMPLOYMENT) @category(name: EMPLOYMENT)',
    );
    expect(personalDataBesidePerson(parse(sdl))).toEqual([{ field: 'JobOpening.applicantName', why: 'tagged' }]);
    expect(() => indexSupergraph(sdl)).toThrow(/JobOpening\.applicantName: tagged/);
  });

  it('a field of another entity that reaches a Person, or personal data through a type of its own, is refused', () => {
    const sdl = withFields('JobOpening', '  applicants: [Person!] @join__field(graph: EMPLOYMENT)');
    expect(personalDataBesidePerson(parse(sdl))).toEqual([{ field: 'JobOpening.applicants', why: 'reaches a Person' }]);
    const through = withFields('JobOpening', '  placements: [Placement!] @join__field(graph: EMPLOYMENT)');
    expect(personalDataBesidePerson(parse(through))).toContainEqual({ field: 'Placement.startedOn', why: 'tagged' });
    const union = withFields('JobOpening', '  contact: Contact @join__field(graph: EMPLOYMENT)').concat(
      '\nunion Contact @join__type(graph: EMPLOYMENT) @join__unionMember(graph: EMPLOYMENT, member: "Person") = Person\n',
    );
    expect(personalDataBesidePerson(parse(union))).toEqual([{ field: 'JobOpening.contact', why: 'reaches a Person' }]);
  });

  it("the hub's own records are left to their resolvers, which decide each field", () => {
    expect(SUPERGRAPH).toMatch(/type Meeting\n\s+@join__type\(graph: HUB/);
    expect(personalDataBesidePerson(parse(SUPERGRAPH)).some(({ field }) => field.startsWith('Meeting.'))).toBe(false);
  });
});

describe("a person's data handed to a subgraph besides her id", () => {
  it('the composed supergraph hands none: Person is keyed by id alone, and no field of hers requires or overrides another', () => {
    expect(personDataHandedOn(parse(SUPERGRAPH))).toEqual([]);
  });

  it("a Person field that @requires another domain's field is refused at start: its value would travel to that subgraph", () => {
    const sdl = withFields(
      'Person',
      '  outdoorSuitability: String @join__field(graph: ENVIRONMENT, requires: "latestRiskLevel") @category(name: ENVIRONMENT_PARTICIPATION)',
    );
    expect(personDataHandedOn(parse(sdl))).toEqual([
      { field: 'Person.outdoorSuitability', why: 'requires "latestRiskLevel"' },
    ]);
    expect(() => indexSupergraph(sdl)).toThrow(/Person\.outdoorSuitability: requires "latestRiskLevel"/);
  });

  it('a Person key of more than her id is refused at start: each key field travels in every representation of her', () => {
    const keyed = '@join__type(graph: ENVIRONMENT, key: "id")';
    const at = SUPERGRAPH.indexOf(keyed, SUPERGRAPH.indexOf('\ntype Person\n'));
    const sdl = `${SUPERGRAPH.slice(0, at)}@join__type(graph: ENVIRONMENT, key: "id phone")${SUPERGRAPH.slice(at + keyed.length)}`;
    expect(personDataHandedOn(parse(sdl))).toEqual([{ field: 'Person (ENVIRONMENT)', why: 'keyed by "id phone"' }]);
    expect(() => indexSupergraph(sdl)).toThrow(/keyed by "id phone"/);
  });

  it("a Person field one subgraph takes over from another's is refused at start: its readers would take it for the other domain's", () => {
    const sdl = withFields(
      'Person',
      '  riskNote: String @join__field(graph: ENVIRONMENT, override: "suicide-prevention") @category(name: ENVIRONMENT_PARTICIPATION)',
    );
    expect(personDataHandedOn(parse(sdl))).toEqual([
      { field: 'Person.riskNote', why: "overrides the suicide-prevention subgraph's" },
    ]);
  });

  it('a Person field several subgraphs answer (@shareable) is refused at start: one agency would answer for another', () => {
    const sdl = withFields(
      'Person',
      '  nickname: String @join__field(graph: WELFARE) @join__field(graph: EMPLOYMENT) @category(name: IDENTITY)',
    );
    expect(personDataHandedOn(parse(sdl))).toEqual([
      { field: 'Person.nickname', why: 'answered by WELFARE and EMPLOYMENT' },
    ]);
  });

  it('a field returning Person that @provides her fields is refused at start: its subgraph would answer them', () => {
    const sdl = withFields('JobOpening', '  contact: Person @join__field(graph: EMPLOYMENT, provides: "name")');
    expect(personDataHandedOn(parse(sdl))).toContainEqual({ field: 'JobOpening.contact', why: 'provides "name"' });
  });

  it('an entity interface Person implements, keyed by more than her id, is refused at start', () => {
    const sdl = SUPERGRAPH.replace('\ntype Person\n', '\ntype Person implements Resident\n').concat(
      '\ninterface Resident @join__type(graph: CHILD_DV, key: "id name") {\n  id: ID!\n  name: String\n}\n',
    );
    expect(personDataHandedOn(parse(sdl))).toEqual([{ field: 'Resident (CHILD_DV)', why: 'keyed by "id name"' }]);
  });
});
