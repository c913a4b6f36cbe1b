// Meetings (支援会議・重層的支援会議・要保護児童対策地域協議会): convening one, its members and their
// acknowledgement of confidentiality, closing it, and the meeting as its convener and members read it. What
// a meeting opens is the decision's (policy/decide.ts, rules 3 and 4); who may convene, permissions.ts's.

import type { GraphQLResolveInfo } from 'graphql';
import {
  loadEvery,
  ERRORS,
  MAX_PAGE,
  requireUuid,
  requiredLine,
  type DataCategory,
  type GraphQLResolverMap,
  MAX_LINE,
  listPage,
  type PageArgs,
} from '@hub/platform';
import type { Caller, GatewayContext } from '../context.js';
import { guardedFields, onCouncil, partyIf, readByParties, type RecordPolicy } from '../enforce/hub-records.js';
import { covers, servesWhereSheLives, type Decision, type MeetingKind } from '../policy/decide.js';
import { isHubAdmin, mayConvene, serves } from './permissions.js';
import {
  forbidden,
  isActiveNow,
  judgedAt,
  requireAgencies,
  requireJurisdiction,
  requireStartSoon,
  uuids,
} from './guards.js';
import type { MeetingMemberRow, MeetingRow } from './store.js';

/** The persons a meeting covers, at most: each member's read of it decides and logs each one's WELFARE_CASE. */
const MAX_SUBJECTS = 50;

interface ConveneMeetingInput {
  kind: MeetingKind;
  title: string;
  subjectPersonIds: string[];
  sharedCategories: DataCategory[];
  startsAt: Date;
  endsAt?: Date | null;
}

/**
 * The facts that make each person a child council's subject, or INVALID_SUBJECT for the first who is none.
 * Convening tells the convener those facts, so each is decided as a read of its category would be: what the
 * convener may read already keeps its basis, and her age or household is read on the council's own (児童福祉法
 * 25条の3), recorded once the council is convened (recordSubjectsRead). A refusal records at once what it tells
 * the convener: that the person it names is of age and of no subject child's household, and that those listed
 * before her are subjects. A 特定妊婦 case is the child-DV system's child-protection record: it makes her a subject only for a convener that may read CHILD_WELFARE
 * about her already. Any other is answered as for any adult, so convening and closing again tells no one
 * whether the child-DV system records her as expecting.
 */
async function childCouncilSubjects(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  personIds: string[],
  on: Date,
): Promise<(meetingId: string) => Promise<void>> {
  const port = context.policyFor(info.operation.name?.value ?? null);
  // Every category a subject may be judged on, decided once: her 特定妊婦 case counts only where CHILD_WELFARE
  // is readable already, and what is readable already keeps its own basis in the log.
  const decided = await port.decide(personIds, new Set<DataCategory>(['IDENTITY', 'WELFARE_CASE', 'CHILD_WELFARE']));
  const { invalid, judgedOn } = await context.systemReads.childCouncilSubjects(
    personIds,
    on,
    (personId) => decided.get(personId)?.get('CHILD_WELFARE')?.allowed === true,
  );
  const onItsOwnBasis = (personId: string, categories: readonly DataCategory[], meetingId?: string) => {
    const decisions = new Map<DataCategory, Decision>();
    for (const category of categories) {
      const decision = decided.get(personId)?.get(category);
      decisions.set(
        category,
        decision?.allowed ? decision : { allowed: true, basis: 'CHILD_COUNCIL', ...(meetingId ? { meetingId } : {}) },
      );
    }
    return { personId, decisions };
  };
  if (invalid.length) {
    // The refusal tells the convener that the person it names is no subject: of age (IDENTITY) and of no
    // subject child's household (WELFARE_CASE); and, since it names the first, that those listed before her
    // are subjects, for the facts that make them so. Reads, logged as the council's, with no meeting.
    const named = invalid[0]!;
    await port.record([
      ...personIds
        .slice(0, personIds.indexOf(named))
        .map((personId) => onItsOwnBasis(personId, judgedOn.get(personId) ?? [])),
      onItsOwnBasis(named, ['IDENTITY', 'WELFARE_CASE']),
    ]);
    throw ERRORS.BAD_USER_INPUT.err(
      'A child council covers children, specified expectant mothers and adults of a subject child’s household',
      { argument: 'subjectPersonIds', reason: 'INVALID_SUBJECT', personId: invalid[0] },
    );
  }
  return (meetingId) =>
    port.record(personIds.map((personId) => onItsOwnBasis(personId, judgedOn.get(personId) ?? [], meetingId)));
}

/** A closed meeting is final: no member joins, leaves or acknowledges confidentiality in it any more. */
function requireOpen(meeting: MeetingRow, argument = 'meetingId') {
  if (meeting.closedAt) {
    throw ERRORS.BAD_USER_INPUT.err('The meeting is closed', { argument, reason: 'MEETING_CLOSED' });
  }
}

/** `argument`: the mutation's argument naming the meeting (closeMeeting's is `id`). */
function conveningOnly(caller: Caller, argument = 'meetingId') {
  return (meeting: MeetingRow) => {
    if (meeting.convenedBy !== caller.agencyId) {
      forbidden('Only the convening agency manages this meeting', { reason: 'NOT_THE_CONVENER' });
    }
    requireOpen(meeting, argument);
  };
}

// A meeting's title and subjects are the subjects' WELFARE_CASE: its convener and members read them as their
// own; anyone else a mutation answers with the meeting (a hub administrator closing it) is decided as for
// any WELFARE_CASE. The title tells of every subject; the list of subjects of those it covers now, the
// only ones it answers, so a subject who moved away is not logged as read by it.
const meetingPolicy: RecordPolicy<MeetingRow> = {
  key: (meeting) => `Meeting:${meeting.id}`,
  personIds: (meeting, context, field) =>
    field === 'subjectPersonIds' ? coveredSubjects(meeting, context) : meeting.subjectPersonIds,
  category: () => 'WELFARE_CASE',
  standing: async (meeting, { caller, hub }) => {
    const party = partyIf(
      meeting.convenedBy === caller.agencyId ||
        (await hub.meetings.members.load(meeting.id)).some((member) => member.agencyId === caller.agencyId),
    );
    // A child council's members read it on the council's own basis.
    return onCouncil(party, meeting.kind === 'CHILD_COUNCIL' ? meeting.id : null);
  },
};

/**
 * The subjects a meeting covers now: those registered in its municipality. After a DV transfer the
 * meetings of the town she left cover her no more, and their members (one added later too) are not shown
 * her among its subjects: beside her id answered as one that names no one, that would tell them she left.
 */
async function coveredSubjects(meeting: MeetingRow, { hub }: GatewayContext): Promise<string[]> {
  const registered = await loadEvery(hub.residents.resident, meeting.subjectPersonIds);
  return meeting.subjectPersonIds.filter((personId, i) =>
    covers(meeting, personId, registered[i]?.municipalityCode ?? null),
  );
}

/**
 * A meeting is widened (a member added, or a member's acknowledgement of confidentiality, which opens what it
 * shares to that member) only while its convener serves every subject it covers now, as convening needs
 * (CONTRACT v2): a convener re-zoned away from their town (setAgencyJurisdiction) may still wind the meeting
 * down (remove a member, close it), not open it further. Judged on the meeting, its convener and its subjects'
 * registrations as read before the change locks the meeting (subjects never change once convened; a re-zoning
 * committed between the read and the lock is judged by the next change). Returns the refusal, which the
 * change runs after its own guard (who may make it), so one who may not is told that first: refused
 * `OUTSIDE_JURISDICTION` naming the first subject, as convening is. A subject a DV transfer took away is
 * covered no more and not named: the meeting opens nothing of her, and a refusal naming her would tell the
 * convener she left.
 */
async function convenerServesSubjects(meetingId: string, context: GatewayContext): Promise<() => void> {
  const { caller, hub } = context;
  const meeting = await hub.meetings.visible(meetingId, caller.agencyId);
  // Not the caller's to see: the change itself refuses it (NOT_FOUND, or NOT_A_MEMBER to a former member).
  if (!meeting) return () => {};
  const convener = meeting.convenedBy === caller.agencyId ? caller : await hub.agency.load(meeting.convenedBy);
  const covered = await coveredSubjects(meeting, context);
  const registered = await loadEvery(hub.residents.resident, covered);
  const outside = covered.find(
    (_, i) => !convener || !servesWhereSheLives(convener, registered[i]?.municipalityCode ?? null),
  );
  return () => {
    if (outside) {
      forbidden('The convening agency does not serve the municipality this subject is registered in', {
        reason: 'OUTSIDE_JURISDICTION',
        personId: outside,
      });
    }
  };
}

// Whom a meeting is about (the subjects it covers now), with its kind, town and members, is read with it
// whichever of its fields are asked: logged for its convener and members, and for whoever changed it.
const meetingRead: RecordPolicy<MeetingRow> = { ...meetingPolicy, personIds: coveredSubjects };

export const meetingResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: readByParties(meetingRead, {
    meeting: (_: unknown, { id }: { id: string }, { caller, hub }) =>
      hub.meetings.visible(requireUuid(id, 'id'), caller.agencyId).then((row) => row ?? null),

    meetings: (_: unknown, args: { activeOnly?: boolean | null } & PageArgs, { caller, hub }) =>
      listPage(
        args,
        'a meeting of this list',
        ({ first, after }) => hub.meetings.visibleList(caller.agencyId, args.activeOnly ?? false, first, after),
        MAX_PAGE,
      ),
  }),

  Mutation: readByParties(
    meetingRead,
    {
      async conveneMeeting(_: unknown, { input }: { input: ConveneMeetingInput }, context, info) {
        const { caller, hub } = context;
        if (!mayConvene(caller, input.kind)) {
          forbidden(`A ${caller.domain} agency does not convene a ${input.kind}`, { reason: 'NOT_A_CONVENER' });
        }
        const endsAt = input.endsAt ?? null;
        if (endsAt && endsAt <= input.startsAt) {
          throw ERRORS.BAD_USER_INPUT.err('endsAt must be after startsAt', {
            argument: 'endsAt',
            reason: 'INVALID_PERIOD',
          });
        }
        const subjectPersonIds = uuids(input.subjectPersonIds, 'subjectPersonIds');
        if (subjectPersonIds.length > MAX_SUBJECTS) {
          throw ERRORS.BAD_USER_INPUT.err(`A meeting covers at most ${MAX_SUBJECTS} persons`, {
            argument: 'subjectPersonIds',
            reason: 'OUT_OF_RANGE',
          });
        }
        const registered = await hub.residents.registered(subjectPersonIds);
        for (const personId of subjectPersonIds) {
          requireJurisdiction(caller, registered.get(personId)?.municipalityCode ?? null, personId);
        }
        const municipalities = new Set(subjectPersonIds.map((id) => registered.get(id)!.municipalityCode));
        if (municipalities.size > 1) {
          throw ERRORS.BAD_USER_INPUT.err('A meeting belongs to one municipality: its subjects are registered there', {
            argument: 'subjectPersonIds',
            reason: 'SUBJECTS_IN_SEVERAL_MUNICIPALITIES',
          });
        }
        let recordSubjectsRead: ((meetingId: string) => Promise<void>) | undefined;
        // A council backdated years ago covers no one who is an adult now; one starts soon, or its subjects'
        // ages judged on a start the caller moves at will would tell each one's birth date to the day.
        if (input.kind === 'CHILD_COUNCIL') {
          requireStartSoon(input.startsAt, 'startsAt', 'A child council');
          recordSubjectsRead = await childCouncilSubjects(context, info, subjectPersonIds, judgedAt(input.startsAt));
        }
        // 児童福祉法 25条の3: a child council shares child welfare information among its members by statute.
        const sharedCategories = [
          ...new Set<DataCategory>([
            ...input.sharedCategories,
            ...(input.kind === 'CHILD_COUNCIL' ? (['CHILD_WELFARE'] as const) : []),
          ]),
        ];
        const meeting = await hub.meetings.convene({
          kind: input.kind,
          title: requiredLine(input.title, 'title', MAX_LINE),
          subjectPersonIds,
          sharedCategories,
          startsAt: input.startsAt,
          endsAt,
          convenedBy: caller.agencyId,
          convenedByStaff: caller.staffId,
          municipalityCode: [...municipalities][0]!,
        });
        await recordSubjectsRead?.(meeting.id);
        return meeting;
      },

      async addMeetingMember(_: unknown, args: { meetingId: string; agencyId: string }, context) {
        const { caller, hub } = context;
        const meetingId = requireUuid(args.meetingId, 'meetingId');
        await requireAgencies(hub, [args.agencyId], 'agencyId');
        const guard = conveningOnly(caller);
        const inJurisdiction = await convenerServesSubjects(meetingId, context);
        return hub.meetings.addMember(meetingId, caller.agencyId, args.agencyId, (meeting) => {
          guard(meeting);
          inJurisdiction();
        });
      },

      async removeMeetingMember(_: unknown, args: { meetingId: string; agencyId: string }, { caller, hub }) {
        const meetingId = requireUuid(args.meetingId, 'meetingId');
        // As addMeetingMember tells it: an id the register does not know is no member to remove.
        await requireAgencies(hub, [args.agencyId], 'agencyId', { deactivated: 'allowed' });
        const guard = conveningOnly(caller);
        return hub.meetings.removeMember(meetingId, caller.agencyId, args.agencyId, (meeting) => {
          guard(meeting);
          if (args.agencyId === meeting.convenedBy) {
            throw ERRORS.BAD_USER_INPUT.err('The convening agency stays a member; close the meeting instead', {
              argument: 'agencyId',
              reason: 'CONVENER_STAYS',
            });
          }
        });
      },

      // A meeting whose convener was switched off would share on with no one to end it: a hub administrator
      // of an agency serving the municipality it belongs to closes it in the convener's stead (closing only ends
      // sharing). To an administrator of another town it is, as to any agency that never knew of it, no meeting:
      // that one stands behind the id would tell it of a meeting in a town a DV victim may have fled to.
      async closeMeeting(_: unknown, { id }: { id: string }, { caller, hub }) {
        const meetingId = requireUuid(id, 'id');
        const orphaned = isHubAdmin(caller) ? await hub.meetings.deactivatedConvener(meetingId) : null;
        if (orphaned && serves(caller, orphaned.municipalityCode)) {
          return hub.meetings.close(meetingId, orphaned.convenedBy, (meeting) => requireOpen(meeting, 'id'));
        }
        return hub.meetings.close(meetingId, caller.agencyId, conveningOnly(caller, 'id'));
      },

      async acknowledgeConfidentiality(_: unknown, args: { meetingId: string }, context) {
        const { caller, hub } = context;
        const meetingId = requireUuid(args.meetingId, 'meetingId');
        const inJurisdiction = await convenerServesSubjects(meetingId, context);
        return hub.meetings.acknowledge(meetingId, caller.agencyId, (meeting, isMember) => {
          if (!isMember) {
            forbidden('Only a member of the meeting acknowledges confidentiality in it', { reason: 'NOT_A_MEMBER' });
          }
          requireOpen(meeting);
          inJurisdiction();
        });
      },
    },
    { byActor: true },
  ),

  Meeting: {
    ...guardedFields(meetingPolicy, ['title', 'subjectPersonIds'], {
      subjectPersonIds: (meeting, _, context) => coveredSubjects(meeting, context),
    }),
    active: (meeting: MeetingRow) => isActiveNow(meeting.startsAt, meeting.endsAt, meeting.closedAt),
    convenedBy: (meeting: MeetingRow, _: unknown, { hub }) => hub.agency.load(meeting.convenedBy),
    members: (meeting: MeetingRow, _: unknown, { hub }) => hub.meetings.members.load(meeting.id),
    municipality: (meeting: MeetingRow, _: unknown, { hub }) =>
      meeting.municipalityCode ? hub.municipality.load(meeting.municipalityCode) : null,
  },

  MeetingMember: {
    agency: (member: MeetingMemberRow, _: unknown, { hub }) => hub.agency.load(member.agencyId),
  },
};
