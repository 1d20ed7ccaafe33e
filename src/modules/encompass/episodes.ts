import { transaction } from '../../db/database.ts';
import type { NoticeAddressee } from '../../domain/encompass.ts';
import { decideInArea, ForbiddenError } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { type EncompassKernel, personSubject } from './kernel.ts';
import type { noticesPart } from './notices.ts';
import { type EpisodeInput, TEXT_MAX, trimmed } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function episodeErrors(input: EpisodeInput, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (!trimmed(input.policeReference))
    errors.push({ field: 'policeReference', message: 'Enter the police reference' });
  else if (input.policeReference.length > 40)
    errors.push({ field: 'policeReference', message: 'The police reference must be 40 characters or fewer' });
  const occurredAt = new Date(input.occurredAt);
  if (!input.occurredAt || Number.isNaN(occurredAt.getTime()))
    errors.push({ field: 'occurredAt', message: 'Enter when the episode began' });
  else if (occurredAt.getTime() > now.getTime())
    errors.push({ field: 'occurredAt', message: 'When the episode began must be in the past' });
  if (!trimmed(input.place)) errors.push({ field: 'place', message: 'Enter where the episode happened' });
  if (!trimmed(input.summary)) errors.push({ field: 'summary', message: 'Enter a child-focused summary' });
  else if (input.summary.length > TEXT_MAX)
    errors.push({ field: 'summary', message: `The summary must be ${TEXT_MAX} characters or fewer` });
  if (!['custody', 'missing'].includes(input.kind))
    errors.push({ field: 'kind', message: 'Select custody or missing' });
  return errors;
}

/**
 * Custody and missing episodes recorded by police, shared with the child's school by the same
 * channel and deadline as a notice (F29), and the children an officer may choose from.
 */
export function episodesPart(
  kernel: EncompassKernel,
  notices: Pick<ReturnType<typeof noticesPart>, 'insertOne'>,
) {
  const { deps, db, people, chronology } = kernel;
  return {
    /**
     * The children an officer may share an episode about, by name and date of birth: a search
     * scoped by the policy's encompass:share (the force's areas), audited as every search is.
     */
    async episodeCandidates(
      context: AuditContext,
      query: { name?: string; dateOfBirth?: string; page: number; pageSize: number },
    ) {
      return people.search(context, { ...query, kind: 'child' }, 'encompass:share');
    },

    /**
     * The child chosen on the picker, if the officer may share an episode about them (null
     * otherwise, saying no more); showing the child's name is a read, so it is audited.
     */
    async episodeChild(context: AuditContext, personId: string) {
      if (!UUID.test(personId)) return null;
      const [person] = await people.peopleByIds([personId]);
      if (!person || !decideInArea(context.principal, 'encompass:share', person.area_id).allowed) return null;
      const { type: subjectType, id: subjectId, ...about } = personSubject(person);
      await recordAudit(db, context, { action: 'encompass.episode-child', subjectType, subjectId, ...about });
      return {
        id: person.id,
        name: `${person.given_name ?? ''} ${person.family_name ?? ''}`.trim() || 'Name not known',
        dateOfBirth: person.date_of_birth,
      };
    },

    /**
     * A custody or missing episode recorded by police, shared with the child's school by the same
     * channel (F29): on the child's chronology, shared with the school by name, and a notice.
     */
    async shareEpisode(context: AuditContext, input: EpisodeInput) {
      const errors = episodeErrors(input, deps.now());
      const [person] = await people.peopleByIds([input.personId]);
      if (!person) throw new NotFoundError('The person');
      const decision = decideInArea(context.principal, 'encompass:share', person.area_id);
      if (!decision.allowed)
        throw new ForbiddenError('encompass:share', decision.reason, personSubject(person));
      if (errors.length > 0) throw new ValidationError(errors);
      const occurredAt = new Date(input.occurredAt);
      return transaction(db, async (trx) => {
        const held = (await people.accessResources([person.id], trx)).get(person.id);
        const onRoll = kernel.schoolsOnRoll(held?.relationships);
        const addressee: NoticeAddressee = onRoll[0]
          ? { kind: 'school', schoolAgencyId: onRoll[0], source: 'record' }
          : { kind: 'local-authority', reason: 'no-school' };
        const label = input.kind === 'custody' ? 'held in police custody' : 'reported missing';
        const notice = await notices.insertOne(trx, context, {
          kind: input.kind,
          areaId: person.area_id,
          contactId: null,
          personId: person.id,
          addressee,
          policeReference: input.policeReference.trim(),
          occurredAt,
          calendar: await kernel.calendarOf(person.area_id, trx),
          content: {
            childName: `${person.given_name ?? ''} ${person.family_name ?? ''}`.trim(),
            dateOfBirth: person.date_of_birth,
            policeReference: input.policeReference.trim(),
            occurredAt: occurredAt.toISOString(),
            place: input.place.trim(),
            present: null,
            witnessed: null,
            childSaid: null,
            summary: `The child was ${label}. ${input.summary.trim()} Do not approach the parents about this notice.`,
            doNotApproachParents: true,
          },
        });
        await chronology.record(trx, context, [
          {
            personId: person.id,
            areaId: person.area_id,
            type: input.kind === 'custody' ? 'custody-episode' : 'other',
            occurredAt,
            significance: 'medium',
            summary: `${input.kind === 'custody' ? 'Held in police custody' : 'Missing episode'} (${input.policeReference.trim()}); shared with ${addressee.kind === 'school' ? 'the school' : 'the local authority'} by Operation Encompass.`,
            data: input.kind === 'custody' ? { schoolInformed: addressee.kind === 'school' } : {},
            subjectType: 'encompass-notice',
            subjectId: notice.id,
            sharedWithAgencyIds: [notice.addresseeAgencyId],
          },
        ]);
        return { id: notice.id, schoolAgencyId: notice.schoolAgencyId, dueBy: notice.dueBy.toISOString() };
      });
    },
  };
}
