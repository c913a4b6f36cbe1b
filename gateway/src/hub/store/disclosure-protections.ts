// Disclosure protections: for a while, a person's access log leaves out the CHILD_DV agencies' entries
// (the access-log page withholds them in SQL). Each setting is kept (hub.disclosure_protection_change, by
// migration 025's trigger), so the view knows when each protection began and ended: what was read during
// one stays withheld after it ends.

import type { Sql } from '@hub/platform';

export interface DisclosureProtectionRow {
  personId: string;
  setBy: string;
  until: Date;
  setAt: Date;
}

/** A while a protection of her disclosure view was active: `from` included, `to` not (null: not ended). */
export interface ProtectionPeriod {
  readonly from: Date;
  readonly to: Date | null;
}

export function createDisclosureProtectionStore(sql: Sql) {
  return {
    /**
     * Sets the agency's protection of the person until `until`, in place of its earlier one. Set when its row
     * is written (clock_timestamp, not the transaction's start), so of two settings made at once the one
     * written last, which the row keeps, is also the later in the history.
     */
    async set(personId: string, setBy: string, setByStaff: string, until: Date): Promise<DisclosureProtectionRow> {
      const [row] = await sql<DisclosureProtectionRow[]>`
        insert into hub.disclosure_protection (person_id, set_by, set_by_staff, until, set_at)
        values (${personId}, ${setBy}, ${setByStaff}, ${until}, clock_timestamp())
        on conflict (person_id, set_by) do update
          set until = excluded.until, set_by_staff = excluded.set_by_staff, set_at = clock_timestamp()
        returning person_id, set_by, until, set_at`;
      return row!;
    },

    /**
     * The whiles the CHILD_DV agencies' settings protected the person: each from when it was set until its
     * `until` or the same agency's next setting, whichever came first (a setting that ended as it was made,
     * none), in the order they were set.
     */
    async periods(personId: string): Promise<ProtectionPeriod[]> {
      const rows = await sql<{ from: Date; to: Date }[]>`
        select "from", "to" from (
          select h.set_at as "from",
                 least(h.until, lead(h.set_at) over (partition by h.set_by order by h.set_at, h.id)) as "to"
          from hub.disclosure_protection_change h
          where h.person_id = ${personId}
        ) settings
        where "to" > "from"
        order by "from"`;
      return rows.map(({ from, to }) => ({ from, to }));
    },
  };
}
