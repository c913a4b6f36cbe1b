// Who is signed in: the token (from the development sign-in, or pasted from the operator's identity provider),
// kept for this browser tab only. The claims are read for display; the gateway alone verifies them.

export interface Session {
  token: string;
  agency: string;
  roles: string[];
  expiresAt: Date | null;
}

const KEY = 'hub.session.token';
/** Set when a session ended by expiring in this tab: the sign-in page says so once. */
const EXPIRED_KEY = 'hub.session.expired';

function claimsOf(token: string): { agency?: unknown; roles?: unknown; exp?: unknown } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * The token itself, as pasted: without the white space around it, and without the `Bearer ` of an
 * Authorization header copied whole (the explorer takes it so too).
 */
const bareToken = (pasted: string) => pasted.trim().replace(/^Bearer\s+/i, '');

export function sessionOf(pasted: string): Session | null {
  const token = bareToken(pasted);
  const claims = claimsOf(token);
  if (!claims || typeof claims.agency !== 'string') return null;
  return {
    token,
    agency: claims.agency,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [],
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
  };
}

export function currentSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? sessionOf(token) : null;
  if (session?.expiresAt && session.expiresAt.getTime() <= Date.now()) {
    expireSession();
    return null;
  }
  return session;
}

/** Ends the session because it expired (the hub said so, or the clock did): the sign-in page says why. */
export function expireSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.setItem(EXPIRED_KEY, '1');
}

/** Whether the session of this tab ended by expiring and the sign-in page has not said so yet. */
export function sessionExpired(): boolean {
  return sessionStorage.getItem(EXPIRED_KEY) !== null;
}

/** Whether the last session of this tab ended by expiring (told once: reading it clears it). */
export function takeExpiredNotice(): boolean {
  const expired = sessionStorage.getItem(EXPIRED_KEY) !== null;
  sessionStorage.removeItem(EXPIRED_KEY);
  return expired;
}

/** Why a token was not taken: it cannot be read as one, or it has expired. */
export type SignInRefusal = 'UNREADABLE' | 'EXPIRED';

/** The token as a session, or why it cannot be one: what the page can tell without the hub. */
export function readToken(token: string): Session | SignInRefusal {
  const session = sessionOf(token);
  if (!session) return 'UNREADABLE';
  if (session.expiresAt && session.expiresAt.getTime() <= Date.now()) return 'EXPIRED';
  return session;
}

export function signIn(token: string): Session | SignInRefusal {
  const session = readToken(token);
  if (typeof session === 'string') return session;
  sessionStorage.setItem(KEY, session.token);
  sessionStorage.removeItem(EXPIRED_KEY);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(EXPIRED_KEY);
}
