import type { AuditContext } from '../../platform/audit.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import type { DemoServices } from '../demo/seed.ts';
import { describeSeed, type SyntheticSeedOptions, seedSynthetic } from './seed.ts';
import { PRESETS } from './shapes.ts';

export const SYNTHETIC_USAGE = `  seed --synthetic [--preset medium-unitary|large-county] [--people N] [--years Y] [--seed S] [--today YYYY-MM-DD]
                                            Generate a synthetic partnership at scale into an empty database`;

export interface SyntheticArgs {
  preset?: string | undefined;
  people?: string | undefined;
  years?: string | undefined;
  seed?: string | undefined;
  today?: string | undefined;
}

/** Reads the CLI's options; every problem is reported at once. */
export function parseSyntheticArgs(args: SyntheticArgs): SyntheticSeedOptions {
  const errors: FieldError[] = [];
  const preset = args.preset ? PRESETS[args.preset] : PRESETS['medium-unitary'];
  if (!preset)
    errors.push({ field: '--preset', message: `Choose one of ${Object.keys(PRESETS).join(', ')}` });
  const whole = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < min || value > max) {
      errors.push({
        field: name,
        message: `Must be a whole number from ${min} to ${max.toLocaleString('en-GB')}`,
      });
      return fallback;
    }
    return value;
  };
  const people = whole('--people', args.people, preset?.people ?? 0, 10, 20_000_000);
  const years = whole('--years', args.years, preset?.years ?? 0, 1, 30);
  const seed = whole('--seed', args.seed, 1, 0, 2 ** 31 - 1);
  let today: Date | undefined;
  if (args.today !== undefined) {
    today = new Date(`${args.today}T12:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(args.today) || Number.isNaN(today.getTime()))
      errors.push({ field: '--today', message: 'Must be a date, YYYY-MM-DD' });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return { people, years, seed, ...(today ? { today } : {}), progress: true };
}

export async function runSyntheticSeed(
  services: DemoServices,
  context: AuditContext,
  args: SyntheticArgs,
): Promise<number> {
  const options = parseSyntheticArgs(args);
  const result = await seedSynthetic(services, context, options);
  if (!result.seeded) {
    console.log('The database already holds a partnership; nothing was seeded. Use an empty database.');
    return 0;
  }
  for (const line of describeSeed(result, options)) console.log(line);
  return 0;
}
