import { type Db, type Trx, transaction } from '../../db/database.ts';
import { localDateOf } from '../../domain/calendar.ts';
import {
  checkFlagEnd,
  checkNewFlag,
  type FlagProblem,
  type FlagTypeDefinition,
  flagTypes,
} from '../../domain/flags.ts';
import {
  decide,
  decideFlagEnd,
  decideFlagRaise,
  decideFlagView,
  ForbiddenError,
  type Resource,
} from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { auditOnSubject, personRecordSubject } from '../../platform/audit-subject.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import * as repo from './repository.ts';

/** The contract's flag types: built in, or one the partnership's settings define. */
export type FlagType =
  | 'child-protection-plan'
  | 'looked-after'
  | 'child-in-need'
  | 'marac'
  | 'domestic-abuse-household'
  | (string & {});

export interface RaiseFlagInput {
  personId: string;
  type: FlagType;
  start: string;
  review?: string;
  contact: string;
  owningAgencyId: string;
  /** The record that raised it, e.g. { kind: 'marac-case', id }. */
  source?: { kind: string; id: string };
}

export interface EndFlagInput {
  end: string;
  reason: string;
}

/** A flag as pages, the API and FHIR show it: what, since when, who owns it and whom to call. */
export interface FlagView {
  id: string;
  personId: string;
  type: string;
  label: string;
  start: string;
  review: string | null;
  end: string | null;
  endReason: string | null;
  contact: string;
  owningAgency: { id: string; name: string; kind: string | null; code: string | null };
  active: boolean;
}

export interface FlagsCollaborators {
  people: PeopleService;
  chronology: ChronologyService;
  directory: DirectoryService;
}

function toValidation(problems: readonly FlagProblem[]): ValidationError {
  return new ValidationError(problems.map((p) => ({ field: p.field, message: p.message })));
}

export function flagsService(deps: Deps, { people, chronology, directory }: FlagsCollaborators) {
  const { db } = deps;
  const types = (): FlagTypeDefinition[] => flagTypes(deps.config.partnership.flags.types);
  const typeOf = (code: string) => types().find((t) => t.code === code);
  const today = () => localDateOf(deps.now());

  async function present(rows: readonly repo.FlagRow[], conn: Db | Trx = db): Promise<FlagView[]> {
    const agencies = new Map(
      (await directory.agenciesByIds([...new Set(rows.map((r) => r.owning_agency_id))], conn)).map((a) => [
        a.id,
        a,
      ]),
    );
    const now = today();
    return rows.map((row) => {
      const agency = agencies.get(row.owning_agency_id);
      return {
        id: row.id,
        personId: row.person_id,
        type: row.type,
        label: typeOf(row.type)?.label ?? row.type,
        start: row.start_date,
        review: row.review_date,
        end: row.end_date,
        endReason: row.end_reason,
        contact: row.contact,
        owningAgency: {
          id: row.owning_agency_id,
          name: agency?.name ?? 'Unknown agency',
          kind: agency?.kind ?? null,
          code: agency?.code ?? null,
        },
        active: row.start_date <= now && (row.end_date === null || row.end_date >= now),
      };
    });
  }

  /**
   * Raises a flag in the caller's transaction and writes its chronology entry. It does not check
   * access: the caller (the flags API, the MARAC module) has been allowed the action that raises
   * it. An open flag of the same type held by the same agency is not repeated: its id is returned.
   */
  async function raise(
    trx: Trx,
    context: AuditContext,
    input: RaiseFlagInput,
  ): Promise<{ id: string; created: boolean }> {
    const [person] = await people.peopleByIds([input.personId], trx);
    if (!person) throw new ValidationError([{ field: 'personId', message: 'No person has this id' }]);
    const problems = checkNewFlag(input, types(), person.kind);
    if (problems.length) throw toValidation(problems);
    const existing = await repo.openFlagOf(trx, person.id, input.type, input.owningAgencyId);
    if (existing) return { id: existing.id, created: false };
    const [owner] = await directory.agenciesByIds([input.owningAgencyId], trx);
    if (!owner) throw new ValidationError([{ field: 'owningAgencyId', message: 'No agency has this id' }]);
    const label = typeOf(input.type)?.label ?? input.type;
    const id = await repo.insertFlag(trx, {
      person_id: person.id,
      area_id: person.area_id,
      type: input.type,
      start_date: input.start,
      review_date: input.review || null,
      contact: input.contact.trim(),
      owning_agency_id: owner.id,
      source_kind: input.source?.kind ?? null,
      source_id: input.source?.id ?? null,
      raised_at: deps.now(),
      raised_by_user_id: context.principal.userId,
      raised_by_name: context.principal.name,
    });
    await chronology.record(trx, context, [
      {
        personId: person.id,
        areaId: person.area_id,
        type: 'flag-raised',
        occurredAt: deps.now(),
        significance: 'high',
        summary: `${label} flag raised by ${owner.name}, from ${input.start}. Contact: ${input.contact.trim()}`,
        subjectType: 'flag',
        subjectId: id,
        sourceAgencyId: owner.id,
      },
    ]);
    await auditOnSubject(
      trx,
      context,
      'flag.raise',
      personRecordSubject('flag', id, person.id, person.area_id),
      {
        details: {
          type: input.type,
          owningAgencyId: owner.id,
          ...(input.source ? { source: input.source } : {}),
        },
      },
    );
    return { id, created: true };
  }

  /** Ends a flag in the caller's transaction, with its chronology entry. Access is the caller's. */
  async function end(trx: Trx, context: AuditContext, flagId: string, input: EndFlagInput): Promise<void> {
    const flag = await repo.flagById(trx, flagId);
    if (!flag) throw new NotFoundError('The flag');
    if (flag.end_date !== null) throw new ConflictError('This flag has already ended');
    const problems = checkFlagEnd(input, flag.start_date);
    if (problems.length) throw toValidation(problems);
    const ended = await repo.endFlag(trx, flagId, {
      end_date: input.end,
      end_reason: input.reason.trim(),
      ended_at: deps.now(),
      ended_by_user_id: context.principal.userId,
      ended_by_name: context.principal.name,
    });
    if (!ended) throw new ConflictError('This flag has already ended');
    const label = typeOf(flag.type)?.label ?? flag.type;
    await chronology.record(trx, context, [
      {
        personId: flag.person_id,
        areaId: flag.area_id,
        type: 'flag-ended',
        occurredAt: deps.now(),
        significance: 'medium',
        summary: `${label} flag ends on ${input.end}: ${input.reason.trim()}`,
        subjectType: 'flag',
        subjectId: flag.id,
        sourceAgencyId: flag.owning_agency_id,
      },
    ]);
    await auditOnSubject(
      trx,
      context,
      'flag.end',
      personRecordSubject('flag', flag.id, flag.person_id, flag.area_id),
    );
  }

  function refuse(reason: string, person: { id: string; area_id: string }): never {
    throw new ForbiddenError(
      'flag:raise',
      reason,
      personRecordSubject('person', person.id, person.id, person.area_id),
    );
  }

  return {
    raise,
    end,
    /** The flag types the partnership uses, built-in first. */
    types,

    /** The owning service raises a flag (page or API): checked by the policy, one transaction. */
    async raiseForPerson(
      context: AuditContext,
      personId: string,
      input: Omit<RaiseFlagInput, 'personId' | 'owningAgencyId'>,
    ) {
      const { person, resource } = await people.accessFacts(personId);
      // An agency that may raise no flag here is refused before its input is judged.
      const anyType = types().find((t) => decideFlagRaise(context.principal, resource, t.raisedBy).allowed);
      if (!anyType) {
        const onPerson = decide(context.principal, 'flag:raise', resource);
        refuse(onPerson.allowed ? 'the agency owns no type of flag' : onPerson.reason, person);
      }
      // Then the whole form's problems, so a page shows every field at once; then the type's owner.
      const problems = checkNewFlag(input, types(), person.kind);
      if (problems.length) throw toValidation(problems);
      const decision = decideFlagRaise(context.principal, resource, typeOf(input.type)?.raisedBy ?? []);
      if (!decision.allowed || !context.principal.agencyId) refuse(decision.reason, person);
      const owningAgencyId = context.principal.agencyId;
      return transaction(db, (trx) => raise(trx, context, { ...input, personId, owningAgencyId }));
    },

    /** The owning agency ends its flag (page or API). */
    async endForPerson(context: AuditContext, personId: string, flagId: string, input: EndFlagInput) {
      const { person } = await people.accessFacts(personId);
      const flag = await repo.flagById(db, flagId);
      if (!flag || flag.person_id !== personId) throw new NotFoundError('The flag');
      const decision = decideFlagEnd(context.principal, { owningAgencyId: flag.owning_agency_id });
      if (!decision.allowed) refuse(decision.reason, person);
      await transaction(db, (trx) => end(trx, context, flagId, input));
    },

    /**
     * The person record's banner: the person's current flags, for every agency that may see the
     * record. The page's read of the person is already audited; this adds nothing the page did not
     * decide. Returns null when the principal may not see flags.
     */
    async bannerFor(
      context: AuditContext,
      known: { person: { id: string }; resource: Resource },
    ): Promise<{ personId: string; flags: (FlagView & { mayEnd: boolean })[]; mayRaise: boolean } | null> {
      if (!decideFlagView(context.principal, known.resource).allowed) return null;
      const rows = await repo.currentFlagsOf(db, [known.person.id], today());
      const flags = (await present(rows)).map((flag) => ({
        ...flag,
        mayEnd:
          flag.end === null &&
          decideFlagEnd(context.principal, { owningAgencyId: flag.owningAgency.id }).allowed,
      }));
      const mayRaise = types().some(
        (t) => decideFlagRaise(context.principal, known.resource, t.raisedBy).allowed,
      );
      return { personId: known.person.id, flags, mayRaise };
    },

    /** One flag of a person, for the end-flag page, with whether the caller may end it. */
    async flagOfPerson(context: AuditContext, personId: string, flagId: string) {
      const { person, resource } = await people.accessFacts(personId);
      const flag = await repo.flagById(db, flagId);
      if (!flag || flag.person_id !== personId) throw new NotFoundError('The flag');
      if (!decideFlagView(context.principal, resource).allowed)
        throw new ForbiddenError('person:view', 'the agency may not see this person', {
          type: 'person',
          id: personId,
          personIds: [personId],
          areaId: person.area_id,
        });
      const [view] = await present([flag]);
      return {
        person,
        flag: view!,
        mayEnd: decideFlagEnd(context.principal, { owningAgencyId: flag.owning_agency_id }).allowed,
      };
    },

    /**
     * Every flag of these people, ended ones too, with who raised and ended each: a subject access
     * export's. Not access-checked or audited: data protection checks and audits the export.
     */
    async subjectAccessFlags(personIds: readonly string[], conn: Db | Trx = db) {
      const rows = await repo.flagsOfPeople(conn, personIds);
      const views = new Map((await present(rows, conn)).map((v) => [v.id, v]));
      return rows.map((row) => ({
        ...views.get(row.id)!,
        raisedAt: row.raised_at,
        raisedBy: row.raised_by_name,
        endedAt: row.ended_at,
        endedBy: row.ended_by_name,
      }));
    },

    /**
     * Retention (decision 0012): flags follow the person's record. A flag of a long-retention type
     * keeps the record for the long period; the review lists the flags that go with a record; a
     * confirmed removal removes them in its transaction (their chronology entries go with the
     * person's chronology). Not access-checked or audited: data protection checks and audits.
     */
    retention: {
      /** Which of these people hold, or held, a flag of one of these types (flags are few: read and filtered here). */
      async peopleWithFlagTypes(personIds: readonly string[], flagTypes: readonly string[]) {
        const wanted = new Set(flagTypes);
        const rows = wanted.size ? await repo.flagsOfPeople(db, personIds) : [];
        return new Set(rows.filter((r) => wanted.has(r.type)).map((r) => r.person_id));
      },
      /** Every flag of these people, ended ones too, by person: what a removal would take with each record. */
      async flagsByPerson(personIds: readonly string[]) {
        const byPerson = new Map<string, { label: string; ended: boolean }[]>();
        for (const row of await repo.flagsOfPeople(db, personIds)) {
          const list = byPerson.get(row.person_id) ?? [];
          byPerson.set(row.person_id, list);
          list.push({ label: typeOf(row.type)?.label ?? row.type, ended: row.end_date !== null });
        }
        return byPerson;
      },
      removeFlags: (trx: Trx, personIds: readonly string[]) => repo.removeFlagsOf(trx, personIds),
    },

    /** Current flags of these people (the health lookup and FHIR). Not audited: the caller audits. */
    async currentFlagsOf(personIds: readonly string[], conn: Db | Trx = db) {
      return present(await repo.currentFlagsOf(conn, personIds, today()), conn);
    },

    /** The flag types this principal may raise on this person (the raise page's choices). */
    typesRaisable(context: AuditContext, resource: Resource, personKind: 'child' | 'unborn' | 'adult') {
      return types().filter(
        (t) =>
          t.appliesTo.includes(personKind) &&
          decideFlagRaise(context.principal, resource, t.raisedBy).allowed,
      );
    },
  };
}

export type FlagsService = ReturnType<typeof flagsService>;
