import { describe, expect, it } from 'vitest';
import { requireNextStage, todayInJapan } from './outreach.js';

describe('hikikomori support stages', () => {
  it('go one step forward at a time', () => {
    expect(() => requireNextStage('FAMILY_SUPPORT', 'INDIVIDUAL_SUPPORT')).not.toThrow();
    expect(() => requireNextStage('GROUP_PARTICIPATION', 'SOCIAL_PARTICIPATION')).not.toThrow();
    expect(() => requireNextStage('FAMILY_SUPPORT', 'GROUP_PARTICIPATION')).toThrow(/one step/);
    expect(() => requireNextStage('GROUP_PARTICIPATION', 'INDIVIDUAL_SUPPORT')).toThrow(/one step/);
    expect(() => requireNextStage('SOCIAL_PARTICIPATION', 'SOCIAL_PARTICIPATION')).toThrow(/one step/);
  });
});

describe('todayInJapan', () => {
  it('dates by Japan time: 23:30 UTC is already the next day', () => {
    expect(todayInJapan(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(todayInJapan(new Date('2026-11-23T14:00:00Z'))).toBe('2026-11-23');
  });
});
