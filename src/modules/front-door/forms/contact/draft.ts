import type { JourneyDraft } from '../../../../platform/http/journeys/journey.ts';
import type { ChildInput, ContactInput } from '../../types.ts';

export type Adult = ContactInput['adults'][number];

/** A contact as far as the professional has got: every section may be partly answered. */
export interface ContactDraft extends JourneyDraft {
  sourceCode?: string;
  referrer?: ContactInput['referrer'];
  children: Partial<ChildInput>[];
  adults: Partial<Adult>[];
  concerns?: string[];
  narrative?: string;
  actionsTaken?: string;
  familyKnows?: boolean;
  consent?: Partial<ContactInput['consent']>;
}

/** The draft as the service takes it; the service checks it again in full. */
export function draftToContact(draft: ContactDraft): ContactInput {
  const family = draft.children[0]?.address;
  return {
    sourceCode: draft.sourceCode as ContactInput['sourceCode'],
    referrer: draft.referrer ?? {},
    ...(family ? { address: family } : {}),
    children: draft.children as ChildInput[],
    adults: draft.adults as Adult[],
    concerns: (draft.concerns ?? []) as ContactInput['concerns'],
    narrative: draft.narrative ?? '',
    actionsTaken: draft.actionsTaken ?? '',
    consent: draft.consent as ContactInput['consent'],
    familyKnows: draft.familyKnows as boolean,
  };
}

/** Which page holds an API field, so an error on the check page links to where it is fixed. */
export function pageOf(field: string): string {
  const match = /^(children|adults)\[(\d+)\]/.exec(field);
  if (match) return `${match[1]}/${Number(match[2]) + 1}`;
  if (field.startsWith('consent')) return 'consent';
  if (field.startsWith('referrer') || field === 'sourceCode') return 'source';
  if (field === 'concerns' || field === 'narrative') return 'concerns';
  if (field === 'actionsTaken' || field === 'familyKnows') return 'actions';
  if (field.startsWith('address') || field === 'children') return 'children/1';
  return 'check';
}
