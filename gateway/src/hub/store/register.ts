// The register: agencies, municipalities, and where each person is registered (住民の登録).

import { ERRORS, oneEach, type Domain, type Logger, type Sql } from '@hub/platform';
import { logAgencyChange, recordAgencyChange, type RegisterChanger } from './agency-changes.js';

export interface AgencyRow {
  id: string;
  name: string;
  domain: Domain;
  kind: string;
  municipalityCode: string;
  /** Its own requests per minute; null: the hub's RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute: number | null;
  /** Set while the agency is switched off: its tokens are refused. */
  deactivatedAt: Date | null;
  /** Set when it was switched back on: tokens issued before then (their `iat`) are refused. */
  tokensIssuedAfter: Date | null;
  /** The municipalities it serves. */
  jurisdiction: string[];
}

/** 住民の登録: where a person is registered now (and their birth date, where registered through the hub). */
export interface ResidentRow {
  personId: string;
  municipalityCode: string;
  birthDate: Date | null;
  /** Moved by a DV transfer: where she is registered says where she fled to (DV_LOCATION). */
  locationProtected: boolean;
  /** When a DV transfer last moved her (null: never moved). */
  movedAt: Date | null;
}

export interface MunicipalityRow {
  code: string;
  name: string;
  prefecture: string;
}

export function createRegisterStore(sql: Sql, logger?: Logger) {
  const agency = oneEach<string, AgencyRow>(
    (ids) => sql<AgencyRow[]>`select * from hub.agency where id = any(${ids})`,
    (row) => row.id,
  );
  const resident = oneEach<string, ResidentRow>(
    (ids) => sql<ResidentRow[]>`
      select person_id, municipality_code, birth_date, location_protected, moved_at from hub.resident where person_id = any(${ids})`,
    (row) => row.personId,
  );
  return {
    agency,
    /**
     * A request's first statement: the calling agency (null when the register does not hold it) and the
     * version of the legal bases that statement saw (migration 012), so the bases a gateway keeps are known
     * current for the request without a statement of their own. Primes `agency` with the row.
     */
    async callerAgency(id: string): Promise<{ agency: AgencyRow | null; basesVersion: bigint }> {
      const [row] = await sql<(AgencyRow & { basesVersion: string })[]>`
        select a.*, v.version::text as bases_version
        from hub.bases_version v left join hub.agency a on a.id = ${id}`;
      const { basesVersion, ...columns } = row!;
      const found = columns.id === null ? null : (columns as AgencyRow);
      agency.clear(id).prime(id, found);
      return { agency: found, basesVersion: BigInt(basesVersion) };
    },
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
    /** Registers an agency, recording the registration in the same transaction (store/agency-changes.ts). */
    async registerAgency(
      input: Omit<AgencyRow, 'deactivatedAt' | 'tokensIssuedAfter'>,
      by: RegisterChanger,
    ): Promise<AgencyRow> {
      const registered = await sql.begin(async (tx) => {
        const [row] = await tx<AgencyRow[]>`
          insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction, rate_limit_per_minute)
          values (${input.id}, ${input.name}, ${input.domain}, ${input.kind}, ${input.municipalityCode},
                  ${input.jurisdiction}::text[], ${input.rateLimitPerMinute})
          on conflict (id) do nothing
          returning *`;
        return row ? { row, record: await recordAgencyChange(tx, 'REGISTERED', by, null, row) } : null;
      });
      if (!registered)
        throw ERRORS.BAD_USER_INPUT.err('An agency with that id is already registered', {
          argument: 'id',
          reason: 'ALREADY_REGISTERED',
        });
      logAgencyChange(logger, registered.record);
      agency.clear(registered.row.id);
      return registered.row;
    },

    residents: {
      /** One person's registration, batched per request. */
      resident,
      /** Where each person is registered now, and when born; unknown ids are absent. */
      async registered(personIds: readonly string[]): Promise<Map<string, ResidentRow>> {
        const rows = await sql<ResidentRow[]>`
          select person_id, municipality_code, birth_date, location_protected, moved_at from hub.resident
          where person_id = any(${[...new Set(personIds)]})`;
        return new Map(rows.map((r) => [r.personId, r]));
      },
    },
  };
}
