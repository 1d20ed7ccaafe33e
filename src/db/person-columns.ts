/**
 * The columns that name a person on a list or a heading: given name, family name and date of
 * birth, of the person table under the alias the query gives it (`person`, `p`). Every list that
 * shows people selects these, in the people module and in the joins decision 0007 lists (which
 * read only such identity columns), so they are named once. Spread into a `select([...])`; the
 * names come back as the columns themselves (`given_name`, ...), and Kysely checks each against
 * the query's tables.
 */
export function personNameColumns<A extends string>(alias: A) {
  return [`${alias}.given_name`, `${alias}.family_name`, `${alias}.date_of_birth`] as const;
}
