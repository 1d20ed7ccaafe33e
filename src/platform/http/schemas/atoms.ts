import Type, { type TProperties, type TSchema, type TSchemaOptions, type TUnsafe } from 'typebox';

/**
 * The small shapes every module's schemas are built from, defined once. A module's request and
 * response shapes are TypeBox schemas in its own schemas file; its types are `Static<typeof …>`.
 */

export const Uuid = (description?: string) =>
  Type.String({ format: 'uuid', ...(description ? { description } : {}) });

/**
 * A listing's page number. Bounded, because a page past any real listing (?page=99999999999999999999)
 * would otherwise reach the database as an offset it cannot hold.
 */
export const PageNumber = () => Type.Integer({ minimum: 1, maximum: 10_000, default: 1 });

/** The counts a paged list's answer carries beside its rows (`pageCounts`). */
export const PageCountsProperties = { total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() };

/** A listing page's query: which page. */
export const PageQuery = Type.Object({ page: PageNumber() });

/** The `:id` of a path. */
export const Id = Type.Object({ id: Uuid() });

export const IsoDate = (description = 'YYYY-MM-DD') => Type.String({ format: 'date', description });
export const IsoDateTime = () => Type.String({ format: 'date-time' });

export const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

/** A value an answer gives as null when there is none (a review date not set, a question not answered). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const NullableString = () => Nullable(Type.String());

/**
 * A page form's text box: what was typed, '' when the box was left out, so a handler re-shows the
 * form with exactly what came back.
 */
export const FormField = (maxLength: number) => Type.String({ maxLength, default: '' });

/** A page form's fields, and the CSRF token every form posts beside them. */
export const PostedForm = <P extends TProperties>(fields: P) =>
  Type.Object({ ...fields, _csrf: Type.Optional(Type.String()) });

/** The keys of a value list (code → label), typed as its codes. */
export const codesOf = <K extends string>(values: Readonly<Record<K, unknown>>) => Object.keys(values) as K[];

/**
 * One of a value list's codes. The schema is a union of literals (so a refusal names the field
 * as it always has); the type is the codes' union, so a handler needs no cast.
 */
export function oneOf<K extends string>(
  values: readonly K[] | Readonly<Record<K, unknown>>,
  options?: TSchemaOptions,
): TUnsafe<K> {
  const codes: readonly K[] = Array.isArray(values)
    ? values
    : codesOf(values as Readonly<Record<K, unknown>>);
  return Type.Unsafe<K>(
    Type.Union(
      codes.map((code) => Type.Literal(code)),
      options,
    ),
  );
}

/** An RFC 9457 problem response (the `Problem` schema is registered once by the app). */
export const Problem = { $ref: 'Problem#' } as const;

/** The problem responses a route can give, by status code. */
export function problems<const C extends number>(...codes: C[]): Record<C, typeof Problem> {
  return Object.fromEntries(codes.map((code) => [code, Problem])) as Record<C, typeof Problem>;
}

/** A guard for one of a list's codes, for values that arrive as plain strings. */
export const isOneOf =
  <K extends string>(values: readonly K[]) =>
  (value: string): value is K =>
    values.some((v) => v === value);
