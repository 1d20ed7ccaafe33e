import type { Selectable } from 'kysely';
import { type Db, transaction } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import type { Services } from '../../src/services.ts';
import { rowById } from './rows.ts';

/** A person recorded as `ctx` records one, in a transaction of its own. */
export function insertPerson(
  db: Db,
  people: Services['people'],
  ctx: AuditContext,
  input: NewPerson,
): ReturnType<Services['people']['insertPerson']> {
  return transaction(db, (trx) => people.insertPerson(trx, ctx, input));
}

/** The area a person's record belongs to. */
export async function areaOfPerson(db: Db, personId: string): Promise<string> {
  return (await personRecord(db, personId)).area_id;
}

/** The tables that hold rows about one person, keyed by `person_id`. */
export type PersonTable =
  | 'person_name'
  | 'person_identifier'
  | 'person_address'
  | 'person_contact_detail'
  | 'person_incident_role'
  | 'access_relationship'
  | 'match_review'
  | 'chronology_event'
  | 'contact_person';

/** Every row of `table` about a person, in no particular order. */
export function rowsAboutPerson<Table extends PersonTable>(
  db: Db,
  table: Table,
  personId: string,
): Promise<Selectable<DB[Table]>[]> {
  // Kysely cannot check a `where` on a table named by a type parameter; every table of the union
  // has `person_id`, so the query is written against one of them and its rows typed as `Table`'s.
  return db
    .selectFrom(table as 'person_name')
    .selectAll()
    .where('person_id', '=', personId)
    .execute() as Promise<unknown> as Promise<Selectable<DB[Table]>[]>;
}

/** A person's own row, as it is stored. */
export function personRecord(db: Db, personId: string): Promise<Selectable<DB['person']>> {
  return rowById(db, 'person', personId);
}

/** The facts a file's records of one child (or of one family's children) have in common. */
export type SharedFacts = Omit<NewPerson, 'kind' | 'givenName'>;

/**
 * A child's record as a test writes it: its given name, the facts it shares with the file's
 * other records of the child or family, and its own (which win).
 */
export function childRecord(givenName: string, shared: SharedFacts, own: Partial<NewPerson> = {}): NewPerson {
  return { kind: 'child', givenName, ...shared, ...own };
}

/**
 * The first `limit` seeded children that hold an NHS number, in id order, each record with its
 * address: children a test sends again as another agency would, expecting them to match. Merged
 * records are left out, as they are no longer anyone's record.
 */
export function heldChildrenWithNhs(db: Db, limit: number) {
  return db
    .selectFrom('person')
    .innerJoin('person_address', 'person_address.person_id', 'person.id')
    .selectAll('person')
    .select(['postcode', 'line1'])
    .where('person.kind', '=', 'child')
    .where('nhs_number', 'is not', null)
    .where('merged_into_id', 'is', null)
    .orderBy('person.id')
    .limit(limit)
    .execute();
}
