// A person about whom the caller holds no basis for any category is answered exactly as an id that names no
// one (CONTRACT.md v2, "A denial tells nothing the caller may not know"), at every root field and mutation
// that takes a person: same data, same errors, and the same requests to the subgraphs. Other files test the
// rule where each workflow lives; this one walks every such field of the supergraph, so a field added later
// without its case here fails the first test.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Kind,
  parse,
  type FieldDefinitionNode,
  type InputObjectTypeDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from 'graphql';
import { AGENCIES, MUNICIPALITIES, residentId, SUBGRAPH_NAMES } from '@hub/platform';
import { registerAgency, useTestHub, type GraphQLResponse } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const UNKNOWN = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const HIGASHIYAMA_EMPLOYMENT = 'higashiyama-shokuan';

/** Which side of the town line a case's caller stands on: its stranger is a resident of the other town. */
type Side = 'minamino' | 'higashiyama';

interface Case {
  /** The root field the case exercises. */
  readonly field: string;
  readonly agency: string;
  readonly side: Side;
  /** The operation; `$id` is the person (the stranger, then the unknown id). */
  readonly operation: string;
}

const m = (field: string, agency: string, operation: string): Case => ({ field, agency, side: 'minamino', operation });
const h = (field: string, agency: string, operation: string): Case => ({
  field,
  agency,
  side: 'higashiyama',
  operation,
});

const welfare = AGENCIES.minaminoWelfare.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const childSupport = AGENCIES.minaminoChildSupport.id;
const silver = AGENCIES.minaminoSilver.id;
const environment = AGENCIES.minaminoEnvironment.id;
const higashiyamaWelfare = AGENCIES.higashiyamaWelfare.id;
const higashiyamaDv = AGENCIES.higashiyamaDv.id;

const SOME_RECORD = '0d5e8f1a-2b3c-4d4e-8f5a-6b7c8d9e0f1a';
const PERIOD = 'validFrom: "2026-12-01T00:00:00Z", validUntil: "2027-06-01T00:00:00Z"';
const MEETING_PERIOD = 'startsAt: "2026-12-01T00:00:00Z", endsAt: "2027-06-01T00:00:00Z"';

/**
 * Every root field that takes a person, each asked by an agency of one town about a resident of the other.
 * The one that records something a caller may report about anyone (an abuse report) comes last, with the
 * emergency: what it records would make the caller one who knows of the person for the cases after it.
 */
const CASES: readonly Case[] = [
  m('person', welfare, 'query ($id: ID!) { person(id: $id) { id __typename name } }'),
  m('person', kokoro, 'query ($id: ID!) { person(id: $id) { __typename } }'),
  m(
    'person',
    welfare,
    'query ($id: ID!) { person(id: $id) { id cases { status } jobSeeker { desiredWork } riskAssessments { level } } }',
  ),
  m('people', welfare, 'query ($id: ID!) { people(ids: [$id]) { id name } }'),
  h('people', higashiyamaDv, 'query ($id: ID!) { people(ids: [$id]) { id dvCase { status } } }'),
  m(
    'explainAccess',
    welfare,
    `query ($id: ID!) { explainAccess(personId: $id, category: WELFARE_CASE, agencyId: "${welfare}") { allowed basis reason consentId meetingId } }`,
  ),
  m('consents', welfare, 'query ($id: ID!) { consents(personId: $id) { id purpose } }'),
  m('accessLog', welfare, 'query ($id: ID!) { accessLog(personId: $id) { edges { node { id } } } }'),
  m('participationMatches', environment, 'query ($id: ID!) { participationMatches(personId: $id) { __typename } }'),
  m(
    'grantConsent',
    welfare,
    `mutation ($id: ID!) { grantConsent(input: { personId: $id, recipientAgencyIds: ["${welfare}"], categories: [WELFARE_CASE], purpose: "支援", ${PERIOD}, method: WRITTEN, evidenceRef: "様式-1" }) { id } }`,
  ),
  m(
    'conveneMeeting',
    welfare,
    `mutation ($id: ID!) { conveneMeeting(input: { kind: SUPPORT_MEETING, title: "支援会議", subjectPersonIds: [$id], sharedCategories: [WELFARE_CASE], ${MEETING_PERIOD} }) { id } }`,
  ),
  m(
    'conveneMeeting',
    childSupport,
    `mutation ($id: ID!) { conveneMeeting(input: { kind: CHILD_COUNCIL, title: "個別ケース検討会議", subjectPersonIds: [$id], sharedCategories: [CHILD_WELFARE], ${MEETING_PERIOD} }) { id } }`,
  ),
  m(
    'createReferral',
    welfare,
    `mutation ($id: ID!) { createReferral(input: { personId: $id, toAgencyId: "${kokoro}", categories: [WELFARE_CASE], reason: "つなぎ" }) { id } }`,
  ),
  m(
    'setDisclosureProtection',
    childSupport,
    'mutation ($id: ID!) { setDisclosureProtection(personId: $id, until: "2027-01-01T00:00:00Z") { __typename } }',
  ),
  m(
    'recordConsultation',
    welfare,
    'mutation ($id: ID!) { recordConsultation(input: { personId: $id, channel: PHONE, agencyKind: SELF_RELIANCE, summary: "相談" }) { id } }',
  ),
  m('openCase', welfare, 'mutation ($id: ID!) { openCase(input: { personId: $id, issues: [ISOLATION] }) { id } }'),
  m(
    'recordHousehold',
    welfare,
    'mutation ($id: ID!) { recordHousehold(input: { personId: $id, otherMemberIds: [], flags: [], summary: "世帯" }) { id } }',
  ),
  m(
    'recordHousehold',
    welfare,
    `mutation ($id: ID!) { recordHousehold(input: { personId: "${residentId('yamada-son')}", otherMemberIds: [$id], flags: [], summary: "世帯" }) { id } }`,
  ),
  m(
    'recordOutreach',
    welfare,
    'mutation ($id: ID!) { recordOutreach(input: { personId: $id, method: PHONE, relationshipStage: FAMILY_CONTACT, note: "電話" }) { __typename } }',
  ),
  m(
    'startHikikomoriSupport',
    welfare,
    'mutation ($id: ID!) { startHikikomoriSupport(input: { personId: $id, withdrawnSince: 2020 }) { __typename } }',
  ),
  m(
    'advanceHikikomoriStage',
    welfare,
    'mutation ($id: ID!) { advanceHikikomoriStage(input: { personId: $id, to: INDIVIDUAL_SUPPORT }) { __typename } }',
  ),
  m(
    'recordPeerSupporterVisit',
    welfare,
    'mutation ($id: ID!) { recordPeerSupporterVisit(input: { personId: $id, supporterName: "ピア", note: "訪問", relationshipStage: FAMILY_CONTACT }) { __typename } }',
  ),
  m(
    'recordParticipationProfile',
    welfare,
    'mutation ($id: ID!) { recordParticipationProfile(input: { personId: $id, wishes: [VOLUNTEER], maxHoursPerWeek: 5, setting: INDOOR }) { __typename } }',
  ),
  m(
    'recordRiskAssessment',
    kokoro,
    'mutation ($id: ID!) { recordRiskAssessment(input: { personId: $id, level: LOW, signs: [SLEEPLESSNESS] }) { __typename } }',
  ),
  m(
    'recordCounselingContact',
    kokoro,
    'mutation ($id: ID!) { recordCounselingContact(input: { personId: $id, channel: PHONE }) { __typename } }',
  ),
  m(
    'referToPsychiatricCare',
    kokoro,
    'mutation ($id: ID!) { referToPsychiatricCare(input: { personId: $id, institution: "病院" }) { __typename } }',
  ),
  m(
    'recordJointScreening',
    kokoro,
    `mutation ($id: ID!) { recordJointScreening(input: { personId: $id, coAssessorAgencyId: "${welfare}", level: LOW, signs: [SLEEPLESSNESS] }) { __typename } }`,
  ),
  m(
    'openChildWelfareCase',
    childSupport,
    'mutation ($id: ID!) { openChildWelfareCase(input: { personId: $id, classification: REQUIRES_SUPPORT, registeredWithCouncil: false }) { __typename } }',
  ),
  m(
    'updateChildWelfareCase',
    childSupport,
    `mutation ($id: ID!) { updateChildWelfareCase(input: { personId: $id, caseId: "${SOME_RECORD}", status: MONITORING }) { __typename } }`,
  ),
  m(
    'openDvCase',
    childSupport,
    'mutation ($id: ID!) { openDvCase(input: { personId: $id, protectionOrder: false }) { __typename } }',
  ),
  m(
    'updateDvCase',
    childSupport,
    'mutation ($id: ID!) { updateDvCase(input: { personId: $id, status: CONSULTING }) { __typename } }',
  ),
  h(
    'transferDvCase',
    higashiyamaDv,
    `mutation ($id: ID!) { transferDvCase(input: { personId: $id, toAgencyId: "${childSupport}" }) { __typename } }`,
  ),
  // A stranger named to move with the demo's DV victim, whose case the DV centre holds: as no one.
  m(
    'transferDvCase',
    AGENCIES.midoriDvCentre.id,
    `mutation ($id: ID!) { transferDvCase(input: { personId: "${residentId('suzuki-mother')}", toAgencyId: "${higashiyamaDv}", accompanyingPersonIds: [$id] }) { __typename } }`,
  ),
  m(
    'registerSilverMembership',
    silver,
    'mutation ($id: ID!) { registerSilverMembership(input: { personId: $id, centreName: "センター" }) { __typename } }',
  ),
  m(
    'suspendSilverMembership',
    silver,
    'mutation ($id: ID!) { suspendSilverMembership(input: { personId: $id }) { __typename } }',
  ),
  m(
    'resumeSilverMembership',
    silver,
    'mutation ($id: ID!) { resumeSilverMembership(input: { personId: $id }) { __typename } }',
  ),
  m(
    'withdrawSilverMembership',
    silver,
    'mutation ($id: ID!) { withdrawSilverMembership(input: { personId: $id }) { __typename } }',
  ),
  m(
    'assignWork',
    silver,
    `mutation ($id: ID!) { assignWork(input: { personId: $id, offerId: "${SOME_RECORD}", startedOn: "2026-12-01" }) { __typename } }`,
  ),
  m(
    'enroll',
    environment,
    `mutation ($id: ID!) { enroll(input: { personId: $id, opportunityId: "${SOME_RECORD}", asIntermediateWork: false }) { __typename } }`,
  ),
  h(
    'registerJobSeeker',
    HIGASHIYAMA_EMPLOYMENT,
    'mutation ($id: ID!) { registerJobSeeker(input: { personId: $id, desiredWork: "軽作業", preferredWorkStyles: [SHORT_HOURS] }) { __typename } }',
  ),
  h(
    'endJobSeekerRegistration',
    HIGASHIYAMA_EMPLOYMENT,
    'mutation ($id: ID!) { endJobSeekerRegistration(input: { personId: $id }) { __typename } }',
  ),
  h(
    'recordPlacement',
    HIGASHIYAMA_EMPLOYMENT,
    `mutation ($id: ID!) { recordPlacement(input: { personId: $id, openingId: "${SOME_RECORD}", startedOn: "2026-12-01" }) { __typename } }`,
  ),
  h(
    'recordAbuseReport',
    higashiyamaWelfare,
    `mutation ($id: ID!) { recordAbuseReport(input: { personId: $id, kind: NEGLECT, urgency: PROMPT, receivingAgencyId: "${higashiyamaDv}" }) { __typename } }`,
  ),
  h(
    'declareEmergency',
    higashiyamaWelfare,
    'mutation ($id: ID!) { declareEmergency(input: { personId: $id, categories: [CONTACT], reason: "急迫" }) { __typename expiresAt } }',
  ),
];

/** The names an argument or an input field of a person goes by. */
const PERSON_ARGUMENTS = new Set([
  'personId',
  'personIds',
  'subjectPersonIds',
  'otherMemberIds',
  'accompanyingPersonIds',
]);

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

/** The root fields of the supergraph that take a person: by an argument, or a field of their input. */
function rootFieldsTakingAPerson(): string[] {
  const document = parse(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'));
  const inputs = new Map(
    document.definitions
      .filter((node): node is InputObjectTypeDefinitionNode => node.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
      .map((node) => [node.name.value, node]),
  );
  const takesAPerson = (field: FieldDefinitionNode): boolean =>
    field.name.value === 'person' ||
    field.name.value === 'people' ||
    (field.arguments ?? []).some(
      (argument) =>
        PERSON_ARGUMENTS.has(argument.name.value) ||
        (inputs.get(namedType(argument.type))?.fields ?? []).some((input) => PERSON_ARGUMENTS.has(input.name.value)),
    );
  return document.definitions
    .filter(
      (node): node is ObjectTypeDefinitionNode =>
        node.kind === Kind.OBJECT_TYPE_DEFINITION && (node.name.value === 'Query' || node.name.value === 'Mutation'),
    )
    .flatMap((node) => (node.fields ?? []).filter(takesAPerson).map((field) => field.name.value))
    .sort();
}

/** A response and the subgraph requests it made, with the asked id and every id made by the request as placeholders. */
function asSeen(response: GraphQLResponse<unknown>, asked: string): string {
  const requests = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, hub.received(name)]));
  return JSON.stringify({ response, requests })
    .replaceAll(asked, '<the id asked>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
      KNOWN_IDS.has(id) ? id : '<a new id>',
    )
    .replace(/"expiresAt":"[^"]+"/g, '"expiresAt":"<time>"');
}

/** What the gateway answered `agency` about `id`, and what it asked the subgraphs, as `asSeen` puts it. */
async function seenFor(agency: string, operation: string, id: string): Promise<string> {
  hub.forget();
  const response = await hub.query({ agency }, operation, { id });
  // An operation the schema refuses would be refused alike for any id and prove nothing.
  expect(response.errors?.map((error) => error.extensions?.['code']) ?? []).not.toContain('GRAPHQL_VALIDATION_FAILED');
  return asSeen(response, id);
}

/** Ids that name the same thing in both answers: the records the cases name. */
const KNOWN_IDS = new Set([SOME_RECORD, residentId('yamada-son')]);

const strangers: Record<Side, string> = { minamino: '', higashiyama: residentId('kato') };

beforeAll(async () => {
  // A resident of ひがし山町, whom no agency of みなみ野市 serves, and an employment office of that town only.
  strangers.minamino = await registerResident(hub, higashiyamaWelfare, MUNICIPALITIES.higashiyama.code);
  await registerAgency(hub, {
    id: HIGASHIYAMA_EMPLOYMENT,
    name: 'ひがし山町 職業相談室',
    domain: 'EMPLOYMENT',
    kind: '公共職業安定所',
    municipalityCode: MUNICIPALITIES.higashiyama.code,
    jurisdiction: [MUNICIPALITIES.higashiyama.code],
  });
});

describe('a person about whom the caller holds nothing is answered as an id that names no one', () => {
  it('every root field that takes a person has its case here', () => {
    expect([...new Set(CASES.map((c) => c.field))].sort()).toEqual(rootFieldsTakingAPerson());
  });

  it.each(CASES.map((c, i) => [`${i + 1}. ${c.field} by ${c.agency}`, c] as const))(
    '%s: the same data, errors and subgraph requests for the stranger as for an unknown id',
    async (_name, { agency, side, operation }) => {
      const [stranger, unknown] = [
        await seenFor(agency, operation, strangers[side]),
        await seenFor(agency, operation, UNKNOWN),
      ];
      expect(stranger).toEqual(unknown);
    },
  );

  it('the comparison tells apart a person the caller serves: the same query about its own resident differs', async () => {
    const operation = CASES[0]!.operation;
    const [resident, unknown] = [
      await seenFor(welfare, operation, residentId('yamada-son')),
      await seenFor(welfare, operation, UNKNOWN),
    ];
    expect(resident).not.toEqual(unknown);
  });
});
