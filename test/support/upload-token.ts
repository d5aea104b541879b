/**
 * Upload tokens signed the way Prosody's util.jwt signs them (HS256, header
 * {"alg":"HS256","typ":"JWT"}, base64url without padding), written here with
 * node:crypto so the gateway's verifier is checked against an independent signer.
 */
import { createHmac } from "node:crypto";

export interface TokenClaims {
  sub?: string;
  iat?: number;
  exp?: number;
  slot?: string;
  expires?: number;
  filename?: string;
  filesize?: number;
  filetype?: string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signUploadToken(
  secret: string,
  claims: TokenClaims,
  header: object = { alg: "HS256", typ: "JWT" },
): string {
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createHmac("sha256", secret).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}

/** The claims Prosody 13's get_authz puts in a token issued now (default_ttl 600). */
export function slotClaims(
  slot: string,
  filename: string,
  filesize: number,
  filetype = "application/octet-stream",
): TokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: "alice@localhost",
    iat: now,
    exp: now + 600,
    slot,
    expires: now + 7 * 86400,
    filename,
    filesize,
    filetype,
  };
}
