/**
 * The seam for single sign-on (decisions 0004 and 0011). Councils, NHS trusts and police forces each
 * run their own identity provider (Entra ID, NHS CIS2, force ADFS): each becomes an IdentityProvider
 * whose verified identity is mapped to a Harbour account by (provider id, subject) —
 * app_user.identity_provider and external_subject. Agency and roles come from Harbour's mapping of
 * the provider's claims (partnership settings) or from an administrator.
 */
export interface ExternalIdentity {
  provider: string;
  subject: string;
  claims: Readonly<Record<string, unknown>>;
  /** Kept for RP-initiated sign-out (id_token_hint). */
  idToken: string;
  /** The ID token's `amr` showed more than one factor. */
  usedMfa: boolean;
}

/** What must survive the round trip to the provider: kept in the session, used once. */
export interface SignInTransaction {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A sign-in the provider or Harbour would not accept; `reason` goes to the audit log. */
export class ExternalSignInRefused extends Error {
  readonly reason: string;
  /** What the person is told, when it is safe and useful to say more than "could not sign you in". */
  readonly userMessage: string | undefined;
  constructor(reason: string, userMessage?: string) {
    super(reason);
    this.name = 'ExternalSignInRefused';
    this.reason = reason;
    this.userMessage = userMessage;
  }
}

export interface IdentityProvider {
  readonly id: string;
  readonly label: string;
  /** Where to send the browser (authorisation code request with PKCE, state and nonce). */
  begin(): Promise<{ url: string; transaction: SignInTransaction }>;
  /** Verifies the callback against the transaction; throws ExternalSignInRefused. */
  complete(callbackUrl: URL, transaction: SignInTransaction): Promise<ExternalIdentity>;
  /** The provider's end-session URL, or null where it does not support RP-initiated logout. */
  signOutUrl(idToken: string, returnTo: string): Promise<string | null>;
}

export const LOCAL_PROVIDER_ID = 'local';
