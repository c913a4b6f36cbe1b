import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context.js';
import { rankParticipation, readCatalogue, type Opportunity, type ParticipationProfile } from './participation.js';

const opportunity = (overrides: Partial<Opportunity>): Opportunity => ({
  source: 'ECO_OPPORTUNITY',
  opportunityId: overrides.title ?? 'x',
  title: 'x',
  provider: 'p',
  hoursPerWeek: 6,
  outdoor: true,
  location: 'みなみ野市 北部地区',
  minAge: null,
  maxAge: null,
  answers: ['ENVIRONMENT'],
  enrolVia: 'enroll',
  ...overrides,
});

const profile: ParticipationProfile = {
  wishes: ['ENVIRONMENT', 'LIGHT_WORK'],
  maxHoursPerWeek: 12,
  setting: 'OUTDOOR',
  nearArea: '北部地区',
};

describe('rankParticipation', () => {
  it('leaves out an opportunity over the person’s maximum hours', () => {
    const ranked = rankParticipation(profile, 55, [opportunity({ title: 'long', hoursPerWeek: 20 })]);
    expect(ranked).toEqual([]);
  });

  it('leaves out an opportunity whose age limits the person does not meet', () => {
    const ranked = rankParticipation(profile, 55, [
      opportunity({ title: 'silver', minAge: 60 }),
      opportunity({ title: 'young', maxAge: 39 }),
      opportunity({ title: 'open' }),
    ]);
    expect(ranked.map((m) => m.title)).toEqual(['open']);
  });

  it('ranks wishes, setting and area above the rest, and explains each', () => {
    const ranked = rankParticipation(profile, 55, [
      opportunity({ title: 'indoor far', outdoor: false, location: '南部地区', answers: ['PAID_WORK'] }),
      opportunity({ title: 'wished outdoor near' }),
    ]);
    expect(ranked.map((m) => m.title)).toEqual(['wished outdoor near', 'indoor far']);
    expect(ranked[0]!.explanation.join(' ')).toMatch(/ENVIRONMENT.*屋外.*北部地区/s);
    expect(ranked[1]!.explanation.join(' ')).toMatch(/希望は屋外/);
  });

  it('finds the area however it was typed: an ideographic space or none, half-width kana, a decomposed voiced kana', () => {
    const near = (nearArea: string, location: string) =>
      rankParticipation({ ...profile, nearArea }, 55, [opportunity({ location })])[0]!.explanation.some((line) =>
        line.startsWith('生活圏域内'),
      );
    expect(near('みなみ野市\u3000北部地区', 'みなみ野市 北部地区')).toBe(true);
    expect(near('みなみ野市北部地区', 'みなみ野市 北部地区')).toBe(true);
    expect(near('ｸﾗﾌﾞﾊｳｽ前', 'みなみ野市 クラブハウス前')).toBe(true);
    expect(near('か\u3099くえん町', 'みなみ野市 がくえん町')).toBe(true);
    expect(near('南部地区', 'みなみ野市 北部地区')).toBe(false);
  });

  it('without a visible profile or age, applies no constraint it cannot see and ranks on nothing personal', () => {
    const ranked = rankParticipation(null, null, [
      opportunity({ title: 'silver', minAge: 60, hoursPerWeek: 20 }),
      opportunity({ title: 'eco' }),
    ]);
    expect(ranked.map((m) => m.score)).toEqual([0, 0]);
    expect(ranked.flatMap((m) => m.explanation)).toEqual([]);
  });
});

describe('readCatalogue', () => {
  const offers = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `o${String(i).padStart(4, '0')}` }));
  const INVALID_CURSOR = {
    message: 'after is not a work offer of this list',
    extensions: { reason: 'INVALID_CURSOR' },
  };

  /** A register's pages of 200 as the gateway answers them, `answer` able to stand in for any page. */
  function register(list: () => { id: string }[], answer?: (after: string | null) => object | undefined) {
    const asked: (string | null)[] = [];
    const execute = (async (_query: string, variables: Record<string, unknown>) => {
      const after = (variables['after'] as string | null) ?? null;
      asked.push(after);
      const instead = answer?.(after);
      if (instead) return instead;
      const items = list();
      const from = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
      return { data: { workOffers: items.slice(from, from + 200) } };
    }) as GatewayContext['execute'];
    return { execute, asked };
  }

  it('reads every page, each after the last item of the one before, until a short one', async () => {
    const { execute, asked } = register(() => offers(450));
    const read = await readCatalogue(execute, 'workOffers');
    expect(read.data?.workOffers).toHaveLength(450);
    expect(asked).toEqual([null, 'o0199', 'o0399']);
  });

  it('a register listing more than ten pages is read to its tenth, and said to be cut', async () => {
    const { execute, asked } = register(() => offers(2_100));
    const read = await readCatalogue(execute, 'workOffers');
    expect(read.data?.workOffers).toHaveLength(2_000);
    expect(read.cut).toBe(true);
    expect(asked).toHaveLength(11);
  });

  it('a register of exactly ten full pages is read whole, not cut', async () => {
    const { execute } = register(() => offers(2_000));
    const read = await readCatalogue(execute, 'workOffers');
    expect(read.data?.workOffers).toHaveLength(2_000);
    expect(read.cut).toBeUndefined();
  });

  it('an item gone from the register between two pages reads it again from the first page, once', async () => {
    let items = offers(450);
    const { execute, asked } = register(
      () => items,
      (after) => {
        if (after !== 'o0199' || items.length !== 450) return undefined;
        items = items.filter((item) => item.id !== 'o0199'); // taken out while its page was read
        return { errors: [INVALID_CURSOR] };
      },
    );
    const read = await readCatalogue(execute, 'workOffers');
    expect(read.errors).toBeUndefined();
    expect(read.data?.workOffers).toHaveLength(449);
    expect(asked).toEqual([null, 'o0199', null, 'o0200', 'o0400']);
  });

  it('a cursor refused again after reading it again is answered as it came', async () => {
    const { execute, asked } = register(
      () => offers(450),
      (after) => (after === 'o0199' ? { errors: [INVALID_CURSOR] } : undefined),
    );
    const read = await readCatalogue(execute, 'workOffers');
    expect(read.errors).toEqual([INVALID_CURSOR]);
    expect(asked).toEqual([null, 'o0199', null, 'o0199']);
  });
});
