/**
 * How a second agency's record of a person differs from the first: a mistyped or shortened given
 * name, a surname taken from a new partner, day and month swapped in the birth date, no NHS number,
 * an old address. Each duplicate gets one or two of these, as real records do.
 */
import type { Random } from './random.ts';

/** Usual short forms of common formal names (a modest, hand-written list). */
const SHORT_FORMS: Readonly<Record<string, readonly string[]>> = {
  Alexander: ['Alex'],
  Alexandra: ['Alex', 'Lexi'],
  Amelia: ['Millie', 'Amy'],
  Benjamin: ['Ben'],
  Catherine: ['Kate', 'Cath'],
  Charlotte: ['Lottie', 'Charlie'],
  Christopher: ['Chris'],
  Daniel: ['Dan', 'Danny'],
  Edward: ['Ed', 'Eddie'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie'],
  Isabella: ['Bella', 'Izzy'],
  James: ['Jim', 'Jamie'],
  Jessica: ['Jess'],
  Jonathan: ['Jon'],
  Joseph: ['Joe'],
  Joshua: ['Josh'],
  Katherine: ['Kate', 'Katie'],
  Margaret: ['Maggie', 'Peggy'],
  Matthew: ['Matt'],
  Michael: ['Mike', 'Mikey'],
  Nicholas: ['Nick'],
  Oliver: ['Ollie'],
  Rebecca: ['Becky'],
  Richard: ['Rich', 'Ricky'],
  Robert: ['Rob', 'Bob'],
  Samuel: ['Sam'],
  Samantha: ['Sam'],
  Stephen: ['Steve'],
  Thomas: ['Tom', 'Tommy'],
  William: ['Will', 'Billy'],
};

/** One keying slip: two letters swapped, one dropped or one doubled. */
export function typo(random: Random, value: string): string {
  if (value.length < 4) return value;
  const at = random.int(1, value.length - 2);
  const slip = random.int(0, 2);
  if (slip === 0) return value.slice(0, at) + value[at + 1] + value[at] + value.slice(at + 2);
  if (slip === 1) return value.slice(0, at) + value.slice(at + 1);
  return value.slice(0, at) + value[at] + value.slice(at);
}

export function shortForm(random: Random, given: string): string | null {
  const first = given.split(' ')[0]!;
  const forms = SHORT_FORMS[first];
  return forms ? random.pick(forms) : null;
}

/** The birth date with day and month swapped, when that is still a date. */
export function swapDayMonth(iso: string): string | null {
  const [y, m, d] = iso.split('-');
  if (!y || !m || !d || m === d || Number(d) > 12) return null;
  return `${y}-${d}-${m}`;
}

/** A birth date one day or one year out, as a keying slip. */
export function nearbyDate(random: Random, iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  if (random.chance(0.5)) date.setUTCDate(date.getUTCDate() + (random.chance(0.5) ? 1 : -1));
  else date.setUTCFullYear(date.getUTCFullYear() + (random.chance(0.5) ? 1 : -1));
  return date.toISOString().slice(0, 10);
}
