import {
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  PGliteAdapter,
  PGliteDialect,
} from 'kysely';

/** Hands the one connection on in the order it was asked for, waking only the caller whose turn it is. */
class HandOnLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

/** PGlite's adapter, telling Kysely that the driver below does its own one-at-a-time locking. */
class LockingAdapter extends PGliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/**
 * Kysely's PGlite dialect with a fair lock on its one connection. Kysely's own lock for
 * single-connection drivers wakes every waiting caller on each release, and all but one go back to
 * waiting: with n callers queued each release costs n wake-ups, so 1,000 concurrent requests on the
 * embedded database spent more CPU waking than querying. Here each release wakes the next caller
 * only. One caller at a time still holds the connection, for a statement or a whole transaction.
 */
export class FairPGliteDialect extends PGliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingAdapter();
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const lock = new HandOnLock();
    return {
      init: () => driver.init(),
      async acquireConnection(): Promise<DatabaseConnection> {
        await lock.acquire();
        try {
          return await driver.acquireConnection();
        } catch (error) {
          lock.release();
          throw error;
        }
      },
      async releaseConnection(connection) {
        try {
          await driver.releaseConnection(connection);
        } finally {
          lock.release();
        }
      },
      beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
      commitTransaction: (connection) => driver.commitTransaction(connection),
      rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
      savepoint: (connection, name, compile) => driver.savepoint!(connection, name, compile),
      rollbackToSavepoint: (connection, name, compile) =>
        driver.rollbackToSavepoint!(connection, name, compile),
      releaseSavepoint: (connection, name, compile) => driver.releaseSavepoint!(connection, name, compile),
      destroy: () => driver.destroy(),
    };
  }
}
