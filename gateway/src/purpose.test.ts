import { describe, expect, it } from 'vitest';
import { statedPurpose } from './purpose.js';

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

  it('plain text is unchanged', () => {
    expect(statedPurpose('支援会議の準備')).toBe('支援会議の準備');
  });
});
