// The hub's demo register: the two municipalities, their agencies with the towns they serve, the residents'
// registration, and the demo legal bases (伊藤's consent, the 8050 meeting, the child council, referrals).

import {
  AGENCIES,
  DEMO_DV_HANDOVER_AT,
  demoId,
  jurisdictionOf,
  MUNICIPALITIES,
  residentBirthDate,
  residentId,
  residentMunicipality,
  RESIDENT_KEYS,
  type TransactionSql,
} from '@hub/platform';

/** Registers the demo municipalities, agencies, residents and bases; idempotent. */
export async function seedHub(sql: TransactionSql): Promise<void> {
  for (const m of Object.values(MUNICIPALITIES)) {
    await sql`
      insert into hub.municipality (code, name, prefecture) values (${m.code}, ${m.name}, ${m.prefecture})
      on conflict (code) do nothing`;
  }
  for (const a of Object.values(AGENCIES)) {
    await sql`
      insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction)
      values (${a.id}, ${a.name}, ${a.domain}, ${a.kind}, ${a.municipalityCode}, ${jurisdictionOf(a)}::text[])
      on conflict (id) do nothing`;
  }
  for (const key of RESIDENT_KEYS) {
    await sql`
      insert into hub.resident (person_id, municipality_code, birth_date, registered_by)
      values (${residentId(key)}, ${residentMunicipality(key)}, ${residentBirthDate(key)}, ${AGENCIES.minaminoWelfare.id})
      on conflict (person_id) do update set birth_date = coalesce(hub.resident.birth_date, excluded.birth_date)`;
  }
  // 鈴木 fled ひがし山町 with her child and her support was handed over to みなみ野市 with her consent (the
  // child-DV system's case names the town she left): where either is registered says where she fled, as
  // after a DV transfer the hub records itself (DV_LOCATION).
  await sql`
    update hub.resident set location_protected = true, moved_at = coalesce(moved_at, ${DEMO_DV_HANDOVER_AT}::timestamptz)
    where person_id = any(${[residentId('suzuki-mother'), residentId('suzuki-child')]}::text[])`;
  await seedDemoBases(sql);
}

/**
 * The demo municipality's legal bases, valid from the day the demo is loaded: 伊藤's written consent to
 * share with the agencies of his plan, the 8050 household's support meeting (Art. 106-6), and the child
 * council (要対協) for the children the child-DV system follows, and the referrals made on them.
 */
async function seedDemoBases(sql: TransactionSql): Promise<void> {
  const consentId = demoId('consent:ito');
  const itoCategories = ['IDENTITY', 'WELFARE_CASE', 'HIKIKOMORI', 'EMPLOYMENT', 'ENVIRONMENT_PARTICIPATION'];
  await sql`
    insert into hub.consent (id, person_id, recipient_agency_ids, categories, purpose, valid_from, valid_until, method,
                             evidence_ref, confirmed_categories, obtained_by, obtained_by_staff)
    values (${consentId}, ${residentId('ito')},
            ${[AGENCIES.minaminoCollaborator.id, AGENCIES.helloWorkMinamino.id, AGENCIES.minaminoEnvironment.id]},
            ${itoCategories}, '支援プランに基づく就労・参加支援のための情報共有', now() - interval '1 day',
            now() + interval '1 year', 'WRITTEN', 'みなみ野ひきこもり-同意書-2026-0042', ${itoCategories},
            ${AGENCIES.minaminoHikikomori.id}, 'demo-staff')
    on conflict (id) do nothing`;
  // Hello Work and the eco project, holders of EMPLOYMENT and ENVIRONMENT_PARTICIPATION, confirmed them.
  for (const [category, agency] of [
    ['EMPLOYMENT', AGENCIES.helloWorkMinamino.id],
    ['ENVIRONMENT_PARTICIPATION', AGENCIES.minaminoEnvironment.id],
  ] as const) {
    await sql`
      insert into hub.consent_confirmation (consent_id, category, agency_id, staff_id)
      values (${consentId}, ${category}, ${agency}, 'demo-staff')
      on conflict do nothing`;
  }

  const meetings = [
    {
      key: 'yamada-support-meeting',
      kind: 'SUPPORT_MEETING',
      title: '山田さん世帯 支援会議（8050）',
      subjects: [residentId('yamada-father'), residentId('yamada-son')],
      shared: ['IDENTITY', 'CONTACT', 'WELFARE_CASE', 'HIKIKOMORI', 'ENVIRONMENT_PARTICIPATION'],
      convener: AGENCIES.minaminoWelfare.id,
      members: [
        AGENCIES.minaminoWelfare.id,
        AGENCIES.minaminoCollaborator.id,
        AGENCIES.minaminoHoukatsu.id,
        AGENCIES.minaminoHikikomori.id,
        AGENCIES.minaminoEnvironment.id,
      ],
    },
    {
      key: 'child-council',
      kind: 'CHILD_COUNCIL',
      title: 'みなみ野市 要保護児童対策地域協議会 個別ケース検討会議',
      subjects: [residentId('sato-daughter'), residentId('suzuki-child'), residentId('kobayashi')],
      shared: ['CHILD_WELFARE'],
      convener: AGENCIES.minaminoChildSupport.id,
      members: [AGENCIES.minaminoChildSupport.id, AGENCIES.midoriChildGuidance.id, AGENCIES.minaminoWelfare.id],
    },
  ];
  for (const m of meetings) {
    const id = demoId(`meeting:${m.key}`);
    await sql`
      insert into hub.meeting (id, kind, title, subject_person_ids, shared_categories, starts_at, ends_at, convened_by,
                               convened_by_staff, municipality_code)
      values (${id}, ${m.kind}, ${m.title}, ${m.subjects}, ${m.shared}, now() - interval '1 day', now() + interval '1 year',
              ${m.convener}, 'demo-staff', ${MUNICIPALITIES.minamino.code})
      on conflict (id) do nothing`;
    for (const agencyId of m.members) {
      await sql`
        insert into hub.meeting_member (meeting_id, agency_id, acknowledged_at) values (${id}, ${agencyId}, now())
        on conflict do nothing`;
    }
  }

  // つなぎ made on those bases: the 8050 son to the collaborator, 伊藤 to Hello Work and the eco project.
  const referrals = [
    {
      key: 'yamada-son',
      person: residentId('yamada-son'),
      from: AGENCIES.minaminoHoukatsu.id,
      to: AGENCIES.minaminoCollaborator.id,
      categories: ['WELFARE_CASE', 'HIKIKOMORI'],
      reason: '8050世帯：息子の長期ひきこもりと父の介護が重なる',
      basis: 'SUPPORT_MEETING',
      consentId: null,
      meetingId: demoId('meeting:yamada-support-meeting'),
      status: 'COMPLETED',
    },
    {
      key: 'ito-hellowork',
      person: residentId('ito'),
      from: AGENCIES.minaminoHikikomori.id,
      to: AGENCIES.helloWorkMinamino.id,
      categories: ['WELFARE_CASE', 'HIKIKOMORI'],
      reason: '短時間の就労体験の希望',
      basis: 'CONSENT',
      consentId,
      meetingId: null,
      status: 'ACCEPTED',
    },
    {
      key: 'ito-environment',
      person: residentId('ito'),
      from: AGENCIES.minaminoHikikomori.id,
      to: AGENCIES.minaminoEnvironment.id,
      categories: ['WELFARE_CASE'],
      reason: '里山の薪づくりへの参加',
      basis: 'CONSENT',
      consentId,
      meetingId: null,
      status: 'COMPLETED',
    },
  ];
  for (const r of referrals) {
    await sql`
      insert into hub.referral (id, person_id, from_agency_id, to_agency_id, categories, reason, basis, consent_id,
                                meeting_id, status, created_by_staff, responded_at, completed_at)
      values (${demoId(`referral:${r.key}`)}, ${r.person}, ${r.from}, ${r.to}, ${r.categories}, ${r.reason}, ${r.basis},
              ${r.consentId}, ${r.meetingId}, ${r.status}, 'demo-staff', now(),
              ${r.status === 'COMPLETED' ? sql`now()` : null})
      on conflict (id) do nothing`;
  }
}
