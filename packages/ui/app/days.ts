// Periods picked as days in a form (the auditor's search, a disclosure report): the two date fields, the days
// each may hold, and a period of days as the instants the hub takes, from the start of its first day in Japan
// (included) to the start of the day after its last (not included).

import { html, type TemplateResult } from 'lit-html';
import { todayInJapan } from './labels.js';

/** Days picked in a form's two date fields, as YYYY-MM-DD; an empty one leaves that end open. */
export interface PickedDays {
  readonly from: string;
  readonly to: string;
}

/**
 * The first day a period may start on: the gateway takes an instant of the years 0001 to 9999 in UTC, and the
 * start of 0001-01-01 in JST is one of the year 0000. The last is today in JST: the log holds nothing later.
 */
const FIRST_DAY = '0001-01-02';

/** The bounds of the two date fields: each within the other (the hub refuses an end before the start). */
export function dateBounds(picked: PickedDays): { from: [string, string]; to: [string, string] } {
  const today = todayInJapan();
  const earliest = (...days: string[]) => days.filter(Boolean).sort()[0]!;
  const latest = (...days: string[]) => days.filter(Boolean).sort().at(-1)!;
  return {
    from: [FIRST_DAY, earliest(picked.to, today)],
    to: [latest(picked.from, FIRST_DAY), today],
  };
}

/** A day picked in the form, as the start of that day in JST. */
const startOfDay = (date: string): string => `${date}T00:00:00+09:00`;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return startOfDay(d.toISOString().slice(0, 10));
}

/** The period of the days picked, as the hub's `from` and `to`: all of both days, in Japan. */
export const periodOfDays = (picked: PickedDays): { from: string | null; to: string | null } => ({
  from: picked.from ? startOfDay(picked.from) : null,
  to: picked.to ? nextDay(picked.to) : null,
});

/**
 * A period's two date fields (`<prefix>-from`, `<prefix>-to`, named `from` and `to`), each bounding the other up
 * to today in Japan; `pick` hears each day as it is typed or chosen.
 */
export function periodFields(
  prefix: string,
  labels: { readonly from: TemplateResult; readonly to: TemplateResult },
  picked: PickedDays,
  pick: (field: 'from' | 'to', day: string) => void,
): TemplateResult {
  const bounds = dateBounds(picked);
  const field = (name: 'from' | 'to') =>
    html`<label for="${prefix}-${name}">${labels[name]}</label>
      <input
        id="${prefix}-${name}"
        name=${name}
        type="date"
        min=${bounds[name][0]}
        max=${bounds[name][1]}
        .value=${picked[name]}
        @input=${(event: Event) => pick(name, (event.target as HTMLInputElement).value)}
      />`;
  return html`${field('from')} ${field('to')}`;
}
