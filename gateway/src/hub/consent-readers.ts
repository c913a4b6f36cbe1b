// Who reads a consent, and what of it: the agencies it names and its holders as parties to it, anyone else on
// a basis for its category, and a person's consents as the caller may see them, a page at a time. Recording,
// confirming and revoking them is consents.ts's.

import { ERRORS, loadEvery, MAX_PAGE, notOfThisList, type DataCategory, type Page } from '@hub/platform';
import type { Caller, GatewayContext } from '../context.js';
import type { RecordPolicy } from '../enforce/hub-records.js';
import type { Decision } from '../policy/decide.js';
import { consentNames, TELLS_OF_INVOLVEMENT } from '../policy/explain.js';
import { categoriesHeldBy, isAuditor, isHubAdmin, serves, servesHerNow } from './permissions.js';
import { forbidden, municipalityOf } from './guards.js';
import type { ConsentRow, HubStore, ResidentRow } from './store.js';

/** Revoked or expired: it opens nothing again, and nothing in it is confirmed any more. */
export const hasEnded = (consent: Pick<ConsentRow, 'revokedAt' | 'validUntil'>): boolean =>
  consent.revokedAt !== null || consent.validUntil <= new Date();

// A record that says where a DV victim now lives (the consent that carried a transfer) is DV_LOCATION;
// any other consent is the person's WELFARE_CASE. The agencies it names read it as their own.
const consentCategory = (consent: ConsentRow): DataCategory =>
  consent.categories.includes('DV_LOCATION') ? 'DV_LOCATION' : 'WELFARE_CASE';

/**
 * Whether the caller holds data the consent names, for a person it serves, until the consent ends (one not
 * started yet included: its holder may confirm it ahead): the holder that confirms what the consent opens (the
 * holding organ decides on provision) reads it to decide, purpose and recipients included. One that carried a
 * DV victim's whereabouts only to a holder of them: its recipients say where she went (DV_LOCATION).
 */
async function holdsFor(consent: ConsentRow, { caller, hub }: GatewayContext): Promise<boolean> {
  const held = categoriesHeldBy(caller, consent.categories);
  if (!held.length || hasEnded(consent)) return false;
  if (consentCategory(consent) === 'DV_LOCATION' && !held.includes('DV_LOCATION')) return false;
  // Through the request's loader: a list of consents reads the register once.
  return serves(caller, (await hub.residents.resident.load(consent.personId))?.municipalityCode);
}

/**
 * The agencies a consent names: its recorder, and its recipients; a recipient of one that carried a DV
 * victim's whereabouts only while it is in force (revoked, it no longer tells that agency where she went).
 */
const namesCaller = (consent: ConsentRow, caller: Caller) =>
  consent.obtainedBy === caller.agencyId ||
  (consentNames(consent, caller.agencyId) && (consentCategory(consent) !== 'DV_LOCATION' || !hasEnded(consent)));

/** Whether the consent was recorded since the DV transfer that last moved her. */
const sinceHerMove = (consent: ConsentRow, resident: ResidentRow | null) =>
  resident?.movedAt != null && consent.createdAt >= resident.movedAt;

/**
 * Whether an agency the consent names is a party to it, reading it as its own. After a DV transfer, only one
 * serving her new town alone (servesHerNow) is a party to every consent of hers; one serving it and another
 * town too, to those her new town recorded since naming it (her new town told it so); one of the town she
 * left, to none. Her new town's agencies write on her consents (one recorded there names its recorder, a
 * revocation its reason), which would tell an agency of the town she left where she fled, and one serving
 * several towns which of them. It is decided then like anyone's read of it.
 */
async function partyTo(consent: ConsentRow, { caller, hub }: GatewayContext): Promise<boolean> {
  if (!namesCaller(consent, caller)) return false;
  const resident = await hub.residents.resident.load(consent.personId);
  return (
    !resident?.locationProtected ||
    servesHerNow(caller, resident) ||
    (serves(caller, resident.municipalityCode) && sinceHerMove(consent, resident))
  );
}

export const consentPolicy: RecordPolicy<ConsentRow> = {
  key: (consent) => `Consent:${consent.id}`,
  personIds: (consent) => [consent.personId],
  category: consentCategory,
  standing: async (consent, context) => ({
    party: (await holdsFor(consent, context)) || (await partyTo(consent, context)),
  }),
};

/**
 * The categories of child protection and DV a consent tells of: those it names, and both of them when a CHILD_DV
 * agency (a DV centre, a child guidance centre) recorded it or is among its recipients, whatever it names. That
 * such a consent exists and whom it names tell of that involvement, as the data would.
 */
async function involvementIn(consent: ConsentRow, hub: GatewayContext['hub']): Promise<DataCategory[]> {
  const named = consent.categories.filter((category) => TELLS_OF_INVOLVEMENT.has(category));
  const agencies = await loadEvery(hub.agency, [consent.obtainedBy, ...consent.recipientAgencyIds]);
  const childDv = agencies.some((agency) => agency?.domain === 'CHILD_DV');
  return childDv ? [...TELLS_OF_INVOLVEMENT] : named;
}

export const CONSENT_ITEM = 'a consent of this list';

/**
 * The first `page.first` of a person's consents that `shownOf` keeps, newest first, after the consent `page.after`
 * (one it keeps: INVALID_CURSOR otherwise). Read in batches of a page, so a person with thousands of consents is
 * never read whole.
 */
async function shownPage<T>(
  hub: HubStore,
  personId: string,
  page: Page,
  shownOf: (rows: readonly ConsentRow[]) => Promise<T[]>,
): Promise<T[]> {
  if (page.after !== null) {
    const [anchor] = await hub.consents.byIds([page.after]);
    if (anchor?.personId !== personId || !(await shownOf([anchor])).length) notOfThisList(CONSENT_ITEM);
  }
  const shown: T[] = [];
  for (let after = page.after; shown.length < page.first;) {
    const batch = await hub.consents.forPerson(personId, MAX_PAGE, after);
    shown.push(...(await shownOf(batch)));
    if (batch.length < MAX_PAGE) break;
    after = batch[batch.length - 1]!.id;
  }
  return shown.slice(0, page.first);
}

/**
 * A page of a person's consents the caller may see, newest first, `first` of them after the consent `after`
 * (one of those it is shown, INVALID_CURSOR otherwise): those that name it, those naming data it holds, and the
 * others while it holds a basis for their category (WELFARE_CASE, or DV_LOCATION for one that carried a DV
 * victim's whereabouts) and for the DV or child-welfare data they tell of.
 *
 * Logged: the list's own WELFARE_CASE, allowed or denied, and of the rest only what the caller was shown on
 * the page. A denial of DV, CHILD_WELFARE or DV_LOCATION logged where such a consent exists, and not where none
 * does, would tell the disclosure view's reader (a WELFARE agency) that one does.
 */
export async function visibleConsents(
  context: GatewayContext,
  personId: string,
  operationName: string | null,
  page: Page,
) {
  const { caller, hub } = context;
  const port = context.policyFor(operationName);
  const decisions = new Map<DataCategory, Decision>();
  // Decided as they come (the request's decisions are memoised): the list's own, and each read consent's.
  const decideAlso = async (categories: Iterable<DataCategory>) => {
    const missing = new Set([...categories].filter((category) => !decisions.has(category)));
    if (!missing.size) return;
    for (const [category, decision] of (await port.decide([personId], missing)).get(personId)!) {
      decisions.set(category, decision);
    }
  };
  await decideAlso(['WELFARE_CASE']);
  // An agency a consent names reads it as its own, unless her whereabouts are protected from it (partyTo).
  // Nor is one recorded since her move listed on another basis to an agency not serving her new town alone:
  // its recorder would say where she lives.
  const resident = await hub.residents.resident.load(personId);
  const protectedFrom = resident?.locationProtected === true && !servesHerNow(caller, resident);
  const saysWhereSheLives = (c: ConsentRow) => protectedFrom && sinceHerMove(c, resident);
  /** The consents of `rows` the caller is shown, each with what it tells of. */
  const shownOf = async (rows: readonly ConsentRow[]) => {
    const involvement = await Promise.all(rows.map((c) => involvementIn(c, hub)));
    await decideAlso([...rows.map(consentCategory), ...involvement.flat()]);
    const held = await Promise.all(rows.map((c) => holdsFor(c, context)));
    const party = await Promise.all(rows.map((c) => partyTo(c, context)));
    // A holder confirms from its queue; in the person's list it is told of DV or child-protection
    // involvement no more than anyone else.
    const toldOfInvolvement = (i: number) => involvement[i]!.every((category) => decisions.get(category)?.allowed);
    const readable = (consent: ConsentRow, i: number) =>
      decisions.get(consentCategory(consent))?.allowed === true && toldOfInvolvement(i);
    return rows.flatMap((c, i) =>
      party[i]! || (held[i]! && toldOfInvolvement(i)) || (readable(c, i) && !saysWhereSheLives(c))
        ? [{ consent: c, tells: involvement[i]! }]
        : [],
    );
  };
  const visible = await shownPage(hub, personId, page, shownOf);
  const listing = decisions.get('WELFARE_CASE')!;
  const logged = new Map<DataCategory, Decision>([['WELFARE_CASE', listing]]);
  for (const { consent, tells } of visible) {
    for (const category of [consentCategory(consent), ...tells]) {
      const decision = decisions.get(category);
      if (decision?.allowed) logged.set(category, decision);
    }
  }
  await port.record([{ personId, decisions: logged }]);
  return { visible: visible.map(({ consent }) => consent), denied: listing.allowed ? null : listing.reason };
}

/**
 * The consent `id`, to a caller with standing for it: an agency it names, one serving the person's
 * municipality that holds data it names (the holder that confirms it; one that carries her whereabouts is in
 * no queue but a holder of them, and confirmed on the id its recorder gives) or is a WELFARE agency (which
 * revokes for the persons it serves) that may be told of the DV or child-protection involvement the consent
 * tells of, or a hub administrator of an agency serving her (where she fled, serving her new town alone:
 * servesHerNow, else its recorder would tell the town she left where she went). A holder's standing is to
 * confirm, not to revoke. An auditor's role adds none: it reads consents in the access log, so it is told it
 * may not revoke one (NOT_THE_OBTAINER), and acts on them as its agency may. Anyone else, another agency of
 * her town too, is answered NOT_FOUND, as for an id that names no consent: nothing of whether it exists,
 * whose it is, nor what it names (CONTRACT.md: a reason that speaks of a consent only to an agency it names).
 */
export async function consentKnownTo(
  context: GatewayContext,
  id: string,
  act: 'confirm' | 'revoke',
): Promise<ConsentRow & { municipality: string | null }> {
  const { caller, hub } = context;
  const [consent] = await hub.consents.byIds([id]);
  const municipality = consent ? await municipalityOf(hub, consent.personId) : null;
  // A holder confirms what its queue shows it; revoking is the consultation point's act for the person, not
  // the holder's, so a holder's standing does not reach it.
  const holder = act === 'confirm' && categoriesHeldBy(caller, consent?.categories ?? []).length > 0;
  const known =
    consent &&
    (consent.obtainedBy === caller.agencyId ||
      consent.recipientAgencyIds.includes(caller.agencyId) ||
      (serves(caller, municipality) &&
        (holder || (caller.domain === 'WELFARE' && (await toldOfInvolvement(context, consent))))) ||
      (isHubAdmin(caller) && servesHerNow(caller, await hub.residents.resident.load(consent.personId))));
  // A consent the caller has no standing for is answered as an id that names none: the refusal does not
  // tell that it exists. An auditor, whose access log names consents, is told it may not revoke one.
  if (!known && act === 'revoke' && consent && isAuditor(caller)) notARevoker('NOT_THE_OBTAINER');
  if (!known) throw ERRORS.NOT_FOUND.err('No consent with that id', { argument: 'id' });
  return { ...consent, municipality };
}

/** The refusal of a revocation to an agency that may not revoke the consent (mayRevokeConsent): it names no person. */
export function notARevoker(reason: 'NOT_THE_OBTAINER' | 'OUTSIDE_JURISDICTION'): never {
  forbidden('Only the obtaining agency, a WELFARE agency serving the person or a hub administrator revokes it', {
    reason,
  });
}

/**
 * Whether the caller may be told of the DV or child-protection involvement a consent tells of (involvementIn):
 * decided, not logged, as it reads no data; a WELFARE agency without that basis is answered about a consent a DV
 * centre recorded as for an id that names none, as the person's list leaves it out for it.
 */
async function toldOfInvolvement(context: GatewayContext, consent: ConsentRow): Promise<boolean> {
  const involvement = await involvementIn(consent, context.hub);
  if (!involvement.length) return true;
  const decided = await context.policyFor(null).decide([consent.personId], new Set(involvement));
  return involvement.every((category) => decided.get(consent.personId)?.get(category)?.allowed === true);
}
