// Values that must not be written into ferry.yaml (it goes to git): a credential taken from the
// shell, a .env file, --var or an env_file. They become secret references instead, and the
// report says which Secret to create. Values written in the compose file itself were in git
// already and are kept as they are.

const CREDENTIAL =
  /PASS(WORD|WD)?|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|(^|_)KEY$|PRIVATE|CREDENTIAL|AUTH|SALT|DSN/i;

/** A variable name that names a credential (DB_PASSWORD, STRIPE_API_KEY, AUTH_TOKEN …). */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL.test(name);
}

/** A value that holds a password: a URL with user:password@. */
export function hasUrlPassword(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value);
}

/** The Secret an imported service's credentials go to. */
export function credentialSecret(service: string): string {
  return `${service}-env`;
}
