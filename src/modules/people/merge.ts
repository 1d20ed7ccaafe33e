import type { Trx } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';

interface Core {
  refreshBlockingKeys(trx: Trx, personIds: readonly string[]): Promise<void>;
}

export function mergeService(_deps: Deps, _core: Core) {
  return {};
}
