import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { hashAuditRow } from './audit.ts';

/**
 * The sealer: the single writer of the audit chain (decision 0009).
 *
 * Audited transactions append unsealed rows and never wait for each other. After they commit, a
 * seal pass takes the committed unsealed rows (in `seq` order), gives each the next chain position
 * after the anchor's head, its previous hash and its hash, and moves the anchor to the new head,
 * all in one transaction.
 *
 * Why it never seals past a row that may still commit: chain positions are handed out by the
 * sealer when it seals, not reserved when a row is inserted. A pass sees only committed rows
 * (MVCC), and a row whose transaction commits later, even one with a lower `seq`, is simply
 * appended after the head by a later pass. No position is ever left open for a row that might
 * still arrive, so nothing has to wait for the oldest in-flight transaction, and a long
 * transaction never holds the chain back.
 *
 * One sealer at a time: the pass locks the anchor row (FOR UPDATE), so two passes, from any number
 * of instances, run one after the other and each sees what the other sealed. A try-advisory-lock
 * in front of it lets a second instance skip its pass instead of queueing behind the first.
 */

const SEALER_LOCK = 4242102;

export interface SealOptions {
  /** Rows sealed per pass (one transaction). */
  batchSize?: number;
}

export interface SealPass {
  sealed: number;
  /** Another instance was sealing, so this pass did nothing. */
  busy: boolean;
}

export async function sealAuditBatch(db: Db, options: SealOptions = {}): Promise<SealPass> {
  const batchSize = options.batchSize ?? 1000;
  return db.transaction().execute(async (trx) => {
    // Keyed by schema too, so databases that hold several Harbour schemas (tests) do not contend.
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_xact_lock(${SEALER_LOCK}, hashtext(current_schema())) as locked`.execute(trx);
    if (!rows[0]?.locked) return { sealed: 0, busy: true };
    const anchor = await trx
      .selectFrom('audit_anchor')
      .select(['sealed_count', 'head_hash'])
      .forUpdate()
      .executeTakeFirstOrThrow();
    const unsealed = await trx
      .selectFrom('audit_event')
      .selectAll()
      .where('chain_seq', 'is', null)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (unsealed.length === 0) return { sealed: 0, busy: false };

    let position = anchor.sealed_count;
    let previous = anchor.head_hash;
    const seqs: number[] = [];
    const positions: number[] = [];
    const prevHashes: string[] = [];
    const hashes: string[] = [];
    for (const row of unsealed) {
      position++;
      const hash = hashAuditRow({ ...row, prev_hash: previous });
      seqs.push(row.seq);
      positions.push(position);
      prevHashes.push(previous);
      hashes.push(hash);
      previous = hash;
    }
    await sql`
      update audit_event set chain_seq = seal.chain_seq, prev_hash = seal.prev_hash, hash = seal.hash
      from unnest(${seqs}::bigint[], ${positions}::bigint[], ${prevHashes}::text[], ${hashes}::text[])
        as seal(seq, chain_seq, prev_hash, hash)
      where audit_event.seq = seal.seq and audit_event.chain_seq is null`.execute(trx);
    await trx
      .updateTable('audit_anchor')
      .set({ sealed_count: position, head_hash: previous, sealed_at: sql`now()` })
      .execute();
    return { sealed: unsealed.length, busy: false };
  });
}

/** Seals everything committed so far (start-up, shutdown, the CLI, tests). */
export async function sealCommittedAudit(db: Db, options: SealOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  let total = 0;
  for (;;) {
    const pass = await sealAuditBatch(db, { batchSize });
    total += pass.sealed;
    if (pass.busy || pass.sealed < batchSize) return total;
  }
}

export interface AuditSealer {
  /** Stops the loop, then seals what has committed, so a clean shutdown leaves nothing unsealed. */
  stop(): Promise<void>;
}

export interface SealerOptions extends SealOptions {
  /** Pause between passes when the last pass found less than a full batch. */
  intervalMs: number;
  onError?(error: unknown): void;
}

/** Runs seal passes until stopped: back to back while there is a backlog, every intervalMs otherwise. */
export function startAuditSealer(db: Db, options: SealerOptions): AuditSealer {
  const batchSize = options.batchSize ?? 1000;
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopped) {
      let full = false;
      try {
        full = (await sealAuditBatch(db, { batchSize })).sealed >= batchSize;
      } catch (error) {
        // A failed pass changes nothing (one transaction); the next pass retries.
        options.onError?.(error);
      }
      if (!full && !stopped) await pause();
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await sealCommittedAudit(db, { batchSize });
    },
  };
}

/** Committed audit events the sealer has not chained yet (the `/metrics` gauge; decision 0009). */
export async function unsealedAuditCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from audit_event where chain_seq is null`.execute(db);
  return rows[0]!.n;
}
