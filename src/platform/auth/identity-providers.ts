/**
 * The seam for single sign-on. Councils, NHS trusts and police forces each run their own identity
 * provider (Entra ID, NHS CIS2, force ADFS): each becomes an IdentityProvider whose verified identity
 * is mapped to a Harbour account by (provider id, subject) — app_user.identity_provider and
 * external_subject. Roles and agency stay Harbour's decision, never the provider's claims.
 * Only local passwords are implemented today (docs/decisions/0004-sign-in.md).
 */
export interface ExternalIdentity {
  provider: string;
  subject: string;
  email?: string;
}

export interface IdentityProvider {
  readonly id: string;
  readonly label: string;
  /** Where to send the browser to start signing in (OIDC authorisation request). */
  authorisationUrl(state: string, nonce: string): Promise<string>;
  /** Exchanges the callback parameters for a verified identity, or null when verification fails. */
  completeSignIn(
    callbackParams: Record<string, string>,
    state: string,
    nonce: string,
  ): Promise<ExternalIdentity | null>;
}

export const LOCAL_PROVIDER_ID = 'local';
