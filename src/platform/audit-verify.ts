import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { GENESIS_HASH, hashAuditRow } from './audit.ts';

export interface ChainVerification {
  ok: boolean;
  /** Sealed events whose place and hash were checked. */
  checked: number;
  /** The newest sealed row's hash. */
  headHash: string;
  /** What audit_anchor records: the sealed chain must reach exactly this far. */
  anchor: { sealedCount: number; headHash: string };
  /** Rows not sealed yet, and how many of them are older than the bound (a fault). */
  unsealed: { count: number; stale: number };
  problem?: { seq?: number; chainSeq?: number; message: string };
}

export interface VerifyOptions {
  pageSize?: number;
  /** An unsealed row older than this is a fault: the sealer is not running or not keeping up. */
  unsealedMaxAgeSeconds: number;
  now?: Date;
}

/**
 * Walks the sealed chain in chain order, in pages, recomputing every hash; then checks that it ends
 * where the anchor says it does and that no committed row has waited too long to be sealed.
 * Runs in one repeatable-read snapshot, so a seal pass committing meanwhile cannot look like a fault.
 */
export function verifyAuditChain(db: Db, options: VerifyOptions): Promise<ChainVerification> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const pageSize = options.pageSize ?? 5000;
      const anchorRow = await trx
        .selectFrom('audit_anchor')
        .select(['sealed_count', 'head_hash'])
        .executeTakeFirst();
      const anchor = anchorRow
        ? { sealedCount: anchorRow.sealed_count, headHash: anchorRow.head_hash }
        : { sealedCount: -1, headHash: '' };
      const cutoff = new Date((options.now ?? new Date()).getTime() - options.unsealedMaxAgeSeconds * 1000);
      const { rows: counts } = await sql<{ count: number; stale: number; oldest_stale: number | null }>`
        select count(*)::int as count,
               (count(*) filter (where occurred_at < ${cutoff}))::int as stale,
               min(seq) filter (where occurred_at < ${cutoff}) as oldest_stale
        from audit_event where chain_seq is null`.execute(trx);
      const unsealed = { count: counts[0]!.count, stale: counts[0]!.stale };
      const result = (checked: number, headHash: string, problem?: ChainVerification['problem']) => ({
        ok: problem === undefined,
        checked,
        headHash,
        anchor,
        unsealed,
        ...(problem ? { problem } : {}),
      });

      if (!anchorRow) return result(0, GENESIS_HASH, { message: 'the audit anchor is missing' });
      let previous = GENESIS_HASH;
      let checked = 0;
      for (;;) {
        const rows = await trx
          .selectFrom('audit_event')
          .selectAll()
          .where('chain_seq', '>', checked)
          .orderBy('chain_seq')
          .limit(pageSize)
          .execute();
        if (rows.length === 0) break;
        for (const row of rows) {
          const at = { seq: row.seq, chainSeq: row.chain_seq! };
          if (row.chain_seq !== checked + 1 || row.prev_hash !== previous) {
            return result(checked, previous, {
              ...at,
              message: 'does not follow the event before it (an event was removed or reordered)',
            });
          }
          if (hashAuditRow({ ...row, prev_hash: previous }) !== row.hash) {
            return result(checked, previous, {
              ...at,
              message: 'its content does not match its hash (the event was altered)',
            });
          }
          previous = row.hash;
          checked++;
        }
      }

      if (checked < anchor.sealedCount) {
        return result(checked, previous, {
          message: `the chain ends after ${checked} events but the anchor records ${anchor.sealedCount}: the newest events were removed or the log was truncated`,
        });
      }
      if (checked > anchor.sealedCount) {
        return result(checked, previous, {
          chainSeq: anchor.sealedCount + 1,
          message: `the chain goes on past the anchor (${anchor.sealedCount} events): events were sealed outside the sealer`,
        });
      }
      if (previous !== anchor.headHash) {
        return result(checked, previous, {
          chainSeq: checked,
          message: 'the newest event is not the one the anchor records (the head was replaced)',
        });
      }
      if (unsealed.stale > 0) {
        return result(checked, previous, {
          seq: counts[0]!.oldest_stale!,
          message: `${unsealed.stale} events older than ${options.unsealedMaxAgeSeconds} s are not sealed (the sealer is not running or not keeping up)`,
        });
      }
      return result(checked, previous);
    });
}
