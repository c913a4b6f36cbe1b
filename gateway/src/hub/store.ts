// The hub's SQL: the agency register. Only this module reads or writes the hub schema's register.

import { AGENCIES, MUNICIPALITIES, oneEach, type Domain, type Sql, type TransactionSql } from '@hub/platform';

export interface AgencyRow {
  id: string;
  name: string;
  domain: Domain;
  kind: string;
  municipalityCode: string;
}

export interface MunicipalityRow {
  code: string;
  name: string;
  prefecture: string;
}

export function createHubStore(sql: Sql) {
  return {
    agency: oneEach<string, AgencyRow>(
      (ids) => sql<AgencyRow[]>`select * from hub.agency where id = any(${ids})`,
      (row) => row.id,
    ),
    municipality: oneEach<string, MunicipalityRow>(
      (codes) => sql<MunicipalityRow[]>`select * from hub.municipality where code = any(${codes})`,
      (row) => row.code,
    ),
    agencies(filter: { domain?: string | null; municipalityCode?: string | null }): Promise<AgencyRow[]> {
      return sql<AgencyRow[]>`
        select * from hub.agency
        where (${filter.domain ?? null}::text is null or domain = ${filter.domain ?? null})
          and (${filter.municipalityCode ?? null}::text is null or municipality_code = ${filter.municipalityCode ?? null})
        order by municipality_code, domain, id`;
    },
    municipalities(): Promise<MunicipalityRow[]> {
      return sql<MunicipalityRow[]>`select * from hub.municipality order by code`;
    },
  };
}

export type HubStore = ReturnType<typeof createHubStore>;

/** Registers the demo municipalities and their agencies; idempotent. */
export async function seedHub(sql: TransactionSql): Promise<void> {
  for (const m of Object.values(MUNICIPALITIES)) {
    await sql`
      insert into hub.municipality (code, name, prefecture) values (${m.code}, ${m.name}, ${m.prefecture})
      on conflict (code) do nothing`;
  }
  for (const a of Object.values(AGENCIES)) {
    await sql`
      insert into hub.agency (id, name, domain, kind, municipality_code)
      values (${a.id}, ${a.name}, ${a.domain}, ${a.kind}, ${a.municipalityCode})
      on conflict (id) do nothing`;
  }
}
