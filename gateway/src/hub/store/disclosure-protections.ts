// Disclosure protections: for a while, a person's access log leaves out the CHILD_DV agencies' entries
// (the access-log page withholds them in SQL).

import type { Sql } from '@hub/platform';

export interface DisclosureProtectionRow {
  personId: string;
  setBy: string;
  until: Date;
  setAt: Date;
}

export function createDisclosureProtectionStore(sql: Sql) {
  return {
    async set(personId: string, setBy: string, setByStaff: string, until: Date): Promise<DisclosureProtectionRow> {
      const [row] = await sql<DisclosureProtectionRow[]>`
        insert into hub.disclosure_protection (person_id, set_by, set_by_staff, until)
        values (${personId}, ${setBy}, ${setByStaff}, ${until})
        on conflict (person_id, set_by) do update
          set until = excluded.until, set_by_staff = excluded.set_by_staff, set_at = now()
        returning person_id, set_by, until, set_at`;
      return row!;
    },
  };
}
