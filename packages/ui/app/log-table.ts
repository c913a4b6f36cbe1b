// The access log as the pages show it (監査, 開示): a table of decisions, one row each, with the columns
// each page chooses from the ones below.

import { html, type TemplateResult } from 'lit-html';
import { decisionLabels, formatDateTime, label } from './labels.js';

/** What a row shows of an access-log entry. */
export interface LoggedDecision {
  at: string;
  agency: { id: string; name: string };
  categories: string[];
  allowed: boolean;
  basis: string | null;
  reason: string | null;
  purpose: string | null;
}

/** A column: its heading and what its cell shows of an entry. */
export type LogColumn<E> = readonly [heading: TemplateResult | string, cell: (entry: E) => unknown];

/** The cells both pages show. */
export const logCells = {
  at: (entry: LoggedDecision) => formatDateTime(entry.at),
  agency: (entry: LoggedDecision) => entry.agency.name,
  categories: (entry: LoggedDecision) => entry.categories.map((c) => label('DataCategory', c)).join('、'),
  outcome: (entry: LoggedDecision) => decisionLabels(entry).outcome,
  why: (entry: LoggedDecision) => decisionLabels(entry).why,
};

/** A `table.log` of these entries; each row names its agency in `data-agency`. */
export function logTable<E extends LoggedDecision>(
  caption: unknown,
  entries: readonly E[],
  columns: readonly LogColumn<E>[],
): TemplateResult {
  return html`<table class="log">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${columns.map(([heading]) => html`<th scope="col">${heading}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${entries.map(
        (entry) =>
          html`<tr data-agency=${entry.agency.id}>
            ${columns.map(([, cell]) => html`<td>${cell(entry)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
