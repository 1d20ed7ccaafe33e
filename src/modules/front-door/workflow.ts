import type { Deps } from '../../platform/deps.ts';
import { contactSteps } from './contact-steps.ts';
import { decisions } from './decisions/decide.ts';
import { signOffs } from './decisions/sign-off.ts';
import type { Integrations } from './integrations.ts';
import { enquiries } from './screening-and-enquiries/enquiries.ts';
import { screening } from './screening-and-enquiries/screening.ts';

/**
 * The MASH workflow on an open contact: screening and assignment, enquiries and responses,
 * decisions and sign-off. Each action is one transaction in its sub-capability's folder.
 */
export function workflow(deps: Deps, integrations: Integrations) {
  const { db } = deps;
  const { directory } = integrations;
  const steps = contactSteps(deps);
  return {
    ...screening(deps, db, steps),
    ...enquiries(deps, db, steps, integrations, directory),
    ...decisions(deps, db, steps, integrations),
    ...signOffs(deps, db, steps, integrations),
  };
}
