/**
 * Generates a synthetic partnership household by household, as rows for the person index and the
 * chronology. Rows are built the way the people service builds them (same normalisation, and
 * blocking keys from the same `blockingKeys(matchRecordOf(...))`), so the app cannot tell a
 * generated person from one it recorded itself. Everything is drawn from one seeded stream: a seed
 * gives the same rows, ids included.
 */
import { base, en, en_GB, Faker } from '@faker-js/faker';
import type {
  ChronologyEventData,
  ChronologyEventType,
  Significance,
} from '../../domain/chronology-event.ts';
import {
  normalisePostcode,
  postcodeDistrict,
  syntheticNhsNumber,
  syntheticUpn,
} from '../../domain/identifiers.ts';
import type { RiskLevel } from '../../domain/instruments/bands.ts';
import { blockingKeys } from '../../domain/matching.ts';
import type { AgencyKind } from '../../platform/roles.ts';
import { matchRecordOf, type NewPerson } from '../people/service.ts';
import { nearbyDate, shortForm, swapDayMonth, typo } from './noise.ts';
import { Random, WeightedPool, zipfWeights } from './random.ts';
import {
  CHILDREN_PER_FAMILY,
  CONTACT_SOURCES,
  CONTACTS_PER_PERSON_YEAR,
  DAN_RISK_GRADES,
  DOMESTIC_ABUSE_HOUSEHOLD_RATE,
  DOMESTIC_ABUSE_REPEAT_RATE,
  DUPLICATE_RATE,
  ETHNICITIES,
  HEAVY_CHILD_EVENTS,
  HOUSEHOLD_KINDS,
  HOUSEHOLDS_PER_POSTCODE,
  type HouseholdKind,
  LANGUAGES,
  MOVE_RATE_PER_YEAR,
  NEED_CAP,
  NEED_PARETO_ALPHA,
  PEOPLE_PER_DISTRICT,
  PEOPLE_PER_HEAVY_CHILD,
} from './shapes.ts';
import { ARRAY_SEPARATOR, type Cell, type SyntheticTable } from './tables.ts';

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

export interface SyntheticArea {
  id: string;
  code: string;
  town: string;
  /** Postcode districts the generated addresses use (written to the area so the app resolves them). */
  districts: string[];
}

export interface SyntheticAgency {
  id: string;
  kind: AgencyKind;
  areaIds: string[];
}

export interface PartnershipRefs {
  areas: SyntheticArea[];
  agencies: SyntheticAgency[];
}

export interface GenerateOptions {
  people: number;
  years: number;
  seed: number;
  /** The end of the generated history: nothing happens after it. */
  today: Date;
}

export interface RowSink {
  push(table: SyntheticTable, row: Cell[]): void;
}

export interface GenerationStats {
  people: number;
  duplicates: number;
  households: number;
  domesticAbuseHouseholds: number;
  incidents: number;
  contacts: number;
  events: number;
  heavyChildIds: string[];
}

/** The generator's link kinds as relationship bases (docs/access.md). */
const LINK_BASES: Record<string, string> = {
  pupil: 'school-on-roll',
  'gp-registered': 'registered-gp',
  'health-visiting': 'health-visitor',
};
/** The postcode districts an area needs for this many residents, named after its first district. */
export function districtsFor(existing: readonly string[], residents: number): string[] {
  const prefix = (existing[0] ?? 'ZZ1').replace(/\d+[A-Z]?$/, '');
  const count = Math.max(existing.length, Math.ceil(residents / PEOPLE_PER_DISTRICT));
  const districts: string[] = [];
  for (let i = 1; i <= count; i++) {
    const district = `${prefix}${i}`;
    if (postcodeDistrict(`${district} 1AA`) === district) districts.push(district);
  }
  return districts;
}

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

interface Address {
  line1: string;
  town: string;
  postcode: string;
  fromMs: number;
  toMs: number | null;
}

interface GenPerson {
  id: string;
  kind: 'child' | 'unborn' | 'adult';
  given: string;
  family: string;
  sex: 'male' | 'female';
  dob: string | null;
  dobMs: number;
  expected: string | null;
  areaId: string;
  ethnicity: string;
  language: string;
  disability: string | null;
  nhs: string | null;
  upn: string | null;
  la: string | null;
  police: string | null;
  phone: string | null;
  previousFamily: string | null;
  addresses: Address[];
  createdBy: SyntheticAgency;
  links: { agencyId: string; kind: string }[];
  /** A second record of this person, made by another agency, that their events sometimes land on. */
  duplicate: { id: string; agency: SyntheticAgency } | null;
}

interface Household {
  area: SyntheticArea;
  kind: HouseholdKind;
  adults: GenPerson[];
  children: GenPerson[];
  /** An ex-partner living elsewhere (single-parent households with domestic abuse). */
  exPartner: GenPerson | null;
  addresses: Address[];
  need: number;
  domesticAbuse: boolean;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoDate(ms: number): string {
  return iso(ms).slice(0, 10);
}

function dateMs(dateOnly: string): number {
  return Date.parse(`${dateOnly}T00:00:00Z`);
}

/**
 * How often each front-door outcome is decided at each risk grade (relative weights; 0: never at
 * that grade). One row an outcome, so a grade's mix reads down its column.
 */
const DECISION_WEIGHTS = [
  { value: 'no-further-action', standard: 40, medium: 15, high: 0 },
  { value: 'universal-services', standard: 20, medium: 10, high: 0 },
  { value: 'early-help', standard: 28, medium: 35, high: 10 },
  { value: 'child-in-need-assessment', standard: 10, medium: 30, high: 40 },
  { value: 'strategy-discussion', standard: 2, medium: 10, high: 42 },
  { value: 'immediate-protection', standard: 0, medium: 0, high: 8 },
] as const;

function decisionsAt(grade: RiskLevel) {
  return DECISION_WEIGHTS.filter((row) => row[grade] > 0).map((row) => ({
    value: row.value,
    weight: row[grade],
  }));
}

/** What an unborn child's chronology may hold: how likely, the event, who records it, its summary. */
const PRE_BIRTH_EVENTS: readonly (readonly [number, ChronologyEventType, AgencyKind, string])[] = [
  [0.2, 'health-visitor-concern', 'community_health', 'Midwife concern about the pregnancy'],
  [0.3, 'maternity-booking', 'acute_trust', 'Maternity booking: the mother disclosed domestic abuse'],
];

/** A household's expected contacts scale with its need; this is the mean of the capped Pareto draw. */
function meanNeed(): number {
  const a = NEED_PARETO_ALPHA;
  return a / (a - 1) - NEED_CAP ** (1 - a) / (a - 1);
}

export class SyntheticGenerator {
  readonly stats: GenerationStats;
  readonly #refs: PartnershipRefs;
  readonly #options: GenerateOptions;
  readonly #sink: RowSink;
  readonly #random: Random;
  readonly #surnames: WeightedPool<string>;
  readonly #given: { male: WeightedPool<string>; female: WeightedPool<string> };
  readonly #streets: string[];
  readonly #todayMs: number;
  readonly #startMs: number;
  readonly #unitsPerDistrict: Map<string, number>;
  readonly #agenciesByKind = new Map<string, SyntheticAgency[]>();
  readonly #contactRate: number;
  readonly #heavyChildren: number;
  #incidentSeq = 0;
  #caseSeq = 0;
  #areaTurn = 0;
  /** Called with each generated person as the people service would receive it (tests validate these). */
  onPerson: ((input: NewPerson) => void) | null = null;

  constructor(refs: PartnershipRefs, options: GenerateOptions, sink: RowSink) {
    this.#refs = refs;
    this.#options = options;
    this.#sink = sink;
    this.#random = new Random(options.seed);
    this.#todayMs = options.today.getTime();
    this.#startMs = this.#todayMs - options.years * YEAR;
    this.stats = {
      people: 0,
      duplicates: 0,
      households: 0,
      domesticAbuseHouseholds: 0,
      incidents: 0,
      contacts: 0,
      events: 0,
      heavyChildIds: [],
    };
    const faker = new Faker({ locale: [en_GB, en, base], seed: options.seed });
    const pool = (draw: () => string, size: number) => {
      const names = [...new Set(Array.from({ length: size }, draw))];
      // Faker's lists are alphabetical; shuffle before giving Zipf weights so "common" is arbitrary.
      for (let i = names.length - 1; i > 0; i--) {
        const j = this.#random.int(0, i);
        [names[i], names[j]] = [names[j]!, names[i]!];
      }
      return new WeightedPool(names, zipfWeights(names.length, 0.9));
    };
    this.#surnames = pool(() => faker.person.lastName(), 4000);
    this.#given = {
      male: pool(() => faker.person.firstName('male'), 3000),
      female: pool(() => faker.person.firstName('female'), 3000),
    };
    this.#streets = [...new Set(Array.from({ length: 3000 }, () => faker.location.street()))];
    const residentsPerArea = options.people / refs.areas.length;
    this.#unitsPerDistrict = new Map(
      refs.areas.map((a) => [
        a.id,
        Math.max(20, Math.ceil(residentsPerArea / a.districts.length / 2.4 / HOUSEHOLDS_PER_POSTCODE)),
      ]),
    );
    for (const agency of refs.agencies) {
      const list = this.#agenciesByKind.get(agency.kind) ?? [];
      list.push(agency);
      this.#agenciesByKind.set(agency.kind, list);
    }
    // DANs make about a fifth of contacts; the rest come at this rate per child-year, scaled by the
    // household's need. 0.17 is child-years in the window per person-year (a fifth of people are
    // children, and those born during the window are in it for part of it); checked by measurement.
    this.#contactRate = (CONTACTS_PER_PERSON_YEAR * 0.8) / (0.17 * meanNeed());
    this.#heavyChildren = Math.max(1, Math.round(options.people / PEOPLE_PER_HEAVY_CHILD));
  }

  get done(): boolean {
    return this.stats.people >= this.#options.people;
  }

  /** Generates one household (and its history) into the sink; false once enough people exist. */
  next(): boolean {
    if (this.done) return false;
    const area = this.#refs.areas[this.#areaTurn++ % this.#refs.areas.length]!;
    const household = this.#household(area);
    this.stats.households++;
    const events = new EventWriter(this, household);
    if (household.children.length > 0) {
      if (household.domesticAbuse) {
        this.stats.domesticAbuseHouseholds++;
        events.domesticAbuse();
      }
      events.contacts();
      events.background();
      events.moves();
      if (household.domesticAbuse && this.stats.heavyChildIds.length < this.#heavyChildren) {
        const eldest = household.children.find(
          (c) => c.kind === 'child' && this.#todayMs - c.dobMs > 9 * YEAR && !c.duplicate,
        );
        if (eldest) {
          events.fillTo(eldest, HEAVY_CHILD_EVENTS);
          this.stats.heavyChildIds.push(eldest.id);
        }
      }
    }
    for (const person of [...household.adults, ...household.children]) this.#emitPerson(person);
    if (household.exPartner) this.#emitPerson(household.exPartner);
    this.#relationships(household);
    events.flush();
    return true;
  }

  // ---- access for EventWriter ----
  get random(): Random {
    return this.#random;
  }
  get todayMs(): number {
    return this.#todayMs;
  }
  get startMs(): number {
    return this.#startMs;
  }
  get contactRate(): number {
    return this.#contactRate;
  }
  push(table: SyntheticTable, row: Cell[]): void {
    this.#sink.push(table, row);
  }
  nextIncidentRef(atMs: number): string {
    this.#incidentSeq++;
    return `HP-${new Date(atMs).getUTCFullYear()}-${String(this.#incidentSeq).padStart(7, '0')}`;
  }
  assignCaseNumber(person: GenPerson): void {
    if (person.la) return;
    this.#caseSeq++;
    person.la = `LA${String(this.#caseSeq).padStart(8, '0')}`;
  }

  agency(kind: AgencyKind, areaId: string): SyntheticAgency {
    const all = this.#agenciesByKind.get(kind) ?? this.#agenciesByKind.get('childrens_social_care')!;
    const local = all.filter((a) => a.areaIds.includes(areaId));
    return this.#random.pick(local.length > 0 ? local : all);
  }

  // ---- people ----

  #household(area: SyntheticArea): Household {
    const r = this.#random;
    let kind = r.weighted(HOUSEHOLD_KINDS);
    const remaining = this.#options.people - this.stats.people;
    if (remaining < 3) kind = 'single';
    const family = this.#surnames.draw(r);
    const ethnicity = r.weighted(ETHNICITIES);
    const language = r.weighted(LANGUAGES);
    const hasChildren = kind === 'family' || kind === 'single-parent';
    const domesticAbuse = hasChildren && r.chance(DOMESTIC_ABUSE_HOUSEHOLD_RATE);
    const need = Math.min(NEED_CAP, r.pareto(NEED_PARETO_ALPHA)) * (domesticAbuse ? 2 : 1);
    const addresses = this.#addressHistory(area, domesticAbuse ? 2 : 1);
    const household: Household = {
      area,
      kind,
      adults: [],
      children: [],
      exPartner: null,
      addresses,
      need,
      domesticAbuse,
    };
    const adult = (sex: 'male' | 'female', minAge: number, maxAge: number, surname = family) =>
      this.#person(household, 'adult', sex, this.#todayMs - r.int(minAge * 365, maxAge * 365) * DAY, {
        family: surname,
        ethnicity,
        language,
      });
    switch (kind) {
      case 'single':
        household.adults.push(adult(r.chance(0.5) ? 'female' : 'male', 18, 90));
        break;
      case 'couple':
        household.adults.push(adult('female', 20, 85), adult('male', 20, 88));
        break;
      case 'shared':
        for (let i = 0; i < 3; i++)
          household.adults.push(adult(r.chance(0.5) ? 'female' : 'male', 18, 40, this.#surnames.draw(r)));
        break;
      case 'family':
      case 'single-parent': {
        const motherAgeYears = r.int(20, 50);
        household.adults.push(adult('female', motherAgeYears, motherAgeYears));
        if (kind === 'family') {
          household.adults.push(
            adult(
              'male',
              motherAgeYears,
              motherAgeYears + 8,
              r.chance(0.25) ? this.#surnames.draw(r) : family,
            ),
          );
        }
        const count = Math.min(
          r.weighted(CHILDREN_PER_FAMILY),
          Math.max(1, remaining - household.adults.length),
        );
        const eldestAge = Math.min(17.9, motherAgeYears - 17);
        let previousDob = 0;
        for (let i = 0; i < count; i++) {
          const twin = i > 0 && r.chance(0.03);
          const dobMs = twin ? previousDob : this.#todayMs - Math.floor(r.next() * eldestAge * YEAR) - DAY;
          previousDob = dobMs;
          household.children.push(
            this.#person(household, 'child', r.chance(0.5) ? 'female' : 'male', dobMs, {
              family,
              ethnicity,
              language,
            }),
          );
        }
        if (r.chance(0.04) && remaining > household.adults.length + household.children.length) {
          const expectedMs = this.#todayMs + r.int(20, 200) * DAY;
          household.children.push(
            this.#person(household, 'unborn', r.chance(0.5) ? 'female' : 'male', expectedMs, {
              family,
              ethnicity,
              language,
            }),
          );
        }
        if (domesticAbuse && kind === 'single-parent') {
          const exAddresses = this.#addressHistory(area, 1);
          household.exPartner = this.#person(
            household,
            'adult',
            'male',
            this.#todayMs - r.int(motherAgeYears - 3, motherAgeYears + 10) * 365 * DAY,
            { family: this.#surnames.draw(r), ethnicity, language, addresses: exAddresses },
          );
        }
        break;
      }
    }
    return household;
  }

  #postcode(area: SyntheticArea): { postcode: string; street: string } {
    const r = this.#random;
    const district = r.pick(area.districts);
    const unit = r.int(0, this.#unitsPerDistrict.get(area.id)! - 1);
    const sector = 1 + (unit % 9);
    const letters = Math.floor(unit / 9);
    const inward = `${sector}${INWARD_LETTERS[Math.floor(letters / 20) % 20]}${INWARD_LETTERS[letters % 20]}`;
    // One street per postcode unit, as on the ground.
    let hash = unit * 2654435761;
    for (const ch of district) hash = (hash ^ ch.charCodeAt(0)) * 16777619;
    const street = this.#streets[(hash >>> 0) % this.#streets.length]!;
    return { postcode: normalisePostcode(`${district}${inward}`)!, street };
  }

  #address(area: SyntheticArea, fromMs: number, toMs: number | null): Address {
    const { postcode, street } = this.#postcode(area);
    return { line1: `${this.#random.int(1, 220)} ${street}`, town: area.town, postcode, fromMs, toMs };
  }

  /** The household's addresses over the window, oldest first; the last is current. */
  #addressHistory(area: SyntheticArea, moveFactor: number): Address[] {
    const r = this.#random;
    const moves: number[] = [];
    for (let y = 0; y < this.#options.years; y++) {
      if (r.chance(MOVE_RATE_PER_YEAR * moveFactor)) moves.push(this.#startMs + (y + r.next()) * YEAR);
    }
    const firstFrom = this.#startMs - r.int(0, 3650) * DAY;
    const addresses: Address[] = [];
    let from = firstFrom;
    for (const move of moves) {
      addresses.push(this.#address(area, from, Math.floor(move)));
      from = Math.floor(move);
    }
    addresses.push(this.#address(area, from, null));
    return addresses;
  }

  #person(
    household: Household,
    kind: GenPerson['kind'],
    sex: 'male' | 'female',
    dobMs: number,
    facts: { family: string; ethnicity: string; language: string; addresses?: Address[] },
  ): GenPerson {
    const r = this.#random;
    const area = household.area;
    const day = isoDate(dobMs);
    const ageYears = (this.#todayMs - dobMs) / YEAR;
    let given = kind === 'unborn' ? 'Unborn' : this.#given[sex].draw(r);
    if (kind !== 'unborn' && r.chance(0.15)) given = `${given} ${this.#given[sex].draw(r)}`;
    const csc = this.agency('childrens_social_care', area.id);
    const gp = this.agency('gp_practice', area.id);
    const links: GenPerson['links'] = [];
    if (kind !== 'unborn') links.push({ agencyId: gp.id, kind: 'gp-registered' });
    let upn: string | null = null;
    if (kind === 'child' && ageYears >= 4) {
      links.push({ agencyId: this.agency('school', area.id).id, kind: 'pupil' });
      if (r.chance(0.96)) upn = syntheticUpn(() => r.next());
    } else if (kind === 'child') {
      links.push({ agencyId: this.agency('community_health', area.id).id, kind: 'health-visiting' });
    }
    const addresses = (facts.addresses ?? household.addresses).filter(
      (a) => kind === 'unborn' || a.toMs === null || a.toMs > dobMs,
    );
    const person: GenPerson = {
      id: r.uuid(),
      kind,
      given,
      family: facts.family,
      sex,
      dob: kind === 'unborn' ? null : day,
      dobMs,
      expected: kind === 'unborn' ? day : null,
      areaId: area.id,
      ethnicity: facts.ethnicity,
      language: facts.language,
      disability:
        kind === 'child' && r.chance(0.07)
          ? r.pick(['Autism spectrum condition', 'Hearing impairment', 'Learning disability', 'ADHD'])
          : null,
      nhs:
        kind === 'unborn'
          ? null
          : r.chance(kind === 'child' ? 0.99 : 0.93)
            ? syntheticNhsNumber(() => r.next())
            : null,
      upn,
      la: null,
      police: null,
      phone: kind === 'adult' && r.chance(0.6) ? `07700 9${String(r.int(0, 99999)).padStart(5, '0')}` : null,
      previousFamily: kind === 'adult' && sex === 'female' && r.chance(0.05) ? this.#surnames.draw(r) : null,
      addresses: addresses.length > 0 ? addresses : [household.addresses[household.addresses.length - 1]!],
      createdBy: csc,
      links,
      duplicate: null,
    };
    if (r.chance(DUPLICATE_RATE) && kind !== 'unborn') {
      const other: AgencyKind =
        kind === 'child'
          ? r.weighted([
              { value: 'school' as const, weight: ageYears >= 4 ? 4 : 0 },
              { value: 'acute_trust' as const, weight: 3 },
              { value: 'police' as const, weight: 3 },
            ])
          : r.weighted([
              { value: 'police' as const, weight: 5 },
              { value: 'acute_trust' as const, weight: 3 },
              { value: 'probation' as const, weight: 1 },
            ]);
      person.duplicate = { id: r.uuid(), agency: this.agency(other, area.id) };
    }
    this.stats.people++;
    return person;
  }

  /** The people service's input for this person; the rows below are what insertPerson writes for it. */
  #newPerson(p: GenPerson): NewPerson {
    const identifiers: NonNullable<NewPerson['identifiers']> = [];
    if (p.nhs) identifiers.push({ scheme: 'nhs', value: p.nhs });
    if (p.upn) identifiers.push({ scheme: 'upn', value: p.upn });
    if (p.la) identifiers.push({ scheme: 'la', value: p.la });
    if (p.police) identifiers.push({ scheme: 'police', value: p.police });
    const input: NewPerson = {
      kind: p.kind,
      givenName: p.given,
      familyName: p.family,
      sex: p.sex,
      ethnicity: p.ethnicity,
      language: p.language,
      identifiers,
      addresses: p.addresses.map((a) => ({
        line1: a.line1,
        town: a.town,
        postcode: a.postcode,
        fromDate: isoDate(a.fromMs),
        ...(a.toMs !== null ? { toDate: isoDate(a.toMs) } : {}),
      })),
      areaId: p.areaId,
    };
    if (p.dob) input.dateOfBirth = p.dob;
    if (p.expected) input.expectedDate = p.expected;
    if (p.disability) input.disability = p.disability;
    if (p.phone) input.contactDetails = [{ kind: 'phone', value: p.phone }];
    if (p.previousFamily)
      input.otherNames = [{ givenName: p.given, familyName: p.previousFamily, kind: 'previous' }];
    return input;
  }

  /** A second agency's record of the person: one or two slips, often no NHS number, sometimes an old address. */
  #noisyCopy(p: GenPerson): GenPerson {
    const r = this.#random;
    const dup = p.duplicate!;
    const copy: GenPerson = {
      ...p,
      id: dup.id,
      createdBy: dup.agency,
      links: [],
      la: null,
      upn: dup.agency.kind === 'school' ? p.upn : null,
      nhs: dup.agency.kind === 'acute_trust' || r.chance(0.4) ? p.nhs : null,
      phone: null,
      previousFamily: null,
      duplicate: null,
    };
    const slips = r.int(1, 2);
    for (let i = 0; i < slips; i++) {
      const slip = r.weighted([
        { value: 'given-typo', weight: 3 },
        { value: 'family-typo', weight: 3 },
        { value: 'short-form', weight: 3 },
        { value: 'dob-swap', weight: 1 },
        { value: 'dob-near', weight: 1 },
        { value: 'surname', weight: p.kind === 'adult' && p.sex === 'female' ? 2 : 0 },
        { value: 'old-address', weight: p.addresses.length > 1 ? 3 : 0 },
        { value: 'no-middle-name', weight: p.given.includes(' ') ? 3 : 0 },
      ]);
      if (slip === 'given-typo') copy.given = typo(r, copy.given);
      else if (slip === 'family-typo') copy.family = typo(r, copy.family);
      else if (slip === 'short-form') copy.given = shortForm(r, copy.given) ?? typo(r, copy.given);
      else if (slip === 'dob-swap' && copy.dob) copy.dob = swapDayMonth(copy.dob) ?? nearbyDate(r, copy.dob);
      else if (slip === 'dob-near' && copy.dob) {
        const near = nearbyDate(r, copy.dob);
        if (dateMs(near) < this.#todayMs) copy.dob = near;
      } else if (slip === 'surname') copy.family = this.#surnames.draw(r);
      else if (slip === 'old-address') copy.addresses = [{ ...p.addresses[0]!, toMs: null }];
      else if (slip === 'no-middle-name') copy.given = copy.given.split(' ')[0]!;
    }
    return copy;
  }

  #emitPerson(p: GenPerson): void {
    this.#emitRecord(p);
    if (p.duplicate) {
      this.#emitRecord(this.#noisyCopy(p));
      this.stats.duplicates++;
    }
  }

  /** Mirrors peopleService.insertPerson row for row (bar its per-person audit event; the seed audits once). */
  #emitRecord(p: GenPerson): void {
    const input = this.#newPerson(p);
    this.onPerson?.(input);
    const createdMs = Math.max(this.#startMs, p.kind === 'unborn' ? this.#todayMs - 120 * DAY : p.dobMs);
    const created = iso(createdMs);
    const source = p.createdBy.id;
    const keys = blockingKeys(matchRecordOf(input));
    this.push('person', [
      p.id,
      p.areaId,
      p.kind,
      p.given,
      p.family,
      null,
      p.dob,
      p.expected,
      p.sex,
      p.ethnicity,
      p.language,
      p.disability,
      p.nhs,
      keys.join(ARRAY_SEPARATOR),
      source,
      created,
      created,
    ]);
    // A fact row: its own id and the person's first, then the fact, then who supplied it and when.
    const fact = (table: SyntheticTable, ...values: Cell[]) =>
      this.push(table, [this.#random.uuid(), p.id, p.areaId, ...values, source, created]);
    fact('person_name', 'current', p.given, p.family, null, null);
    if (p.previousFamily) fact('person_name', 'previous', p.given, p.previousFamily, null, null);
    for (const id of input.identifiers ?? []) fact('person_identifier', id.scheme, id.value);
    for (const a of p.addresses) {
      const to = a.toMs === null ? null : isoDate(a.toMs);
      fact(
        'person_address',
        a.line1,
        null,
        a.town,
        a.postcode,
        postcodeDistrict(a.postcode)!,
        isoDate(a.fromMs),
        to,
      );
    }
    if (p.phone) fact('person_contact_detail', 'phone', p.phone);
    // Standing relationships, recorded by the agency that created the record (never to itself).
    for (const link of p.links) {
      if (link.agencyId === source) continue;
      this.push('access_relationship', [
        this.#random.uuid(),
        p.id,
        link.agencyId,
        p.areaId,
        LINK_BASES[link.kind] ?? 'health-visitor',
        source,
        'Synthetic data generator',
        created,
      ]);
    }
  }

  #relationships(h: Household): void {
    const r = this.#random;
    const source = h.adults[0]?.createdBy.id ?? null;
    const recorded = iso(this.#startMs);
    const rel = (a: GenPerson, b: GenPerson, kind: string, incident: string | null = null) =>
      this.push('person_relationship', [
        r.uuid(),
        h.area.id,
        a.id,
        b.id,
        kind,
        incident,
        null,
        null,
        source,
        recorded,
      ]);
    const [first, second] = h.adults;
    if (first && second && (h.kind === 'couple' || h.kind === 'family')) {
      rel(first, second, 'partner');
      rel(second, first, 'partner');
    }
    const parents = h.kind === 'family' || h.kind === 'single-parent' ? [...h.adults] : [];
    if (h.exPartner && first) {
      parents.push(h.exPartner);
      rel(first, h.exPartner, 'ex-partner');
      rel(h.exPartner, first, 'ex-partner');
    }
    for (const child of h.children) {
      for (const parent of parents) {
        rel(child, parent, 'parent');
        rel(parent, child, 'child');
      }
      for (const sibling of h.children) if (sibling !== child) rel(child, sibling, 'sibling');
    }
  }
}

type EventAgency = { id: string; kind: AgencyKind } | null;

/** One of the everyday events of a child known to agencies: how likely, and what it records. */
interface BackgroundType {
  type: ChronologyEventType;
  weight: number;
  /** `event`'s arguments after the time: who records it, how significant, its summary and data. */
  record: () => [EventAgency, Significance, string, ChronologyEventData?];
}

/** Writes one household's chronology: contacts, domestic abuse, agencies' background events, moves. */
class EventWriter {
  readonly #g: SyntheticGenerator;
  readonly #h: Household;
  readonly #rows: Cell[][] = [];
  readonly #counts = new Map<string, number>();
  readonly #contactTimes: number[] = [];

  constructor(generator: SyntheticGenerator, household: Household) {
    this.#g = generator;
    this.#h = household;
  }

  get #r(): Random {
    return this.#g.random;
  }

  #csc(): SyntheticAgency {
    return this.#g.agency('childrens_social_care', this.#h.area.id);
  }

  /** The window in which a person can have events: after birth (or a few months before, unborn) and before today. */
  #window(p: GenPerson): [number, number] {
    const from = p.kind === 'unborn' ? this.#g.todayMs - 120 * DAY : Math.max(this.#g.startMs, p.dobMs + DAY);
    return [from, this.#g.todayMs - DAY];
  }

  #ageAt(p: GenPerson, atMs: number): number {
    return (atMs - p.dobMs) / YEAR;
  }

  event(
    p: GenPerson,
    type: ChronologyEventType,
    atMs: number,
    agency: EventAgency,
    significance: Significance,
    summary: string,
    data: ChronologyEventData = {},
    sharedWith: readonly string[] = [],
  ): string | null {
    const [from, to] = this.#window(p);
    if (atMs < from || atMs > to) return null;
    // An agency's events about someone it recorded separately sit on its own record of them.
    const personId = p.duplicate && agency && p.duplicate.agency.id === agency.id ? p.duplicate.id : p.id;
    const id = this.#r.uuid();
    const recordedMs = Math.min(this.#g.todayMs, atMs + this.#r.int(10, 72 * 60) * 60_000);
    const withPreBirth = p.kind === 'unborn' ? { ...data, preBirth: true } : data;
    this.#rows.push([
      id,
      this.#h.area.id,
      personId,
      type,
      iso(atMs),
      iso(recordedMs),
      agency?.id ?? null,
      agency?.kind ?? null,
      significance,
      summary,
      JSON.stringify(withPreBirth),
      null,
      null,
      null,
      sharedWith.join(ARRAY_SEPARATOR),
    ]);
    this.#counts.set(p.id, (this.#counts.get(p.id) ?? 0) + 1);
    return id;
  }

  flush(): void {
    for (const row of this.#rows) this.#g.push('chronology_event', row);
    this.#g.stats.events += this.#rows.length;
  }

  #children(): GenPerson[] {
    return this.#h.children;
  }

  /** A time in the person's window; later contacts tend to follow earlier ones (families have episodes). */
  #when(p: GenPerson): number {
    const [from, to] = this.#window(p);
    if (this.#contactTimes.length > 0 && this.#r.chance(0.5)) {
      const after = this.#r.pick(this.#contactTimes) + this.#r.int(3, 150) * DAY;
      if (after >= from && after <= to) return after;
    }
    return from + this.#r.next() * (to - from);
  }

  contacts(): void {
    const r = this.#r;
    for (const child of this.#children()) {
      if (child.kind === 'unborn' && !r.chance(0.3)) continue;
      const [from, to] = this.#window(child);
      if (to <= from) continue;
      const count = r.poisson(this.#g.contactRate * this.#h.need * ((to - from) / YEAR));
      for (let i = 0; i < count; i++) this.contact(child, this.#when(child));
    }
  }

  contact(child: GenPerson, atMs: number): void {
    const r = this.#r;
    const areaId = this.#h.area.id;
    const sourceKind = r.weighted(CONTACT_SOURCES);
    const source = sourceKind === 'individual' ? this.#csc() : this.#g.agency(sourceKind, areaId);
    const significance = r.weighted([
      { value: 'low' as const, weight: 55 },
      { value: 'medium' as const, weight: 38 },
      { value: 'high' as const, weight: 7 },
    ]);
    const summary =
      sourceKind === 'individual'
        ? 'Contact from a member of the public about the child’s care'
        : `Contact from ${sourceKind.replace(/_/g, ' ')} raising concern about the child`;
    if (this.event(child, 'contact', atMs, source, significance, summary, { role: 'subject' }) === null)
      return;
    this.#g.stats.contacts++;
    this.#contactTimes.push(atMs);
    if (r.chance(0.4)) {
      const partner = this.#g.agency(r.pick(['school', 'community_health', 'gp_practice'] as const), areaId);
      this.event(
        child,
        'enquiry-response',
        atMs + r.int(2, 30) * 3_600_000,
        partner,
        'low',
        'Partner agency answered the front door’s enquiry',
      );
    }
    const grade: RiskLevel =
      significance === 'high' ? 'high' : significance === 'medium' ? 'medium' : 'standard';
    this.decision(child, atMs + r.int(4, 72) * 3_600_000, grade);
  }

  decision(child: GenPerson, atMs: number, grade: RiskLevel): void {
    const r = this.#r;
    const csc = this.#csc();
    const outcome = r.weighted(decisionsAt(grade));
    if (
      this.event(
        child,
        'decision',
        atMs,
        csc,
        grade === 'standard' ? 'low' : 'medium',
        `Front-door decision: ${outcome.replace(/-/g, ' ')}`,
        { decisionOutcome: outcome, riskGrade: grade },
      ) === null
    )
      return;
    const later = (days: number) => atMs + r.int(Math.ceil(days / 2), days) * DAY;
    if (outcome === 'early-help') {
      this.event(
        child,
        'early-help-plan',
        later(20),
        this.#g.agency('early_help', this.#h.area.id),
        'low',
        'Early help plan agreed with the family',
      );
      if (r.chance(0.12))
        this.event(
          child,
          'early-help-step-up',
          later(120),
          csc,
          'medium',
          'Stepped up from early help to children’s social care',
        );
    } else if (
      outcome === 'child-in-need-assessment' ||
      outcome === 'strategy-discussion' ||
      outcome === 'immediate-protection'
    ) {
      this.#g.assignCaseNumber(child);
      this.event(child, 'referral', atMs + DAY, csc, 'medium', 'Referral accepted by children’s social care');
      if (outcome !== 'child-in-need-assessment') {
        this.event(
          child,
          'strategy-discussion',
          atMs + r.int(1, 3) * DAY,
          csc,
          'high',
          'Strategy discussion with police and health',
        );
        if (r.chance(0.45))
          this.event(child, 'child-protection-plan', later(30), csc, 'high', 'Child protection plan started');
      } else if (r.chance(0.5)) {
        this.event(child, 'child-in-need-plan', later(45), csc, 'medium', 'Child in need plan agreed');
      }
      if (r.chance(0.3))
        this.event(child, 'social-worker-change', later(200), csc, 'low', 'Allocated social worker changed');
      if (r.chance(0.7)) {
        this.event(child, 'case-closure', later(300), csc, 'low', 'Case closed by children’s social care');
        if (r.chance(0.15))
          this.event(child, 'early-help-step-down', later(320), csc, 'low', 'Stepped down to early help');
      }
    }
  }

  domesticAbuse(): void {
    const r = this.#r;
    const h = this.#h;
    const mother = h.adults.find((a) => a.sex === 'female') ?? h.adults[0]!;
    const partner = h.exPartner ?? h.adults.find((a) => a !== mother) ?? null;
    if (!partner) return;
    const reversed = r.chance(0.12);
    const victim = reversed ? partner : mother;
    const perpetrator = reversed ? mother : partner;
    perpetrator.police ??= `HP${String(r.int(0, 9_999_999)).padStart(7, '0')}`;
    const police = this.#g.agency('police', h.area.id);
    const csc = this.#csc();
    const [windowStart, windowEnd] = [this.#g.startMs, this.#g.todayMs - 3 * DAY];
    let atMs = windowStart + r.next() * (windowEnd - windowStart);
    let repeat = 0;
    while (atMs < windowEnd) {
      this.#g.stats.incidents++;
      const ref = this.#g.nextIncidentRef(atMs);
      const grades =
        repeat >= 2
          ? DAN_RISK_GRADES.map((g) => ({
              ...g,
              weight: g.value === 'standard' ? g.weight / 2 : g.weight * 1.5,
            }))
          : DAN_RISK_GRADES;
      const grade = r.weighted(grades);
      const sig: Significance = grade === 'high' ? 'high' : 'medium';
      const who = {
        victimIds: [victim.id],
        perpetratorIds: [perpetrator.id],
        incidentRef: ref,
        riskGrade: grade,
      };
      const reportedBy = r.weighted([
        { value: 'victim' as const, weight: 60 },
        { value: 'neighbour' as const, weight: 15 },
        { value: 'family-member' as const, weight: 10 },
        { value: 'child' as const, weight: 5 },
        { value: 'professional' as const, weight: 5 },
        { value: 'other' as const, weight: 5 },
      ]);
      this.event(
        victim,
        'domestic-abuse-incident',
        atMs,
        police,
        sig,
        'Domestic abuse incident reported to police',
        { ...who, role: 'victim', reportedBy },
      );
      this.event(
        perpetrator,
        'domestic-abuse-incident',
        atMs,
        police,
        sig,
        'Domestic abuse incident: named as suspect',
        { ...who, role: 'perpetrator', reportedBy },
      );
      const dash = r.chance(0.15) ? 'safelives-dash-ric' : 'police-dash-2009';
      const score = grade === 'high' ? r.int(14, 24) : grade === 'medium' ? r.int(7, 13) : r.int(0, 6);
      if (r.chance(0.85))
        this.event(
          victim,
          'risk-assessment',
          atMs + r.int(1, 6) * 3_600_000,
          police,
          sig,
          'DASH risk assessment completed',
          {
            role: 'victim',
            instrumentId: dash,
            instrumentVersion: '1',
            instrumentScore: score,
            riskGrade: grade,
          },
        );
      for (const child of this.#children()) {
        const present = r.chance(0.45);
        const danId = this.event(
          child,
          'dan',
          atMs + r.int(6, 48) * 3_600_000,
          police,
          sig,
          'Police domestic abuse notification',
          {
            ...who,
            role: child.kind === 'unborn' ? 'other' : 'child-in-household',
            childPresent: present,
            childInjured: present && r.chance(0.06),
            reportedBy,
          },
        );
        if (danId === null) continue;
        this.#g.stats.contacts++;
        if (r.chance(0.05))
          this.event(
            child,
            'duplicate-dan',
            atMs + r.int(2, 4) * DAY,
            police,
            'low',
            'Second notification of the same incident',
            {
              incidentRef: ref,
              duplicateOfEventId: danId,
            },
          );
        const age = this.#ageAt(child, atMs);
        if (child.kind === 'child' && age >= 4.5 && age < 17 && r.chance(0.9)) {
          const school = child.links.find((l) => l.kind === 'pupil')?.agencyId;
          this.event(
            child,
            'operation-encompass-notification',
            atMs + r.int(12, 30) * 3_600_000,
            police,
            'medium',
            'Operation Encompass: school told before the school day',
            { incidentRef: ref },
            school ? [school] : [],
          );
        }
        this.decision(child, atMs + r.int(1, 3) * DAY, grade);
      }
      if (grade === 'high') {
        const idva = this.#g.agency('idva_service', h.area.id);
        this.event(victim, 'marac-referral', atMs + r.int(1, 4) * DAY, idva, 'high', 'Referred to MARAC', {
          ...who,
          role: 'victim',
        });
        const discussed = atMs + r.int(10, 28) * DAY;
        this.event(victim, 'marac-discussion', discussed, csc, 'high', 'Discussed at MARAC', {
          ...who,
          role: 'victim',
        });
        for (const child of this.#children())
          this.event(
            child,
            'marac-discussion',
            discussed,
            csc,
            'high',
            'Discussed at MARAC as a child of the household',
            { ...who, role: 'child-in-household' },
          );
        this.event(
          victim,
          'safety-plan',
          atMs + r.int(2, 8) * DAY,
          idva,
          'medium',
          'Safety plan agreed with the IDVA',
          { role: 'victim' },
        );
      }
      if (r.chance(0.3)) {
        const school = this.#children().flatMap((c) =>
          c.links.filter((l) => l.kind === 'pupil').map((l) => l.agencyId),
        )[0];
        this.event(
          perpetrator,
          'custody-episode',
          atMs + r.int(1, 10) * 3_600_000,
          police,
          'high',
          'Arrested and held in custody',
          {
            role: 'perpetrator',
            incidentRef: ref,
            schoolInformed: r.chance(0.5),
          },
          school ? [school] : [],
        );
      }
      if (r.chance(0.15))
        this.event(
          perpetrator,
          'bail-or-order-breach',
          atMs + r.int(7, 60) * DAY,
          police,
          'high',
          'Breach of bail conditions',
          { role: 'perpetrator', indicators: ['breach-of-bail-or-order'] },
        );
      if (r.chance(0.2))
        this.event(
          perpetrator,
          'probation-event',
          atMs + r.int(30, 120) * DAY,
          this.#g.agency('probation', h.area.id),
          'medium',
          'Probation supervision contact',
          { role: 'perpetrator' },
        );
      if (r.chance(0.25))
        this.#adultRiskIndicator(perpetrator, () => atMs + r.int(1, 90) * DAY, {
          substance: 'Substance misuse treatment disengaged',
          mentalHealth: 'Adult mental health crisis contact',
        });
      if (!r.chance(DOMESTIC_ABUSE_REPEAT_RATE)) break;
      repeat++;
      atMs += Math.max(3, -Math.log(1 - r.next()) * 110) * DAY;
    }
  }

  /** Health, school and youth-justice events that accompany need, in proportion to it. */
  background(): void {
    const r = this.#r;
    const areaId = this.#h.area.id;
    for (const child of this.#children()) {
      if (child.kind === 'unborn') {
        for (const [chance, type, agencyKind, summary] of PRE_BIRTH_EVENTS)
          if (r.chance(chance))
            this.event(
              child,
              type,
              this.#when(child),
              this.#g.agency(agencyKind, areaId),
              'medium',
              summary,
              {
                preBirth: true,
              },
            );
        continue;
      }
      const [from, to] = this.#window(child);
      const count = r.poisson(0.12 * this.#h.need * ((to - from) / YEAR));
      for (let i = 0; i < count; i++) this.#backgroundEvent(child, from + r.next() * (to - from));
      // A child-protection plan, shown to partners as a flag (issue 15), for some children of the
      // households in most need; about half have ended by the end of the history.
      if (this.#h.need >= 8 && r.chance(0.3)) {
        const raised = from + r.next() * (to - from);
        const council = this.#g.agency('childrens_social_care', areaId);
        this.event(child, 'flag-raised', raised, council, 'high', 'Child-protection plan flag raised');
        if (r.chance(0.5))
          this.event(
            child,
            'flag-ended',
            raised + r.next() * (to - raised),
            council,
            'medium',
            'Child-protection plan flag ended',
          );
      }
    }
    for (const adult of this.#h.adults) {
      if (this.#h.need < 8 || !r.chance(0.4)) continue;
      this.#adultRiskIndicator(adult, () => this.#when(adult), {
        substance: 'Parent in treatment for alcohol misuse',
        mentalHealth: 'Parent referred to adult mental health services',
      });
    }
  }

  /**
   * A parent's substance misuse or mental health need (evenly one or the other), recorded by the
   * adult service that meets it. The need is drawn before the time, as the stream always was.
   */
  #adultRiskIndicator(
    adult: GenPerson,
    at: () => number,
    summaries: { substance: string; mentalHealth: string },
  ): void {
    const substance = this.#r.chance(0.5);
    this.event(
      adult,
      'adult-risk-indicator',
      at(),
      this.#g.agency(substance ? 'adult_substance_misuse' : 'adult_mental_health', this.#h.area.id),
      'medium',
      substance ? summaries.substance : summaries.mentalHealth,
      { role: 'parent-carer', indicators: [substance ? 'substance-misuse' : 'mental-health'] },
    );
  }

  #backgroundEvent(child: GenPerson, atMs: number): void {
    const r = this.#r;
    const areaId = this.#h.area.id;
    const age = this.#ageAt(child, atMs);
    const school = age >= 4.5 && age < 17;
    const local = (kind: AgencyKind): EventAgency => this.#g.agency(kind, areaId);
    const schoolAgency = (): EventAgency => {
      const id = child.links.find((l) => l.kind === 'pupil')?.agencyId;
      return id ? { id, kind: 'school' } : local('school');
    };
    // Each type, its weight for this child, and what it records: who, how significant, what it says.
    // Only the chosen record runs, drawing from the stream in the order the event's arguments are
    // read, so a seed still gives the same rows.
    const types: BackgroundType[] = [
      {
        type: 'missed-health-appointment',
        weight: 25,
        record: () => [
          local(r.chance(0.5) ? 'gp_practice' : 'community_health'),
          'low',
          'Was not brought to a health appointment',
        ],
      },
      {
        type: 'ed-attendance',
        weight: 18,
        record: () => [
          local('acute_trust'),
          r.chance(0.2) ? 'medium' : 'low',
          'Attended the emergency department',
        ],
      },
      {
        type: 'health-visitor-concern',
        weight: age < 5 ? 15 : 0,
        record: () => [local('community_health'), 'medium', 'Health visitor concern about home conditions'],
      },
      {
        type: 'school-absence',
        weight: school ? 22 : 0,
        record: () => [
          schoolAgency(),
          'low',
          'Attendance below expected this half term',
          { attendancePercent: r.int(55, 89) },
        ],
      },
      {
        type: 'school-concern',
        weight: school ? 15 : 0,
        record: () => [schoolAgency(), 'medium', 'Designated safeguarding lead recorded a concern'],
      },
      {
        type: 'school-nurse-concern',
        weight: school ? 5 : 0,
        record: () => [local('community_health'), 'medium', 'School nurse concern about weight and hygiene'],
      },
      {
        type: 'school-exclusion',
        weight: school && age >= 8 ? 4 : 0,
        record: () => [schoolAgency(), 'medium', 'Suspended from school for a fixed period'],
      },
      {
        type: 'youth-justice-event',
        weight: age >= 10 ? 4 : 0,
        record: () => [local('youth_justice'), 'medium', 'Youth justice service contact'],
      },
      { type: 'other', weight: 4, record: () => [local('camhs'), 'low', 'CAMHS appointment offered'] },
    ];
    const chosen = r.weighted(types.map((t) => ({ value: t, weight: t.weight })));
    this.event(child, chosen.type, atMs, ...chosen.record());
  }

  /** Every move of a household with children is on each child's and parent's chronology. */
  moves(): void {
    const h = this.#h;
    const housing = this.#g.agency('housing', h.area.id);
    for (const address of h.addresses.slice(1)) {
      for (const person of [...h.adults, ...h.children])
        if (person.kind !== 'unborn')
          this.event(person, 'address-change', address.fromMs, housing, 'low', 'Moved to a new address');
    }
  }

  /** Tops a child's chronology up to `target` events with the everyday traffic of a long-known child. */
  fillTo(child: GenPerson, target: number): void {
    const r = this.#r;
    let guard = target * 4;
    while ((this.#counts.get(child.id) ?? 0) < target && guard-- > 0) {
      const [from, to] = this.#window(child);
      const atMs = from + r.next() * (to - from);
      if (r.chance(0.25)) this.contact(child, atMs);
      else this.#backgroundEvent(child, atMs);
    }
    // Contacts bring decisions and plans with them, so trim back to exactly the target.
    const own = this.#rows.filter((row) => row[2] === child.id);
    let excess = own.length - target;
    for (let i = this.#rows.length - 1; i >= 0 && excess > 0; i--) {
      if (this.#rows[i]![2] === child.id && this.#rows[i]![3] !== 'dan') {
        this.#rows.splice(i, 1);
        excess--;
      }
    }
    this.#counts.set(child.id, target);
  }
}
