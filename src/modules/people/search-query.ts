import { normaliseNhsNumber, normalisePostcode, normaliseUpn } from '../../domain/identifiers.ts';

export interface InterpretedQuery {
  name?: string;
  dateOfBirth?: string;
  postcode?: string;
  identifier?: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/;

/**
 * A date as a practitioner types it, ISO (2018-06-14) or UK day-first (14/06/2018, 14/6/2018,
 * 14.06.2018), as ISO; null when it is not a date or not a real one (31/02/2018).
 */
export function searchDate(token: string): string | null {
  const iso = ISO.exec(token);
  const uk = iso ? null : UK_DATE.exec(token);
  const [year, month, day] = iso
    ? [iso[1]!, iso[2]!, iso[3]!]
    : uk
      ? [uk[3]!, uk[2]!.padStart(2, '0'), uk[1]!.padStart(2, '0')]
      : [];
  if (!year || !month || !day) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const real =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day);
  return real ? `${year}-${month}-${day}` : null;
}

/**
 * Reads one free-text search box the way a practitioner types into it: "Ella Smith 03/04/2014",
 * "NB1 4AA", "943 476 5919". Dates (ISO or UK day-first), a postcode (with or without its
 * space), an NHS number, a UPN or another reference are picked out; what is left is the name.
 */
export function interpretQuery(q: string): InterpretedQuery {
  const out: InterpretedQuery = {};
  let text = q.trim().replace(/\s+/g, ' ');
  const nhs = /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/.exec(text);
  if (nhs && normaliseNhsNumber(nhs[0])) {
    out.identifier = normaliseNhsNumber(nhs[0])!;
    text = text.replace(nhs[0], ' ');
  }
  const tokens = text.split(' ').filter(Boolean);
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const date = out.dateOfBirth ? null : searchDate(token);
    if (date) {
      out.dateOfBirth = date;
      continue;
    }
    const next = tokens[i + 1];
    if (!out.postcode && next && /\d/.test(token) && normalisePostcode(`${token} ${next}`)) {
      out.postcode = normalisePostcode(`${token} ${next}`)!;
      i++;
      continue;
    }
    if (!out.postcode && /\d/.test(token) && normalisePostcode(token)) {
      out.postcode = normalisePostcode(token)!;
      continue;
    }
    if (!out.identifier && normaliseUpn(token)) {
      out.identifier = normaliseUpn(token)!;
      continue;
    }
    if (!out.identifier && /\d/.test(token) && /^[A-Za-z0-9/-]{4,}$/.test(token)) {
      out.identifier = token;
      continue;
    }
    rest.push(token);
  }
  if (rest.length) out.name = rest.join(' ');
  return out;
}
