/** A person's recorded sex, as the people index and every form that names a person hold it. */
export const SEXES = ['male', 'female', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
