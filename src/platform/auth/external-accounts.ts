import { transaction } from '../../db/database.ts';
import type { Subject } from '../access.ts';
import type { AuditContext } from '../audit.ts';
import { auditOnSubject } from '../audit-subject.ts';
import type { Deps } from '../deps.ts';
import { SYSTEM_PRINCIPAL } from '../principal.ts';
import type { Role } from '../roles.ts';
import { type ExternalIdentity, ExternalSignInRefused } from './identity-providers.ts';
import { mfaRequiredFor } from './mfa.ts';
import type { ProviderSettings } from './settings.ts';

export interface ExternalAccount {
  userId: string;
  name: string;
  provisioned: boolean;
}

function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The Harbour roles the provider's role claim maps to (partnership settings); unmapped values grant nothing. */
export function mappedRoles(settings: ProviderSettings, claims: Readonly<Record<string, unknown>>): Role[] {
  if (!settings.roleClaim) return [];
  const roles = claimValues(claims[settings.roleClaim])
    .map((value) => settings.roles[value])
    .filter((role): role is Role => role !== undefined);
  return [...new Set(roles)];
}

/**
 * Matches a verified identity to an account, or provisions one: first by (provider, subject); then a
 * local account with the same verified email in the same agency is linked; otherwise a new account is
 * created in the agency the claim names. Roles follow the provider's role claim when the partnership
 * maps one, and are otherwise an administrator's to assign. Throws ExternalSignInRefused.
 */
export async function resolveExternalAccount(
  deps: Deps,
  settings: ProviderSettings,
  identity: ExternalIdentity,
  requestId: string,
): Promise<ExternalAccount> {
  const { claims } = identity;
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) throw new ExternalSignInRefused('the ID token has no email claim');
  if (claims.email_verified === false)
    throw new ExternalSignInRefused('the provider has not verified the email');
  const domain = email.split('@')[1] ?? '';
  if (!settings.allowedEmailDomains.some((allowed) => allowed.toLowerCase() === domain))
    throw new ExternalSignInRefused(`email domain ${domain} is not allowed for provider ${settings.id}`);
  const agencyValue = claimValues(claims[settings.agencyClaim])[0];
  if (!agencyValue) throw new ExternalSignInRefused(`the ID token has no ${settings.agencyClaim} claim`);
  const agencyCode = settings.agencies[agencyValue] ?? agencyValue;
  const agency = await deps.db
    .selectFrom('agency')
    .select(['id', 'code'])
    .where('code', '=', agencyCode)
    .executeTakeFirst();
  if (!agency) throw new ExternalSignInRefused(`unknown agency claim "${agencyValue}"`);
  const claimRoles = mappedRoles(settings, claims);
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;

  // Linking and provisioning happen before anyone is signed in, so the system audits them.
  const signIn: AuditContext = { principal: { ...SYSTEM_PRINCIPAL, channel: 'web' }, requestId };
  const userSubject = (id: string): Subject => ({ type: 'user', id });
  const account = await transaction(deps.db, async (trx) => {
    const bySubject = await trx
      .selectFrom('app_user')
      .select(['id', 'display_name', 'agency_id', 'roles', 'disabled_at', 'is_system'])
      .where('identity_provider', '=', identity.provider)
      .where('external_subject', '=', identity.subject)
      .executeTakeFirst();
    const byEmail = bySubject
      ? undefined
      : await trx
          .selectFrom('app_user')
          .select([
            'id',
            'display_name',
            'agency_id',
            'roles',
            'disabled_at',
            'is_system',
            'identity_provider',
          ])
          .where('email', '=', email)
          .executeTakeFirst();
    const existing = bySubject ?? byEmail;
    if (existing) {
      if (existing.is_system) throw new ExternalSignInRefused('the email belongs to a system account');
      if (existing.disabled_at) throw new ExternalSignInRefused('account disabled');
      if (existing.agency_id !== agency.id)
        throw new ExternalSignInRefused(`the account belongs to another agency than "${agencyValue}"`);
      if (byEmail && byEmail.identity_provider !== 'local')
        throw new ExternalSignInRefused('the email is linked to another identity provider');
      const roles = settings.roleClaim ? claimRoles : (existing.roles as Role[]);
      await trx
        .updateTable('app_user')
        .set({
          identity_provider: identity.provider,
          external_subject: identity.subject,
          ...(settings.roleClaim ? { roles } : {}),
        })
        .where('id', '=', existing.id)
        .execute();
      if (byEmail) {
        await auditOnSubject(trx, signIn, 'user.link-provider', userSubject(existing.id), {
          details: { provider: identity.provider, email },
        });
      }
      return { userId: existing.id, name: existing.display_name, roles, provisioned: false };
    }
    const created = await trx
      .insertInto('app_user')
      .values({
        email,
        display_name: name,
        agency_id: agency.id,
        roles: claimRoles,
        password_hash: null,
        identity_provider: identity.provider,
        external_subject: identity.subject,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditOnSubject(trx, signIn, 'user.provision', userSubject(created.id), {
      details: { provider: identity.provider, email, agency: agency.code, roles: claimRoles },
    });
    return { userId: created.id, name, roles: claimRoles, provisioned: true };
  });

  if (account.roles.length === 0)
    throw new ExternalSignInRefused(
      'no role yet: an administrator must assign one',
      'Your account is set up, but an administrator must give you a role before you can use Harbour.',
    );
  if (mfaRequiredFor(deps.config, account.roles) && !identity.usedMfa)
    throw new ExternalSignInRefused(
      'the provider did not report a second factor (amr) for a role that needs one',
      'Your organisation’s sign-in did not confirm a second factor, which your role needs. Ask your IT service desk.',
    );
  return { userId: account.userId, name: account.name, provisioned: account.provisioned };
}
