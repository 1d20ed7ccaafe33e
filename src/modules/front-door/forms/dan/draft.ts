import type { JourneyDraft } from '../../../../platform/http/journeys/journey.ts';
import type { DanChildInput, DanInput } from '../../types.ts';

export type Suspect = DanInput['suspects'][number];

/** A DAN as far as the officer has got: every section may be partly answered. */
export interface DanDraft extends JourneyDraft {
  incident?: Partial<DanInput['incident']>;
  victim?: Partial<DanInput['victim']>;
  suspects: Partial<Suspect>[];
  noSuspect?: boolean;
  children: Partial<DanChildInput>[];
  risk?: Partial<DanInput['risk']>;
  consent?: Partial<DanInput['consent']>;
  earlyHelp?: Partial<DanInput['earlyHelp']>;
  officer?: DanInput['officer'];
}

/** The draft as the service takes it; the service checks it again in full. */
export function draftToInput(draft: DanDraft): DanInput {
  return {
    incident: draft.incident as DanInput['incident'],
    victim: draft.victim as DanInput['victim'],
    suspects: draft.noSuspect ? [] : (draft.suspects as Suspect[]),
    children: draft.children as DanChildInput[],
    risk: draft.risk as DanInput['risk'],
    consent: draft.consent as DanInput['consent'],
    earlyHelp: draft.earlyHelp as DanInput['earlyHelp'],
    ...(draft.officer ? { officer: draft.officer } : {}),
  };
}

/** Which page holds an API field, so an error on the check page links to where it is fixed. */
export function pageOf(field: string): string {
  const match = /^(children|suspects)\[(\d+)\]/.exec(field);
  if (match) return `${match[1]}/${Number(match[2]) + 1}`;
  const section = field.split(/[.[]/)[0];
  if (section === 'earlyHelp' || section === 'consent') return 'consent';
  if (section === 'children') return 'children/1';
  return section ?? 'check';
}
