// Walking a list that pages with `first` and `after` (the id of the last item of the page before), as a
// client does: ask until a page comes back shorter than `first`; and the refusals of a bad page.

import { expect } from 'vitest';

type Page = (first: number, after: string | null) => Promise<readonly { id: string }[]>;

/** Every page of a list, in order, each of at most `first` items; the walk stops at the first short page. */
export async function walkPages(page: Page, first: number): Promise<string[][]> {
  const pages: string[][] = [];
  for (let after: string | null = null; ;) {
    const ids: string[] = (await page(first, after)).map((item) => item.id);
    expect(ids.length).toBeLessThanOrEqual(first);
    pages.push(ids);
    if (ids.length < first) return pages;
    after = ids[ids.length - 1]!;
  }
}

interface Answer {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { extensions?: Record<string, unknown> }[];
}

/** The `extensions` of a response's first error, as a refusal of a page's arguments is read. */
export const firstErrorOf = (result: Answer) => result.errors?.[0]?.extensions;

/**
 * That the list `field` refuses a `first` out of 1..200 (OUT_OF_RANGE), and as its `after` an id of its kind
 * that it does not list (`foreignId`) or what is no id at all (INVALID_CURSOR), answering none of it.
 */
export async function expectBadPagesRefused(
  read: (page: { first: number; after?: string }) => Promise<Answer>,
  field: string,
  foreignId: string,
): Promise<void> {
  for (const first of [0, 201]) {
    const refused = await read({ first });
    expect(firstErrorOf(refused)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', reason: 'OUT_OF_RANGE' });
  }
  for (const after of [foreignId, 'not-an-id']) {
    const refused = await read({ first: 3, after });
    expect(refused.data?.[field] ?? null).toBeNull();
    expect(firstErrorOf(refused)).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
      reason: 'INVALID_CURSOR',
    });
  }
}
