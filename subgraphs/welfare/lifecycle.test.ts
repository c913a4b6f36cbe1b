import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, transition, type CaseStatus } from './lifecycle.js';

const allowed = (from: CaseStatus, suspendedFrom: CaseStatus | null = null) =>
  CASE_STATUSES.filter((to) => transition(from, to, suspendedFrom).allowed);

describe('the support flow', () => {
  it('moves along intake → assessment → planning → active → monitoring → closed, suspension open to each', () => {
    expect(allowed('INTAKE')).toEqual(['ASSESSMENT', 'SUSPENDED']);
    expect(allowed('ASSESSMENT')).toEqual(['PLANNING', 'SUSPENDED']);
    expect(allowed('PLANNING')).toEqual(['ACTIVE', 'SUSPENDED']);
    expect(allowed('ACTIVE')).toEqual(['MONITORING', 'SUSPENDED']);
    expect(allowed('MONITORING')).toEqual(['CLOSED', 'REPLAN', 'SUSPENDED']);
  });

  it('re-plans back to planning or straight to active support', () => {
    expect(allowed('REPLAN')).toEqual(['PLANNING', 'ACTIVE', 'SUSPENDED']);
  });

  it('resumes a suspended case only at the status it was suspended from', () => {
    for (const from of ['INTAKE', 'ACTIVE', 'REPLAN'] as const) {
      expect(allowed('SUSPENDED', from)).toEqual([from]);
      expect(transition(from, 'SUSPENDED', null)).toEqual({ allowed: true, suspendedFrom: from });
    }
  });

  it('lets nothing follow a closed case', () => {
    expect(allowed('CLOSED')).toEqual([]);
  });
});
