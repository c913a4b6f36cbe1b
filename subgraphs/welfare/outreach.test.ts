import { describe, expect, it } from 'vitest';
import { requireNextStage } from './outreach.js';

describe('hikikomori support stages', () => {
  it('go one step forward at a time', () => {
    expect(() => requireNextStage('FAMILY_SUPPORT', 'INDIVIDUAL_SUPPORT')).not.toThrow();
    expect(() => requireNextStage('GROUP_PARTICIPATION', 'SOCIAL_PARTICIPATION')).not.toThrow();
    expect(() => requireNextStage('FAMILY_SUPPORT', 'GROUP_PARTICIPATION')).toThrow(/one step/);
    expect(() => requireNextStage('GROUP_PARTICIPATION', 'INDIVIDUAL_SUPPORT')).toThrow(/one step/);
    expect(() => requireNextStage('SOCIAL_PARTICIPATION', 'SOCIAL_PARTICIPATION')).toThrow(/one step/);
  });
});
