import type { NewPerson } from '../../people/service.ts';
import type { AddressInput, ChildInput, PersonDetailsInput } from '../types.ts';

const trimmed = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function address(a: AddressInput) {
  return {
    line1: a.line1.trim(),
    ...(trimmed(a.line2) ? { line2: trimmed(a.line2)! } : {}),
    ...(trimmed(a.town) ? { town: trimmed(a.town)! } : {}),
    postcode: a.postcode,
  };
}

/** The people module's shape for a person named in a contact or DAN. */
export function newPersonFrom(
  kind: NewPerson['kind'],
  input: PersonDetailsInput & Partial<Pick<ChildInput, 'upn' | 'expectedDate'>>,
  options: { fallbackAddress?: AddressInput | undefined } = {},
): NewPerson {
  const home = input.address ?? options.fallbackAddress;
  const identifiers: NonNullable<NewPerson['identifiers']> = [];
  if (trimmed(input.nhsNumber)) identifiers.push({ scheme: 'nhs', value: input.nhsNumber!.trim() });
  if (trimmed(input.upn)) identifiers.push({ scheme: 'upn', value: input.upn!.trim() });
  return {
    kind,
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    ...(kind !== 'unborn' && trimmed(input.dateOfBirth) ? { dateOfBirth: input.dateOfBirth!.trim() } : {}),
    ...(kind === 'unborn' && trimmed(input.expectedDate) ? { expectedDate: input.expectedDate!.trim() } : {}),
    ...(input.sex ? { sex: input.sex } : {}),
    ...(identifiers.length ? { identifiers } : {}),
    ...(home ? { addresses: [address(home)] } : {}),
  };
}
