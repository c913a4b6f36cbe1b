// Walking a list that pages with `first` and `after` (the id of the last item of the page before), as a
// client does: ask until a page comes back shorter than `first`.

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

/** The `extensions` of a response's first error, as a refusal of a page's arguments is read. */
export const firstErrorOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions;
