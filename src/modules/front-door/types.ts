import type { DecisionOutcome } from '../../domain/chronology-event.ts';
import type { Rag } from '../../domain/clock.ts';
import type { RiskLevel } from '../../domain/instruments/bands.ts';
import type { Concern, ContactSource, DashStatus } from './vocabulary.ts';

export interface AddressInput {
  line1: string;
  line2?: string;
  town?: string;
  postcode: string;
}

export interface PersonDetailsInput {
  givenName: string;
  familyName: string;
  dateOfBirth?: string;
  sex?: 'male' | 'female' | 'other' | 'unknown';
  nhsNumber?: string;
  address?: AddressInput;
}

/** An agency named in a form (a child's school or GP): by code when it is a Harbour agency. */
export interface NamedAgency {
  agencyCode?: string;
  name?: string;
}

export interface ChildInput extends PersonDetailsInput {
  unborn?: boolean;
  expectedDate?: string;
  upn?: string;
  school?: NamedAgency;
  health?: NamedAgency;
}

/** One section per child on a DAN (FINDINGS F6): the child is not lost in an adult crime report. */
export interface DanChildInput extends ChildInput {
  livesAtAddress: boolean;
  present: boolean;
  witnessed: boolean;
  injured: boolean;
  injuryDetails?: string;
  childSaid?: string;
  wishesAndFeelings?: string;
  livedExperience?: string;
}

export interface ConsentInput {
  asked: boolean;
  given?: boolean;
  reasonSharingWithoutConsent?: string;
}

export interface DanInput {
  incident: {
    policeReference: string;
    occurredAt: string;
    location: AddressInput;
    circumstances: string;
    reportedBy?:
      | 'victim'
      | 'child'
      | 'perpetrator'
      | 'family-member'
      | 'neighbour'
      | 'professional'
      | 'other';
  };
  victim: PersonDetailsInput & { phone?: string };
  suspects: (PersonDetailsInput & { relationshipToVictim?: string; arrested?: boolean })[];
  children: DanChildInput[];
  risk: {
    dashStatus: DashStatus;
    dashReference?: string;
    dashScore?: number;
    officerRiskGrade: RiskLevel;
  };
  consent: ConsentInput;
  earlyHelp: { offered: boolean; response?: 'accepted' | 'declined' | 'considering' };
  officer?: { name?: string; collarNumber?: string; phone?: string };
}

export interface ContactInput {
  sourceCode: ContactSource;
  referrer: {
    name?: string;
    role?: string;
    organisation?: string;
    phone?: string;
    email?: string;
  };
  /** The family's address, used for routing when a child's own address is not given. */
  address?: AddressInput;
  children: ChildInput[];
  adults: (PersonDetailsInput & { relationshipToChildren?: string })[];
  concerns: Concern[];
  narrative: string;
  actionsTaken: string;
  consent: ConsentInput;
  familyKnows: boolean;
  /** A police child-protection referral names the incident, so it can join the DAN about it. */
  incidentRef?: string;
  incidentDate?: string;
}

export type PersonRole = 'child' | 'victim' | 'suspect' | 'adult';

export interface MatchedPerson {
  role: PersonRole;
  position: number;
  personId: string;
  outcome: 'linked' | 'new' | 'review';
}

export interface IntakeResult {
  contactId: string;
  reference: string;
  areaId: string;
  status: string;
  route: 'mash' | 'early-help-triage';
  people: MatchedPerson[];
  rag: Rag | null;
  receivedAt: string;
  screeningDueAt: string;
  decisionDueAt: string;
  duplicateOf: string | null;
  linkKind: 'duplicate' | 'joined' | null;
}

export interface DecisionInput {
  levelOfNeed: string;
  outcome: DecisionOutcome;
  rationale: string;
  feedback: string;
  /** What the worker was shown beside the form (a fingerprint of the cumulative-risk summary). */
  riskSummarySeen?: Record<string, unknown> | null;
}
