import { describe, expect, it } from 'vitest';
import { MAX_PURPOSE_LENGTH, requestPurpose, statedPurpose } from './purpose.js';

const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('X-Hub-Purpose is recorded as the caller meant it', () => {
  it('raw UTF-8, as a header carries its bytes, is read as UTF-8', () => {
    expect(statedPurpose(latin1('支援プラン作成'))).toBe('支援プラン作成');
  });

  it('percent-encoded UTF-8 is decoded', () => {
    expect(statedPurpose(encodeURIComponent('就労支援の調整'))).toBe('就労支援の調整');
    expect(statedPurpose('100%25')).toBe('100%');
  });

  it('a % that starts no escape is taken as it is, and the escapes beside it are decoded', () => {
    expect(statedPurpose('100% sure')).toBe('100% sure');
    expect(statedPurpose('50% 支%E6%8F%B4')).toBe('50% 支援');
    expect(statedPurpose(latin1('50% 支') + '%E6%8F%B4')).toBe('50% 支援');
  });

  it('escapes that spell no UTF-8 are taken as they are', () => {
    expect(statedPurpose('%E6%94')).toBe('%E6%94');
    expect(statedPurpose('a%FFb')).toBe('a%FFb');
  });

  it('in a run of escapes, each character that spells UTF-8 is decoded and the rest kept as written', () => {
    expect(statedPurpose('%E6%94%AF%FF')).toBe('支%FF');
    expect(statedPurpose('%ff%E6%94%AF%E6%8F%B4%E6')).toBe('%ff支援%E6');
    expect(statedPurpose('%C0%80%41')).toBe('%C0%80A');
  });

  it('plain text is unchanged', () => {
    expect(statedPurpose('支援会議の準備')).toBe('支援会議の準備');
  });
});

describe('X-Hub-Purpose that says nothing certain is refused (400)', () => {
  const reasonOf = (values: string[]) => {
    try {
      requestPurpose(values);
      return null;
    } catch (error) {
      return (error as { extensions?: { reason?: string } }).extensions?.reason;
    }
  };

  it('none, or an empty one, is no purpose', () => {
    expect(requestPurpose(undefined)).toBeNull();
    expect(requestPurpose([''])).toBeNull();
  });

  it('sent twice: PURPOSE_INVALID, as neither is the one meant', () => {
    expect(reasonOf(['支援会議', '就労支援'])).toBe('PURPOSE_INVALID');
  });

  it('raw bytes that are not UTF-8: PURPOSE_INVALID, not taken as Latin-1', () => {
    expect(reasonOf([Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1')])).toBe('PURPOSE_INVALID');
    expect(requestPurpose([latin1('café')])).toBe('café');
  });

  it(`over ${MAX_PURPOSE_LENGTH} characters: PURPOSE_TOO_LONG; a control character: PURPOSE_INVALID`, () => {
    expect(reasonOf(['支'.repeat(MAX_PURPOSE_LENGTH + 1)])).toBe('PURPOSE_TOO_LONG');
    expect(requestPurpose(['支'.repeat(MAX_PURPOSE_LENGTH)])).toHaveLength(MAX_PURPOSE_LENGTH);
    // A character outside the BMP (𠮷, two UTF-16 units) counts once, as a reader counts it.
    expect(requestPurpose(['𠮷'.repeat(MAX_PURPOSE_LENGTH)])).toBe('𠮷'.repeat(MAX_PURPOSE_LENGTH));
    expect(reasonOf(['𠮷'.repeat(MAX_PURPOSE_LENGTH + 1)])).toBe('PURPOSE_TOO_LONG');
    expect(reasonOf(['a%0Ab'])).toBe('PURPOSE_INVALID');
  });

  it('a next-line, line or paragraph separator, bidirectional mark or byte-order mark: PURPOSE_INVALID', () => {
    for (const escaped of ['%C2%85', '%E2%80%A8', '%E2%80%A9', '%E2%80%8E', '%E2%80%8F', '%D8%9C', '%EF%BB%BF']) {
      expect(reasonOf([`支援${escaped}会議`]), escaped).toBe('PURPOSE_INVALID');
      expect(reasonOf([latin1(`支援${decodeURIComponent(escaped)}会議`)]), escaped).toBe('PURPOSE_INVALID');
    }
    // Joiners that emoji and scripts are written with are text.
    expect(requestPurpose([latin1('家族👨\u200d👩\u200d👧の支援')])).toBe('家族👨\u200d👩\u200d👧の支援');
  });

  it('spaces or invisible characters alone state no purpose: PURPOSE_INVALID', () => {
    for (const escaped of ['%20%20', '%E2%80%8B', '%E3%85%A4', '%C2%AD', '%E3%80%80']) {
      expect(reasonOf([escaped]), escaped).toBe('PURPOSE_INVALID');
    }
  });
});
