// The hub's own records under the same decision, errors and access log as every subgraph's fields: a
// referral's reason, a consent's purpose and recipients, a meeting's subjects are personal data too.

import { LocalGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  Kind,
  responsePathAsArray,
  type DocumentNode,
  type OperationDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { ERRORS, maskErrors, type DataCategory, type Logger } from '@hub/platform';
import { isIncomingOperation } from '../apollo.js';
import type { GatewayContext } from '../context.js';
import { inMutationOrder } from './mutation-order.js';
import { basesGeneration, forgetRequestBases } from './policy-port.js';
import { denialMessage, type Decision, type DenialReason } from '../policy/decide.js';
import { graphql } from '../graphql-cjs.js';

/**
 * How the caller stands to a record: a party (an agency the record names) reads it as its own; anyone
 * else is decided like any read of the category about the record's person.
 */
export type Standing = { readonly party: true; readonly decision?: Decision } | { readonly party: false };

/** A field of a hub record: whose data it is, in which category, and how the caller stands to the record. */
export interface RecordPolicy<Row> {
  /** The record's identity: its fields read in one request are decided and logged once. */
  readonly key: (row: Row) => string;
  /**
   * The persons whose data the field `field` of the record tells: usually every person the record names;
   * a field that answers some of them only (a meeting's subjects who moved away are not listed) names those.
   */
  readonly personIds: (
    row: Row,
    context: GatewayContext,
    field: string,
  ) => readonly string[] | Promise<readonly string[]>;
  readonly category: (row: Row) => DataCategory;
  /**
   * The category the field is tagged with, when `category` raises it for some rows (a DV victim's
   * municipality after her move is DV_LOCATION): a caller that may not read the tagged category either is
   * told that denial, the one it would get for anyone, so the error does not tell which rows were raised.
   */
  readonly tagged?: DataCategory;
  /**
   * The category whose data a raised row tells of (a DV case, for a municipality raised to DV_LOCATION).
   * A caller that may read the tagged category but not this one is told the tagged category's denial,
   * NO_LEGAL_BASIS, as if it were anyone's: being refused where she lives must not tell it of a DV case. A
   * caller that reads the tagged category on its own domain's rule (she is registered where it serves)
   * reads the value: it is what its own basis says.
   */
  readonly raisedFor?: DataCategory;
  /**
   * Whether the caller's own-domain basis for the tagged category covers what this row shows (`raisedFor`'s
   * rule): an agency serving the municipality a moved victim's register names now. A decision made on the
   * request's bases, read before a DV transfer committed, says where she was registered then; the row, read
   * after, says where she went, which that decision never covered. Absent: it always does.
   */
  readonly ownDomainCovers?: (row: Row, context: GatewayContext) => boolean;
  readonly standing: (row: Row, context: GatewayContext) => Standing | Promise<Standing>;
}

export const AS_OWN: Decision = { allowed: true, basis: 'OWN_DOMAIN' };

/**
 * A hub auditor reading what its review of the emergency `emergencyId` needs, by its role: logged as such, with
 * the emergency it reviews, not as its agency's own domain.
 */
export const asAuditorOf = (emergencyId: string): Standing => ({
  party: true,
  decision: { allowed: true, basis: 'AUDIT', emergencyId },
});

// The hub's schema is built by @apollo/subgraph: its fetches are executed with the same graphql.
const { execute, parse, validate } = graphql;

/**
 * A record's release for one request: its denials (one per person denied), and the places they were reported
 * at: by the fetch's operation, the paths of the record's places in its answer.
 */
interface Release {
  readonly denials: Promise<RecordDenials>;
  readonly reportedAt: WeakMap<OperationDefinitionNode, Set<string>>;
}

// Per request, the records already decided: several fields of one record make one decision, one log
// entry and (when denied) one error per person denied, at the first field; the others are null.
const releasedOfRequest = new WeakMap<object, Map<string, Release>>();

/**
 * Decides and records the caller's read of a hub record's categorized fields, before a value is
 * released; a denial is the same FORBIDDEN error an agency subgraph's denied field gets.
 */
async function releaseRecord<Row>(
  row: Row,
  policy: RecordPolicy<Row>,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<'RELEASE' | 'WITHHOLD'> {
  let released = releasedOfRequest.get(context);
  if (!released) releasedOfRequest.set(context, (released = new Map()));
  // Each person once, as the log records a decision once. Fields that tell of the same persons share
  // one decision; one that tells of fewer of them makes its own (the one-error-per-denial rule keeps a
  // person's denial to one error).
  const personIds = [...new Set(await policy.personIds(row, context, info.fieldName))];
  // Decided again after a change the request made to the bases (a revocation among its mutation's fields).
  const key = `${basesGeneration(context)}|${policy.key(row)}|${policy.category(row)}|${personIds.join(',')}`;
  let release = released.get(key);
  if (!release) {
    released.set(
      key,
      (release = { denials: decideRecord(row, personIds, policy, context, info), reportedAt: new WeakMap() }),
    );
  }
  const { withheld, errors } = await release.denials;
  if (!withheld) return 'RELEASE';
  const [denial, ...others] = errors;
  // Denied only for persons the caller holds no basis for at all: withheld as for an id that names no one.
  if (!denial) return 'WITHHOLD';
  // One error at each place the record is read (its other fields there are null without one): another
  // place reading the same record is denied there too, with its own error, as an agency's fields are.
  const place = responsePathAsArray(info.path.prev).join('.');
  const reported = release.reportedAt.get(info.operation) ?? new Set<string>();
  release.reportedAt.set(info.operation, reported);
  if (reported.has(place)) return 'WITHHOLD';
  reported.add(place);
  // A record of several persons (a meeting's subjects) denied for more than one: an error for each.
  for (const other of others) reportAlongside(info, other);
  throw denial;
}

async function decideRecord<Row>(
  row: Row,
  personIds: readonly string[],
  policy: RecordPolicy<Row>,
  context: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<RecordDenials> {
  const category = policy.category(row);
  if (!personIds.length) return { withheld: false, errors: [] };
  const standing = await policy.standing(row, context);
  const port = context.policyFor(info.operation.name?.value ?? null);
  const tagged = policy.tagged !== undefined && policy.tagged !== category ? policy.tagged : undefined;
  const asked = new Set<DataCategory>([category]);
  if (tagged) asked.add(tagged);
  if (tagged && policy.raisedFor) asked.add(policy.raisedFor);
  const decided = standing.party
    ? new Map(personIds.map((id) => [id, new Map([[category, standing.decision ?? AS_OWN]])]))
    : await port.decide(personIds, asked);
  const ownDomainCovers = policy.ownDomainCovers?.(row, context) ?? true;
  const outcomes = personIds.map((personId) => ({
    personId,
    ...raisedOutcome(category, tagged, policy.raisedFor, decided.get(personId)!, ownDomainCovers),
  }));
  // The log keeps the decision made; the tagged category's is only what a denial is told as.
  await port.record(outcomes.map(({ personId, made }) => ({ personId, decisions: new Map([made]) })));
  const denied = outcomes.filter(({ made, told }) => !made[1].allowed && told);
  // A person the caller holds no basis for at all is answered as an id that names no one (CONTRACT.md v2):
  // the record is withheld, and no error names her (a subject a DV transfer took away from a meeting's town).
  const strangers = denied.length ? await port.strangers(denied.map(({ personId }) => personId)) : new Set();
  return {
    withheld: denied.length > 0,
    errors: denied.flatMap(({ personId, told }) => {
      if (strangers.has(personId)) return [];
      const [shown, reason] = told!;
      return [ERRORS.FORBIDDEN.err(denialMessage(shown, reason), { reason, category: shown, personId })];
    }),
  };
}

/** What a read of a record is told: whether it is withheld, and the errors that say why (none for a stranger). */
interface RecordDenials {
  readonly withheld: boolean;
  readonly errors: readonly GraphQLError[];
}

/**
 * Records a party's read of hub records as they are answered, whichever of their fields are asked (the queue
 * a holder works through, a referral, a declaration): who each is about is read with it. Each record's
 * persons, in its category, on the party's standing (its own, or the basis the standing rests on: an
 * auditor's, a council's, each naming its record), one entry for each. `byActor`: the answer reports a change
 * the caller made (a consent revoked or confirmed, a meeting closed), read as its own whatever its standing.
 */
async function recordPartyRead<Row>(
  rows: readonly Row[],
  policy: RecordPolicy<Row>,
  context: GatewayContext,
  info: GraphQLResolveInfo,
  byActor = false,
): Promise<void> {
  // All at once, so that the loaders they read through (the register) batch a page's rows into one read.
  const standings = await Promise.all(rows.map((row) => policy.standing(row, context)));
  const reads = new Map<string, { personId: string; decisions: Map<DataCategory, Decision> }>();
  for (const [i, row] of rows.entries()) {
    const standing = standings[i]!;
    const decision = standing.party ? (standing.decision ?? AS_OWN) : byActor ? AS_OWN : null;
    if (!decision) continue;
    const category = policy.category(row);
    for (const personId of await policy.personIds(row, context, info.fieldName)) {
      reads.set(JSON.stringify([personId, category, decision]), {
        personId,
        decisions: new Map([[category, decision]]),
      });
    }
  }
  if (!reads.size) return;
  // A row of the log names each person once: a person read on two records (two declarations about her) is
  // recorded in a second step, each entry naming its own record.
  const steps: { personId: string; decisions: Map<DataCategory, Decision> }[][] = [];
  const stepOf = new Map<string, number>();
  for (const read of reads.values()) {
    const step = stepOf.get(read.personId) ?? 0;
    stepOf.set(read.personId, step + 1);
    (steps[step] ??= []).push(read);
  }
  const port = context.policyFor(info.operation.name?.value ?? null);
  for (const step of steps) await port.record(step);
}

/**
 * Root fields answering hub records (one, a list of them, or null) that their parties read whichever of the
 * records' fields are asked: an id, a status, whom a record is about are personal data as its notes are, so
 * each answer is recorded (recordPartyRead) before it is released. `byActor` for mutations: the agency that
 * made the change reads its answer as its own.
 */
export function readByParties<Row, Resolvers extends Record<string, RootResolver>>(
  policy: RecordPolicy<Row>,
  resolvers: Resolvers,
  { byActor = false } = {},
): Resolvers {
  return Object.fromEntries(
    Object.entries(resolvers).map(([name, resolve]) => [
      name,
      async (parent: never, args: never, context: GatewayContext, info: GraphQLResolveInfo) => {
        const answer = (await resolve(parent, args, context, info)) as Row | readonly Row[] | null | undefined;
        const rows: readonly Row[] = answer == null ? [] : Array.isArray(answer) ? answer : [answer as Row];
        await recordPartyRead(rows, policy, context, info, byActor);
        return answer;
      },
    ]),
  ) as Resolvers;
}

type RootResolver = (parent: never, args: never, context: GatewayContext, info: GraphQLResolveInfo) => unknown;

/**
 * The decision a read of a row rests on (`made`, logged) and, when denied, what the caller is told:
 * the decision of its category, or for a raised row (a moved DV victim's municipality) the answer the
 * tagged category gives (see RecordPolicy.raisedFor). `ownDomainCovers`: whether the caller's own-domain
 * basis covers what the row shows (RecordPolicy.ownDomainCovers).
 */
export function raisedOutcome(
  category: DataCategory,
  tagged: DataCategory | undefined,
  raisedFor: DataCategory | undefined,
  decisions: ReadonlyMap<DataCategory, Decision>,
  ownDomainCovers = true,
): { made: [DataCategory, Decision]; told: [DataCategory, DenialReason] | null } {
  const decision = decisions.get(category)!;
  if (decision.allowed) return { made: [category, decision], told: null };
  const asTagged = tagged ? decisions.get(tagged) : undefined;
  if (!tagged || !asTagged) return { made: [category, decision], told: [category, decision.reason] };
  if (!asTagged.allowed) return { made: [category, decision], told: [tagged, asTagged.reason] };
  if (asTagged.basis === 'OWN_DOMAIN' && ownDomainCovers) return { made: [tagged, asTagged], told: null };
  const knowsWhy = raisedFor === undefined || decisions.get(raisedFor)?.allowed === true;
  return { made: [category, decision], told: knowsWhy ? [category, decision.reason] : [tagged, 'NO_LEGAL_BASIS'] };
}

/** A resolver of a hub type's field (the record it is on, its arguments, the request, where it is). */
export type FieldResolver<Row> = (row: Row, args: never, context: GatewayContext, info: GraphQLResolveInfo) => unknown;

// The resolvers guardedField made: the hub's schema is built only if every categorized field has one.
const guarded = new WeakSet<FieldResolver<never>>();

/** A field resolver that releases its value only once the read is decided and recorded. */
function guardedField<Row>(policy: RecordPolicy<Row>, resolve?: FieldResolver<Row>): FieldResolver<Row> {
  const resolver: FieldResolver<Row> = async (row, args, context, info) => {
    if ((await releaseRecord(row, policy, context, info)) === 'WITHHOLD') return null;
    return resolve ? resolve(row, args, context, info) : (row as Record<string, unknown>)[info.fieldName];
  };
  guarded.add(resolver);
  return resolver;
}

/**
 * The hub's fields tagged with a category (`Type.field`) whose resolver is not a guarded one: a field of
 * the hub's own records added to its SDL with a category but answered by a plain or default resolver
 * would release personal data undecided and unlogged. The hub's schema is not built while any is left.
 */
export function unguardedCategorizedFields(
  typeDefs: DocumentNode,
  resolvers: Readonly<Record<string, unknown>>,
): string[] {
  const unguarded: string[] = [];
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeResolvers = resolvers[definition.name.value] as Record<string, unknown> | undefined;
    for (const field of definition.fields ?? []) {
      if (!field.directives?.some((directive) => directive.name.value === 'category')) continue;
      const resolver = typeResolvers?.[field.name.value];
      if (typeof resolver !== 'function' || !guarded.has(resolver as FieldResolver<never>)) {
        unguarded.push(`${definition.name.value}.${field.name.value}`);
      }
    }
  }
  return unguarded;
}

/** Every field of `fields` guarded by the same record policy (a field's own resolver runs once released). */
export function guardedFields<Row>(
  policy: RecordPolicy<Row>,
  fields: readonly string[],
  resolvers: Record<string, FieldResolver<Row>> = {},
): Record<string, FieldResolver<Row>> {
  return Object.fromEntries(fields.map((field) => [field, guardedField(policy, resolvers[field])]));
}

/**
 * The hub's mutations, each followed by dropping what the request read of the bases: what it changed (a
 * consent revoked, a meeting closed, a member removed, an emergency reviewed, an agency switched off) holds
 * for its own answer and the fields after it in the same fetch, as on the next request. The hub's fields of
 * one request run in one fetch, so the data source's own drop after each fetch comes too late for them.
 */
export function decidedAfterEachChange(
  mutations: Readonly<Record<string, FieldResolver<unknown>>>,
): Record<string, FieldResolver<unknown>> {
  return Object.fromEntries(
    Object.entries(mutations).map(([name, resolve]) => [
      name,
      async (parent: unknown, args: never, context: GatewayContext, info: GraphQLResolveInfo) => {
        try {
          return await resolve(parent, args, context, info);
        } finally {
          forgetRequestBases(context);
        }
      },
    ]),
  );
}

/** The party standing of an agency a record names. */
export const partyIf = (named: boolean): Standing => (named ? { party: true } : { party: false });

/**
 * A party's standing on a child council's basis (児童福祉法 25条の3), for a record of the council or made on
 * it (`councilId`; none for any other record): its reads are logged with the council, and the disclosure
 * view withholds every access resting on one, which would tell that a council covers her or a child of her
 * household. Logged as its own, a parent's view showed the child-protection office reading of him.
 */
export function onCouncil(standing: Standing, councilId: string | null | undefined): Standing {
  return standing.party && councilId
    ? { party: true, decision: { allowed: true, basis: 'CHILD_COUNCIL', meetingId: councilId } }
    : standing;
}

// Per fetch, the denials of lists answered with their allowed items only: a resolver cannot return data and
// an error for one field, so the hub's data source adds them to its answer. Keyed by the fetch's operation,
// not the request: two of the hub's fetches of one request (a root field's, an entity's) run side by side,
// and each denial belongs to the fetch whose path it carries.
const denialsOfFetch = new WeakMap<OperationDefinitionNode, GraphQLError[]>();

/**
 * A list answered with its allowed items only still reports its denial (contract: "a denied list to null
 * or to the allowed items only, with one GraphQL error per denied (person, category)"), at the list's path.
 */
export function reportAlongside(info: GraphQLResolveInfo, denial: GraphQLError): void {
  const denials = denialsOfFetch.get(info.operation) ?? [];
  denialsOfFetch.set(info.operation, denials);
  denials.push(
    new GraphQLError(denial.message, { path: responsePathAsArray(info.path), extensions: denial.extensions }),
  );
}

/**
 * The hub's own records as a subgraph: its answers carry the denials reported beside allowed items, and
 * an error no resolver meant for the caller (the database's own, with its SQL) is masked here and logged,
 * as an agency subgraph's server masks its own: the gateway passes a subgraph's coded errors on as they are.
 */
export class HubRecordsDataSource extends LocalGraphQLDataSource<GatewayContext> {
  readonly #mask: ReturnType<typeof maskErrors>;

  constructor(schema: GraphQLSchema, logger: Logger) {
    super(schema);
    this.#mask = maskErrors(logger);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!isIncomingOperation(options)) return this.answered(options);
    return inMutationOrder(options, () => this.answered(options));
  }

  private async answered(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { response, document } = await this.#executed(options);
    const errors = (response.errors ?? []).map((error) =>
      error.extensions?.['code'] === undefined ? this.#mask(formatted(error), error) : error,
    );
    const denials = document?.definitions.flatMap((node) =>
      node.kind === Kind.OPERATION_DEFINITION ? (denialsOfFetch.get(node) ?? []) : [],
    );
    if (!errors.length && !denials?.length) return response;
    return { ...response, errors: [...errors, ...(denials ?? [])] };
  }

  /** The fetch run as LocalGraphQLDataSource runs it (parsed, validated, executed), with the document it ran. */
  async #executed({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<{
    response: GatewayGraphQLResponse;
    document?: DocumentNode;
  }> {
    let document: DocumentNode;
    try {
      document = parse(request.query ?? '');
    } catch (error) {
      // A syntax error (a GraphQLError of that graphql): answered as LocalGraphQLDataSource answers it.
      return { response: { errors: [error as GraphQLError] } };
    }
    const invalid = validate(this.schema, document);
    if (invalid.length) return { response: { errors: invalid } };
    const response = await execute({
      schema: this.schema,
      document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: context,
    });
    return { response, document };
  }
}

/** An error as a client would see it before masking (a GraphQLError's own form, or what came formatted). */
function formatted(error: GraphQLFormattedError | GraphQLError): GraphQLFormattedError {
  return 'toJSON' in error && typeof error.toJSON === 'function' ? error.toJSON() : error;
}
