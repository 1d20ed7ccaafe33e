import { POLICE_DASH_2009 } from './police-dash-2009.ts';
import { SAFELIVES_DASH_RIC } from './safelives-dash-ric.ts';
import type { Instrument } from './types.ts';

/** Every instrument Harbour ships. Add new versions alongside old ones: stored assessments keep theirs. */
export const INSTRUMENTS: readonly Instrument[] = Object.freeze([SAFELIVES_DASH_RIC, POLICE_DASH_2009]);

export function getInstrument(id: string, version: string): Instrument | undefined {
  return INSTRUMENTS.find((i) => i.id === id && i.version === version);
}

export function listInstruments(): readonly Instrument[] {
  return INSTRUMENTS;
}

/** The newest version of an instrument (versions compare numerically where they can). */
export function latestInstrument(id: string): Instrument | undefined {
  let latest: Instrument | undefined;
  for (const instrument of INSTRUMENTS) {
    if (instrument.id !== id) continue;
    if (!latest || instrument.version.localeCompare(latest.version, 'en', { numeric: true }) > 0)
      latest = instrument;
  }
  return latest;
}
