// Access-log entry ids and cursors as clients see them: sealed with the hub's own key (AES-256 over one
// block), so an id names its entry and says nothing of the log's sequence. In the raw sequence, the gaps
// between one person's entries told where the disclosure view withheld one; the contract has lists never
// reveal how many items were withheld.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sql } from '@hub/platform';

/** An entry's id: `row` for an entry of its own, `row.n` for the n-th person a row names (store/access-log.ts). */
export interface LogIds {
  seal(id: string): string;
  /** The id a sealed token names, or null for anything this hub did not seal. */
  open(token: string): string | null;
}

const MAGIC = 0x484c4f47; // 'HLOG': a token this key did not seal opens to other bytes here
const RAW_ID = /^(\d{1,19})(?:\.(\d{1,9}))?$/;

export function createLogIds(key: Buffer): LogIds {
  const block = (encrypt: boolean, input: Buffer): Buffer => {
    const cipher = encrypt ? createCipheriv('aes-256-ecb', key, null) : createDecipheriv('aes-256-ecb', key, null);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(input), cipher.final()]);
  };
  return {
    seal(id) {
      const [, row, n] = RAW_ID.exec(id) ?? [];
      if (row === undefined) throw new Error('not an access-log entry id');
      const plain = Buffer.alloc(16);
      plain.writeBigUInt64BE(BigInt(row), 0);
      plain.writeUInt32BE(n === undefined ? 0 : Number(n) + 1, 8);
      plain.writeUInt32BE(MAGIC, 12);
      return block(true, plain).toString('base64url');
    },
    open(token) {
      if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return null;
      const plain = block(false, Buffer.from(token, 'base64url'));
      if (plain.readUInt32BE(12) !== MAGIC) return null;
      const row = plain.readBigUInt64BE(0).toString();
      const n = plain.readUInt32BE(8);
      return n === 0 ? row : `${row}.${n - 1}`;
    },
  };
}

/** The hub's key: made by the first gateway that starts (any replica may be first), read by the others. */
export async function loadLogIdKey(sql: Sql): Promise<Buffer> {
  await sql`insert into hub.access_log_id_key (key) values (${randomBytes(32)}) on conflict (singleton) do nothing`;
  const [row] = await sql<{ key: Buffer }[]>`select key from hub.access_log_id_key`;
  return Buffer.from(row!.key);
}
