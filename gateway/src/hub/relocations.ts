// After a DV transfer the register has her in the destination's municipality; relocations tell the agency
// subgraphs that hold records of her, so that those count there as well (relocation.ts in @hub/platform):
// the town she fled then finds none of them by id and counts none of them. Where she now lives is
// DV_LOCATION, so each subgraph is first asked whether it holds any record of her, naming no municipality;
// one that holds none is told nothing more. The move writes one row per subgraph with the register's update
// (migration 016); each row is marked delivered once its subgraph answered (the question, or the move), and
// what a subgraph did not take (down, unreachable) is tried again until it does.

import {
  describeSafely,
  metrics,
  SUBGRAPH_NAMES,
  type Logger,
  type Relocation,
  type RelocationQuestion,
  type Sql,
  type SubgraphName,
} from '@hub/platform';

/**
 * Posts a relocation, or the question before one, to a subgraph, signed for the hub; resolves to the HTTP
 * status it answered and its JSON body (null when it sent none).
 */
export type PostRelocation = (
  subgraph: SubgraphName,
  body: Relocation | RelocationQuestion,
) => Promise<{ readonly status: number; readonly answer: unknown }>;

export interface RelocationsOptions {
  readonly sql: Sql;
  readonly post: PostRelocation;
  readonly logger: Logger;
  /**
   * Pause between two rounds of the moves not delivered yet, in milliseconds.
   * @default 30000
   */
  readonly retryMs?: number;
}

export interface Relocations {
  /**
   * Records that the register moved this person, for every subgraph, in the statement that moves her.
   * The caller delivers it next (`deliver`); until then, and after a failed delivery, it is pending.
   */
  move(sql: Sql, personId: string, municipalityCode: string): Promise<void>;
  /** Tells each subgraph of the pending moves of these persons (all pending ones when none named). Never throws. */
  deliver(personIds?: readonly string[]): Promise<void>;
  /** The moves no subgraph has confirmed yet, as (person, subgraph) rows: what an operator watches. */
  pending(): Promise<number>;
  /** Delivers what is pending now and then every `retryMs`, until stopped. */
  start(): void;
  stop(): Promise<void>;
}

interface PendingRow {
  personId: string;
  subgraph: SubgraphName;
  municipalityCode: string;
}

/** At most this many rows per round: a backlog is worked through round after round. */
const ROUND = 500;

const ok = (status: number) => status >= 200 && status < 300;

export function createRelocations(options: RelocationsOptions): Relocations {
  const { sql, post, logger } = options;
  const retryMs = options.retryMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> = Promise.resolve();

  /** Posts to the row's subgraph; a failure to reach it is status 0. */
  const posted = (row: PendingRow, body: Relocation | RelocationQuestion) =>
    post(row.subgraph, body).catch((error: unknown) => {
      logger.warn({ subgraph: row.subgraph, error: describeSafely(error) }, 'relocation not delivered');
      return { status: 0, answer: null };
    });

  /**
   * Asks whether the subgraph holds any record of her and tells it where she now lives unless it answers
   * that it holds none (`holds: false`): an answer that does not say is told, as a move must not be lost.
   */
  async function tell(row: PendingRow): Promise<number> {
    const asked = await posted(row, { personId: row.personId });
    if (!ok(asked.status)) return asked.status;
    if ((asked.answer as { holds?: unknown } | null)?.holds === false) return asked.status;
    return (await posted(row, { personId: row.personId, municipalityCode: row.municipalityCode })).status;
  }

  async function deliverRow(row: PendingRow): Promise<boolean> {
    const status = await tell(row);
    if (ok(status)) {
      // Only the move that was told: had she moved again meanwhile, the newer one stays pending.
      await sql`
        update hub.relocation set delivered_at = now()
        where person_id = ${row.personId} and subgraph = ${row.subgraph}
          and municipality_code = ${row.municipalityCode} and delivered_at is null`;
      return true;
    }
    if (status) logger.warn({ subgraph: row.subgraph, status }, 'relocation refused by the subgraph');
    await sql`
      update hub.relocation set attempts = attempts + 1
      where person_id = ${row.personId} and subgraph = ${row.subgraph}`;
    return false;
  }

  async function pending(): Promise<number> {
    const [row] = await sql<{ count: number }[]>`
      select count(*)::int as count from hub.relocation where delivered_at is null`;
    return row?.count ?? 0;
  }

  async function deliver(personIds?: readonly string[]): Promise<void> {
    try {
      const rows = await sql<PendingRow[]>`
        select person_id, subgraph, municipality_code from hub.relocation
        where delivered_at is null ${personIds ? sql`and person_id = any(${[...personIds]}::text[])` : sql``}
        order by moved_at
        limit ${ROUND}`;
      const delivered = await Promise.all(rows.map(deliverRow));
      const failed = delivered.filter((ok) => !ok).length;
      if (failed) logger.warn({ failed, retryMs }, 'relocations pending, to be tried again');
      metrics.relocationsPending.set(await pending());
    } catch (error) {
      logger.warn({ error: describeSafely(error) }, 'relocations not delivered');
    }
  }

  function schedule(): void {
    timer = setTimeout(() => {
      round = deliver().finally(() => {
        if (timer) schedule();
      });
    }, retryMs);
    timer.unref();
  }

  return {
    async move(moveSql, personId, municipalityCode) {
      await moveSql`
        with moved as (
          update hub.resident set municipality_code = ${municipalityCode}, moved_at = now(), location_protected = true
          where person_id = ${personId}
          returning person_id, municipality_code
        )
        insert into hub.relocation (person_id, subgraph, municipality_code)
        select moved.person_id, subgraph, moved.municipality_code
        from moved cross join unnest(${[...SUBGRAPH_NAMES]}::text[]) as subgraph
        on conflict (person_id, subgraph) do update
          set municipality_code = excluded.municipality_code, moved_at = now(), delivered_at = null, attempts = 0`;
    },
    deliver,
    pending,
    start() {
      if (timer) return;
      round = deliver();
      schedule();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await round;
    },
  };
}
