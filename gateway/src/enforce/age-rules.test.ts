import { describe, expect, it } from 'vitest';
import { agesOfRecord, subjectAgeRefusal } from './age-rules.js';
import { MUTATION_RULES } from './mutation-rules.js';

describe('subjectAgeRefusal: the person is of the age the record is for', () => {
  const silver = MUTATION_RULES['registerSilverMembership']!.subjectAges!;
  const child = MUTATION_RULES['openChildWelfareCase']!.subjectAges!;
  const TODAY = '2026-12-07';

  it('a silver centre member is 55 or over', () => {
    expect(subjectAgeRefusal(silver, {}, '1971-12-08', TODAY)).toMatchObject({
      input: 'personId',
      reason: 'NOT_AN_OLDER_PERSON',
    });
    expect(subjectAgeRefusal(silver, {}, '1971-12-07', TODAY)).toBeNull();
  });

  it('judges her age today, never on a day the input names: a day moved one at a time would tell her birth date', () => {
    for (const joinedOn of ['0001-01-01', '1971-12-07', '1971-12-08', '2026-12-06', '2027-12-08', 'no day']) {
      expect(subjectAgeRefusal(silver, { joinedOn }, '1971-12-08', TODAY)?.reason).toBe('NOT_AN_OLDER_PERSON');
      expect(subjectAgeRefusal(silver, { joinedOn }, '1971-12-07', TODAY)).toBeNull();
    }
  });

  it('a child-welfare case is of a person under 18, unless of a specified expectant mother', () => {
    expect(subjectAgeRefusal(child, { classification: 'REQUIRES_SUPPORT' }, '2008-12-07', TODAY)?.reason).toBe(
      'NOT_A_CHILD',
    );
    expect(subjectAgeRefusal(child, { classification: 'REQUIRES_SUPPORT' }, '2008-12-08', TODAY)).toBeNull();
    expect(subjectAgeRefusal(child, { classification: 'SPECIFIED_EXPECTANT_MOTHER' }, '1990-01-01', TODAY)).toBeNull();
  });

  it('a specified expectant mother is of 10 to 59, as a child council takes her', () => {
    const expectant = { classification: 'SPECIFIED_EXPECTANT_MOTHER' };
    expect(subjectAgeRefusal(child, expectant, '1966-12-07', TODAY)?.reason).toBe('NOT_OF_EXPECTANT_AGE');
    expect(subjectAgeRefusal(child, expectant, '1966-12-08', TODAY)).toBeNull();
    expect(subjectAgeRefusal(child, expectant, '2016-12-08', TODAY)?.reason).toBe('NOT_OF_EXPECTANT_AGE');
    expect(subjectAgeRefusal(child, expectant, '2016-12-07', TODAY)).toBeNull();
  });

  it('judges no one whose birth date the register does not hold', () => {
    expect(subjectAgeRefusal(silver, {}, null, TODAY)).toBeNull();
  });
});

describe('agesOfRecord: a placement or an enrolment is of a person of the ages its record is for', () => {
  const placement = MUTATION_RULES['recordPlacement']!.withinAgesOf!;
  const TODAY = '2026-12-07';

  it('holds minAge and maxAge inclusive, today whatever day the work starts, naming the record', () => {
    const ages = agesOfRecord(placement, { minAge: 18, maxAge: 35 })!;
    for (const startedOn of ['2026-12-01', '2027-06-01']) {
      expect(subjectAgeRefusal([ages], { startedOn }, '1990-12-07', TODAY)?.input).toBe('openingId');
      expect(subjectAgeRefusal([ages], { startedOn }, '1990-12-08', TODAY)).toBeNull();
      expect(subjectAgeRefusal([ages], { startedOn }, '2008-12-07', TODAY)).toBeNull();
      expect(subjectAgeRefusal([ages], { startedOn }, '2008-12-08', TODAY)?.reason).toBe('OUTSIDE_AGE_LIMITS');
    }
  });

  it('makes no rule of a record that sets no limit', () => {
    expect(agesOfRecord(placement, { minAge: null, maxAge: null })).toBeNull();
  });
});
