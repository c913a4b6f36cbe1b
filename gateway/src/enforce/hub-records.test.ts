import { GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger, ERRORS } from '@hub/platform';
import type { GatewayContext } from '../context.js';
import { hubResolverMap, hubTypeDefs } from '../hub/index.js';
import type { Decision } from '../policy/decide.js';
import {
  guardedFields,
  HubRecordsDataSource,
  onCouncil,
  partyIf,
  raisedOutcome,
  reportAlongside,
  unguardedCategorizedFields,
  type RecordPolicy,
} from './hub-records.js';

const allowed = (basis: 'OWN_DOMAIN' | 'CONSENT' | 'SUPPORT_MEETING'): Decision => ({ allowed: true, basis });
const noBasis: Decision = { allowed: false, reason: 'NO_LEGAL_BASIS' };
const locked: Decision = { allowed: false, reason: 'PROTECTED_LOCATION' };

/** The outcome of reading a moved DV victim's municipality (DV_LOCATION, tagged CONTACT, raised for DV). */
const municipality = (contact: Decision, dv: Decision) =>
  raisedOutcome(
    'DV_LOCATION',
    'CONTACT',
    'DV',
    new Map([
      ['DV_LOCATION', locked],
      ['CONTACT', contact],
      ['DV', dv],
    ]),
  );

describe("a moved DV victim's municipality (DV_LOCATION raised from CONTACT)", () => {
  it('a caller of no CONTACT basis is told the CONTACT denial anyone gets', () => {
    expect(municipality(noBasis, noBasis)).toEqual({
      made: ['DV_LOCATION', locked],
      told: ['CONTACT', 'NO_LEGAL_BASIS'],
    });
  });

  it('a caller that reads her CONTACT on a consent but not her DV data is told CONTACT NO_LEGAL_BASIS, not of a DV case', () => {
    expect(municipality(allowed('CONSENT'), noBasis)).toEqual({
      made: ['DV_LOCATION', locked],
      told: ['CONTACT', 'NO_LEGAL_BASIS'],
    });
  });

  it('a caller that may read her DV data is told PROTECTED_LOCATION', () => {
    expect(municipality(allowed('SUPPORT_MEETING'), allowed('SUPPORT_MEETING'))).toEqual({
      made: ['DV_LOCATION', locked],
      told: ['DV_LOCATION', 'PROTECTED_LOCATION'],
    });
  });

  it('a caller that reads her CONTACT on its own domain (she is registered where it serves) reads it, logged as such', () => {
    expect(municipality(allowed('OWN_DOMAIN'), noBasis)).toEqual({
      made: ['CONTACT', allowed('OWN_DOMAIN')],
      told: null,
    });
  });

  it('a caller whose own-domain basis does not cover the municipality shown (decided before her move committed, read after) is refused as anyone, logged as a DV_LOCATION denial', () => {
    const raced = raisedOutcome(
      'DV_LOCATION',
      'CONTACT',
      'DV',
      new Map([
        ['DV_LOCATION', locked],
        ['CONTACT', allowed('OWN_DOMAIN')],
        ['DV', noBasis],
      ]),
      false,
    );
    expect(raced).toEqual({ made: ['DV_LOCATION', locked], told: ['CONTACT', 'NO_LEGAL_BASIS'] });
  });
});

describe("every categorized field of the hub's own records is guarded", () => {
  it("the hub's schema answers each field it tags with a category through a guarded resolver", () => {
    expect(unguardedCategorizedFields(hubTypeDefs(), hubResolverMap())).toEqual([]);
  });

  it('names a categorized field answered by the default resolver or a plain one, so the hub does not start', () => {
    const typeDefs = parse(`
      type Note { id: ID!, author: String @category(name: WELFARE_CASE), text: String @category(name: WELFARE_CASE), body: String @category(name: WELFARE_CASE) }
      extend type Note { summary: String @category(name: WELFARE_CASE) }
    `);
    const policy: RecordPolicy<{ id: string }> = {
      key: (note) => note.id,
      personIds: () => [],
      category: () => 'WELFARE_CASE',
      standing: () => ({ party: false }),
    };
    const resolvers = { Note: { ...guardedFields(policy, ['text']), body: () => 'plain', id: () => 'n1' } };
    expect(unguardedCategorizedFields(typeDefs, resolvers)).toEqual(['Note.author', 'Note.body', 'Note.summary']);
  });
});

describe("a list's denial reported beside its allowed items", () => {
  it("is answered by the fetch that read the list, at the list's path, while another of the hub's fetches of the request ends first", async () => {
    let opened!: () => void;
    const gate = new Promise<void>((resolve) => (opened = resolve));
    let reported!: () => void;
    const denialReported = new Promise<void>((resolve) => (reported = resolve));
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          consents: {
            type: new GraphQLList(GraphQLString),
            async resolve(_source, _args, _context, info) {
              reportAlongside(
                info,
                ERRORS.FORBIDDEN.err('denied', { reason: 'NO_LEGAL_BASIS', category: 'WELFARE_CASE' }),
              );
              reported();
              await gate;
              return ['allowed'];
            },
          },
          municipalityCode: { type: GraphQLString, resolve: () => '990001' },
        },
      }),
    });
    const source = new HubRecordsDataSource(schema, createLogger('hub-records-test', 'silent'));
    const context = {} as GatewayContext;
    const fetch = (query: string) => source.process({ request: { query }, context } as never);

    const list = fetch('{ consents }');
    await denialReported;
    const beside = await fetch('{ municipalityCode }');
    opened();
    const listed = await list;

    expect(beside).toEqual({ data: { municipalityCode: '990001' } });
    expect(listed.data).toEqual({ consents: ['allowed'] });
    expect(listed.errors).toEqual([
      expect.objectContaining({ path: ['consents'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    ]);
  });
});

describe('a child council’s record (onCouncil)', () => {
  it('its parties read it on the council’s basis, logged with the council', () => {
    expect(onCouncil(partyIf(true), 'council-1')).toEqual({
      party: true,
      decision: { allowed: true, basis: 'CHILD_COUNCIL', meetingId: 'council-1' },
    });
  });

  it('anyone else is decided as before, and a record of no council keeps its standing', () => {
    expect(onCouncil(partyIf(false), 'council-1')).toEqual({ party: false });
    expect(onCouncil(partyIf(true), null)).toEqual({ party: true });
  });
});
