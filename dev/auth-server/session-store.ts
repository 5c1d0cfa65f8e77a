import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** A user the stand-in knows. Passwords are demo data; only their hash is kept. */
export interface AuthUserSeed {
  id: string;
  email: string;
  password: string;
  userMetadata?: Record<string, unknown>;
  appMetadata?: Record<string, unknown>;
}

export interface StoredUser {
  id: string;
  email: string;
  passwordHash: Buffer;
  userMetadata: Record<string, unknown>;
  appMetadata: Record<string, unknown>;
  createdAt: Date;
  lastSignInAt: Date | null;
}

export interface AuthSession {
  id: string;
  userId: string;
  createdAt: Date;
  /** The one refresh token that may be exchanged without counting as reuse. */
  currentRefreshToken: string;
  revoked: boolean;
}

interface RefreshTokenRecord {
  sessionId: string;
  /** When this token was exchanged for its successor; null while it is the session's current token. */
  rotatedAt: number | null;
  /** The token this one replaced. */
  parent: string | null;
}

export type RotateResult =
  | { ok: true; session: AuthSession; refreshToken: string }
  | { ok: false; code: "refresh_token_not_found" | "refresh_token_already_used" };

const hashPassword = (password: string) => createHash("sha256").update(password, "utf8").digest();
const newRefreshToken = () => randomBytes(18).toString("base64url");

/**
 * In-memory users, sessions and rotating refresh tokens. Lost on restart by design: the signing key is
 * regenerated on every start too, so nothing issued by an earlier run could verify anyway.
 */
export class SessionStore {
  private readonly usersById = new Map<string, StoredUser>();
  private readonly usersByEmail = new Map<string, StoredUser>();
  private readonly sessions = new Map<string, AuthSession>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(
    seeds: readonly AuthUserSeed[],
    private readonly reuseIntervalMs: number,
    private readonly now: () => number,
  ) {
    for (const seed of seeds) {
      const email = seed.email.trim().toLowerCase();
      if (this.usersByEmail.has(email) || this.usersById.has(seed.id)) {
        throw new Error(`auth server: duplicate user ${seed.email} / ${seed.id}`);
      }
      const user: StoredUser = {
        id: seed.id,
        email,
        passwordHash: hashPassword(seed.password),
        userMetadata: seed.userMetadata ?? {},
        appMetadata: { provider: "email", providers: ["email"], ...seed.appMetadata },
        createdAt: new Date(this.now()),
        lastSignInAt: null,
      };
      this.usersById.set(user.id, user);
      this.usersByEmail.set(email, user);
    }
  }

  userById(id: string): StoredUser | undefined {
    return this.usersById.get(id);
  }

  /** Same answer for an unknown email and a wrong password, compared in constant time either way. */
  checkPassword(email: string, password: string): StoredUser | null {
    const user = this.usersByEmail.get(email.trim().toLowerCase());
    const candidate = hashPassword(password);
    const expected = user?.passwordHash ?? hashPassword(randomUUID());
    return timingSafeEqual(candidate, expected) && user ? user : null;
  }

  createSession(user: StoredUser): { session: AuthSession; refreshToken: string } {
    const refreshToken = newRefreshToken();
    const session: AuthSession = {
      id: randomUUID(),
      userId: user.id,
      createdAt: new Date(this.now()),
      currentRefreshToken: refreshToken,
      revoked: false,
    };
    this.sessions.set(session.id, session);
    this.refreshTokens.set(refreshToken, { sessionId: session.id, rotatedAt: null, parent: null });
    user.lastSignInAt = new Date(this.now());
    return { session, refreshToken };
  }

  activeSession(id: unknown): AuthSession | undefined {
    const session = typeof id === "string" ? this.sessions.get(id) : undefined;
    return session && !session.revoked ? session : undefined;
  }

  /**
   * Exchanges a refresh token for the next one. Like GoTrue, the token rotated just before the current
   * one may be replayed within the reuse interval (parallel requests racing to refresh) and then yields
   * the current token; any other replay is treated as theft and revokes the whole session.
   */
  rotate(refreshToken: string): RotateResult {
    const record = this.refreshTokens.get(refreshToken);
    const session = record && this.activeSession(record.sessionId);
    if (!record || !session) return { ok: false, code: "refresh_token_not_found" };

    if (record.rotatedAt !== null) {
      const isParentOfCurrent = this.refreshTokens.get(session.currentRefreshToken)?.parent === refreshToken;
      if (isParentOfCurrent && this.now() - record.rotatedAt < this.reuseIntervalMs) {
        return { ok: true, session, refreshToken: session.currentRefreshToken };
      }
      this.revokeSession(session.id);
      return { ok: false, code: "refresh_token_already_used" };
    }

    const next = newRefreshToken();
    record.rotatedAt = this.now();
    this.refreshTokens.set(next, { sessionId: session.id, rotatedAt: null, parent: refreshToken });
    session.currentRefreshToken = next;
    return { ok: true, session, refreshToken: next };
  }

  revokeSession(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.revoked = true;
    for (const [token, record] of this.refreshTokens) {
      if (record.sessionId === id) this.refreshTokens.delete(token);
    }
  }

  /** `global`: every session of the user; `others`: all but `sessionId`; `local`: only `sessionId`. */
  revokeForLogout(userId: string, sessionId: string, scope: "global" | "local" | "others"): void {
    for (const session of this.sessions.values()) {
      if (session.userId !== userId || session.revoked) continue;
      const isCurrent = session.id === sessionId;
      if (scope === "global" || (scope === "local" && isCurrent) || (scope === "others" && !isCurrent)) {
        this.revokeSession(session.id);
      }
    }
  }
}
