import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/**
 * The command-line options the bench scripts share: which generated dataset (its size, history
 * and seed select it, so two scripts given the same values open the same one) and which
 * operations to run.
 */
const DATASET_OPTIONS = {
  people: { type: 'string' },
  years: { type: 'string' },
  seed: { type: 'string' },
  only: { type: 'string' },
} as const;

/** The command line of a script that opens a dataset: the shared options and the script's own. */
export function parseDatasetCommandLine<Own extends ParseArgsOptionsConfig>(own: Own) {
  return parseArgs({ options: { ...DATASET_OPTIONS, ...own } }).values;
}

/** A number given on the command line (`1_000_000` reads as a million), or `fallback` when not given. */
export function num(raw: string | undefined, fallback: number): number {
  return raw === undefined ? fallback : Number(raw.replace(/_/g, ''));
}

/** The operation ids named by `--only a,b`, or null when every operation runs. */
export function onlyIds(raw: string | undefined): ReadonlySet<string> | null {
  return raw ? new Set(raw.split(',')) : null;
}

/** What `DATASET_OPTIONS` select: the dataset's size, history and seed, and `--only`'s ids. */
export function datasetArgs(
  values: { people?: string; years?: string; seed?: string; only?: string },
  defaults: { people: number; years: number },
) {
  return {
    people: num(values.people, defaults.people),
    years: num(values.years, defaults.years),
    seed: num(values.seed, 1),
    only: onlyIds(values.only),
  };
}
