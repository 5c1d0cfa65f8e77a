import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type JWTPayload } from "jose";

/** The public half as the JWKS endpoint serves it; `ext` must stay absent (getClaims throws on `ext: false`). */
export interface PublicSigningJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: "ES256";
  use: "sig";
  key_ops: ["verify"];
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicSigningJwk;
}

/** A fresh ES256 key pair with a random kid, so tokens from an earlier run (or another server) never verify. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const exported = await exportJWK(publicKey);
  if (exported.kty !== "EC" || exported.crv !== "P-256" || !exported.x || !exported.y) {
    throw new Error("auth server: generated key is not a P-256 EC key");
  }
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { kty: "EC", crv: "P-256", x: exported.x, y: exported.y, kid, alg: "ES256", use: "sig", key_ops: ["verify"] },
  };
}

export async function signAccessToken(
  key: SigningKey,
  claims: JWTPayload & { sub: string; exp: number; iat: number; iss: string },
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" }).sign(key.privateKey);
}

/** Throws unless the token carries our signature, issuer and audience and has not expired. */
export async function verifyAccessToken(key: SigningKey, token: string, issuer: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key.publicKey, {
    algorithms: ["ES256"],
    issuer,
    audience: "authenticated",
  });
  return payload;
}
