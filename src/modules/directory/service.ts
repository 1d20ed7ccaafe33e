import { type Db, type Trx, transaction } from '../../db/database.ts';
import { EARLY_HELP_LEAD_AGENCY_KINDS } from '../../domain/agency-kinds.ts';
import type { Subject } from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { auditOnSubject } from '../../platform/audit-subject.ts';
import { generateApiKey, hashApiKey, looksLikeApiKey } from '../../platform/auth/api-keys.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { EARLY_HELP_LEAD_ROLES, isAgencyKind, isRole, type Role } from '../../platform/roles.ts';
import * as repo from './repository.ts';

// The agency kinds (a domain value list) as the directory offers them to other modules.
export {
  AGENCY_KINDS,
  type AgencyKind,
  EARLY_HELP_LEAD_AGENCY_KINDS,
  isAgencyKind,
} from '../../domain/agency-kinds.ts';

export interface NewUser {
  email: string;
  displayName: string;
  agencyCode: string;
  roles: string[];
  password: string;
  teamCode?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The audit subjects of the directory's records: an account, and an API key. */
const userSubject = (id: string): Subject => ({ type: 'user', id });
const apiKeySubject = (id: string): Subject => ({ type: 'api-key', id });

export function directoryService(deps: Deps) {
  const { db } = deps;

  async function principalForUser(
    userId: string,
    channel: Principal['channel'] = 'web',
  ): Promise<Principal | null> {
    const facts = await repo.principalFacts(db, userId);
    if (!facts || facts.disabled_at) return null;
    return {
      userId: facts.id,
      name: facts.display_name,
      agencyId: facts.agency_id,
      agencyCode: facts.agency_code,
      agencyName: facts.agency_name,
      agencyKind: isAgencyKind(facts.agency_kind) ? facts.agency_kind : null,
      areaIds: facts.area_ids,
      roles: facts.roles.filter(isRole),
      channel,
    };
  }

  return {
    principalForUser,

    listAreas: () => repo.listAreas(db),
    listAgencies: () => repo.listAgencies(db),
    findAgencyByCode: (code: string) => repo.findAgencyByCode(db, code),
    findUserByEmail: (email: string) => repo.findUserByEmail(db, email.trim().toLowerCase()),
    listUsers: (query: repo.UserListQuery) => repo.listUsers(db, query),
    listApiKeys: () => repo.listApiKeys(db),

    // Sign-in (platform/auth/sign-in.ts and the sign-in pages) reads and stamps accounts here.
    accountForSignIn: (email: string) => repo.accountForSignIn(db, email),
    recordSignIn: (userId: string, at: Date) => repo.recordSignIn(db, userId, at),
    enabledAccount: (userId: string) => repo.enabledAccount(db, userId),

    // Reads for other modules, which use the directory through this service and never its tables.
    // `conn` lets a caller read inside its transaction.
    agencyChoices: () => repo.agencyChoices(db),
    agenciesByCode: (codes: readonly string[], conn: Db | Trx = db) => repo.agenciesByCode(conn, codes),
    agenciesInArea: (areaId: string, conn: Db | Trx = db) => repo.agenciesInArea(conn, areaId),
    areaForPostcodeDistrict: (district: string, conn: Db | Trx = db) =>
      repo.areaForPostcodeDistrict(conn, district),
    areasForPostcodeDistricts: (districts: readonly string[], conn: Db | Trx = db) =>
      repo.areasForPostcodeDistricts(conn, districts),
    findAreaByCode: (code: string) => repo.findAreaByCode(db, code),
    areasByIds: (ids: readonly string[]) => repo.areasByIds(db, ids),
    areaPostcodeDistricts: (areaId: string, conn: Db | Trx = db) => repo.areaPostcodeDistricts(conn, areaId),
    agenciesByIds: (ids: readonly string[], conn: Db | Trx = db) => repo.agenciesByIds(conn, ids),
    areaCode: async (areaId: string, conn: Db | Trx = db) =>
      (await repo.areaCode(conn, areaId))?.code ?? null,
    userNames: (ids: readonly string[], conn: Db | Trx = db) => repo.userNames(conn, ids),
    usersWithRole: (agencyIds: readonly string[], role: string | readonly string[], conn: Db | Trx = db) =>
      repo.usersWithRole(conn, agencyIds, role),
    agencyIdsServingArea: (areaId: string, kind: string, conn: Db | Trx = db) =>
      repo.agencyIdsServingArea(conn, areaId, kind),
    areaIdsOfAgency: (agencyId: string, conn: Db | Trx = db) => repo.areaIdsOfAgency(conn, agencyId),
    userContacts: (ids: readonly string[], conn: Db | Trx = db) => repo.userContacts(conn, ids),
    /** Operation Encompass: a school agency created or renamed by URN import, in the caller's transaction. */
    upsertSchoolAgency: (trx: Trx, school: { code: string; name: string; areaId: string }) =>
      repo.upsertSchoolAgency(trx, school),
    usersOfAgency: (agencyId: string, conn: Db | Trx = db) => repo.usersOfAgency(conn, agencyId),
    /**
     * The people and teams who may lead early help in an area, each as one choice: its value
     * ("user:…" or "team:…"), what the select shows, and the agency it belongs to.
     */
    async earlyHelpLeadChoices(areaId: string, conn: Db | Trx = db) {
      const { teams, users } = await repo.earlyHelpLeads(
        conn,
        areaId,
        EARLY_HELP_LEAD_AGENCY_KINDS,
        EARLY_HELP_LEAD_ROLES,
      );
      return [
        ...teams.map((t) => ({
          value: `team:${t.id}`,
          kind: 'team' as const,
          id: t.id,
          name: t.name,
          text: `${t.name} (team), ${t.agency_name}`,
          agencyId: t.agency_id,
        })),
        ...users.map((u) => ({
          value: `user:${u.id}`,
          kind: 'user' as const,
          id: u.id,
          name: u.name,
          text: `${u.name}, ${u.agency_name}`,
          agencyId: u.agency_id,
        })),
      ];
    },

    async createUser(context: AuditContext, input: NewUser) {
      const errors: FieldError[] = [];
      const email = input.email.trim().toLowerCase();
      if (!EMAIL.test(email))
        errors.push({
          field: 'email',
          message: 'Enter an email address in the correct format, like name@example.org',
        });
      if (!input.displayName.trim())
        errors.push({ field: 'displayName', message: 'Enter the person’s full name' });
      const roles = input.roles.filter((r) => r.trim() !== '');
      if (roles.length === 0) errors.push({ field: 'roles', message: 'Select at least one role' });
      const unknown = roles.filter((r) => !isRole(r) || r === 'partner_system');
      if (unknown.length > 0) errors.push({ field: 'roles', message: `Unknown role: ${unknown.join(', ')}` });
      const problem = await passwordProblem(input.password, deps.config.partnership.signIn.passwords, [
        email,
        input.displayName,
      ]);
      if (problem) errors.push({ field: 'password', message: problem });
      const agency = await repo.findAgencyByCode(db, input.agencyCode.trim());
      if (!agency)
        errors.push({
          field: 'agencyCode',
          message: `There is no agency with the code "${input.agencyCode}"`,
        });
      if (email && (await repo.findUserByEmail(db, email))) {
        errors.push({ field: 'email', message: 'A user with this email address already exists' });
      }
      let teamId: string | null = null;
      if (input.teamCode) {
        const team = await db
          .selectFrom('team')
          .select(['id', 'agency_id'])
          .where('code', '=', input.teamCode)
          .executeTakeFirst();
        if (!team || team.agency_id !== agency?.id)
          errors.push({ field: 'teamCode', message: 'Choose a team in the same agency' });
        else teamId = team.id;
      }
      if (errors.length > 0 || !agency) throw new ValidationError(errors);
      const passwordHash = await hashPassword(input.password);
      return transaction(db, async (trx) => {
        const user = await trx
          .insertInto('app_user')
          .values({
            email,
            display_name: input.displayName.trim(),
            agency_id: agency.id,
            team_id: teamId,
            roles: roles as Role[],
            password_hash: passwordHash,
          })
          .returning(['id', 'email', 'display_name'])
          .executeTakeFirstOrThrow();
        await auditOnSubject(trx, context, 'user.create', userSubject(user.id), {
          details: { email, agency: agency.code, roles },
        });
        return user;
      });
    },

    async setUserDisabled(context: AuditContext, userId: string, disabled: boolean) {
      return transaction(db, async (trx) => {
        const updated = await trx
          .updateTable('app_user')
          .set({ disabled_at: disabled ? deps.now() : null, failed_sign_ins: 0, locked_until: null })
          .where('id', '=', userId)
          .where('is_system', '=', false)
          .returning('id')
          .executeTakeFirst();
        if (!updated) throw new NotFoundError('The user');
        await auditOnSubject(trx, context, disabled ? 'user.disable' : 'user.enable', userSubject(userId));
        await trx.deleteFrom('http_session').where('user_id', '=', userId).execute();
      });
    },

    /** Creates a key for an agency's system user; the key itself is returned once and never stored. */
    async createApiKey(context: AuditContext, agencyCode: string, label: string) {
      const errors: FieldError[] = [];
      if (!label.trim())
        errors.push({ field: 'label', message: 'Enter a label that says which system will use the key' });
      if (label.length > 120)
        errors.push({ field: 'label', message: 'Label must be 120 characters or fewer' });
      const agency = await repo.findAgencyByCode(db, agencyCode.trim());
      if (!agency)
        errors.push({ field: 'agencyCode', message: `There is no agency with the code "${agencyCode}"` });
      if (errors.length > 0 || !agency) throw new ValidationError(errors);
      const generated = generateApiKey();
      const record = await transaction(db, async (trx) => {
        const systemEmail = `system+${agency.code}@harbour.invalid`;
        let systemUser = await trx
          .selectFrom('app_user')
          .select('id')
          .where('email', '=', systemEmail)
          .executeTakeFirst();
        systemUser ??= await trx
          .insertInto('app_user')
          .values({
            email: systemEmail,
            display_name: `${agency.name} (system)`,
            agency_id: agency.id,
            team_id: null,
            roles: ['partner_system'],
            password_hash: null,
            is_system: true,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const key = await trx
          .insertInto('api_key')
          .values({
            agency_id: agency.id,
            system_user_id: systemUser.id,
            label: label.trim(),
            key_prefix: generated.prefix,
            key_hash: generated.hash,
            created_by: context.principal.name,
          })
          .returning(['id', 'key_prefix', 'label'])
          .executeTakeFirstOrThrow();
        await auditOnSubject(trx, context, 'api-key.create', apiKeySubject(key.id), {
          details: { agency: agency.code, label: key.label, prefix: key.key_prefix },
        });
        return key;
      });
      return { ...record, key: generated.key, agencyCode: agency.code };
    },

    async revokeApiKey(context: AuditContext, keyId: string) {
      return transaction(db, async (trx) => {
        const revoked = await trx
          .updateTable('api_key')
          .set({ revoked_at: deps.now(), revoked_by: context.principal.name })
          .where('id', '=', keyId)
          .where('revoked_at', 'is', null)
          .returning(['id', 'label'])
          .executeTakeFirst();
        if (!revoked) throw new NotFoundError('An active API key with that id');
        await auditOnSubject(trx, context, 'api-key.revoke', apiKeySubject(keyId), {
          details: { label: revoked.label },
        });
        return revoked;
      });
    },

    /** The principal behind a bearer key, or null for an unknown or revoked key. */
    async principalForApiKey(key: string): Promise<Principal | null> {
      if (!looksLikeApiKey(key)) return null;
      const found = await repo.findActiveApiKeyByHash(db, hashApiKey(key));
      if (!found) return null;
      // At most one write a minute per key, so heavy API use does not write on every request: the
      // key row just read says whether a stamp is due, so most requests send no update at all; the
      // update's own condition keeps concurrent requests to one write.
      const now = deps.now();
      const stampBefore = new Date(now.getTime() - 60_000);
      if (found.last_used_at === null || found.last_used_at < stampBefore) {
        await db
          .updateTable('api_key')
          .set({ last_used_at: now })
          .where('id', '=', found.id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', stampBefore)]))
          .execute();
      }
      const principal = await principalForUser(found.system_user_id, 'api');
      return principal ? { ...principal, name: `${principal.name}: ${found.label}` } : null;
    },
  };
}

export type DirectoryService = ReturnType<typeof directoryService>;
