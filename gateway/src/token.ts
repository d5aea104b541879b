/**
 * Prosody's upload token: an HS256 JWT that http_file_share signs with
 * http_file_share_secret when it issues a slot (claims sub, iat, exp, slot,
 * expires, filename, filesize, filetype). The gateway trusts nothing else about
 * an upload: the token says which file, how big and of what type.
 */
import { errors, jwtVerify } from "jose";
import { z } from "zod";

export interface UploadClaims {
  /** the uploader's bare JID */
  uploader: string;
  slot: string;
  filename: string;
  filesize: number;
  filetype: string;
  /** when the token stops being valid (seconds since the epoch) */
  notAfter: number;
}

/** A refusal, with the status Prosody's own http_file_share gives for the same case. */
export interface Refusal {
  status: number;
  reason: string;
}

export type TokenCheck = { ok: true; claims: UploadClaims } | { ok: false; refusal: Refusal };

const claimsSchema = z.object({
  sub: z.string().min(1),
  exp: z.number().int(),
  slot: z.string().min(1),
  filename: z.string().min(1),
  filesize: z.number().int().nonnegative(),
  // Prosody defaults a slot without a type to application/octet-stream before signing.
  filetype: z.string().min(1).default("application/octet-stream"),
});

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

const refuse = (status: number, reason: string): TokenCheck => ({ ok: false, refusal: { status, reason } });

/** Checks the Authorization header: 401 without a bearer token, 403 for any token Prosody did not sign or that expired. */
export async function verifyUploadToken(
  authorization: string | undefined,
  secret: Uint8Array,
  now: Date = new Date(),
): Promise<TokenCheck> {
  const token = authorization?.match(BEARER)?.[1];
  if (!token) return refuse(401, "missing or malformed Authorization header (expected: Bearer <token>)");
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      currentDate: now,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return refuse(403, "the upload token has expired");
    return refuse(403, "the upload token is not valid for this server");
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return refuse(403, "the upload token lacks slot, filename, filesize or filetype");
  const { sub, exp, slot, filename, filesize, filetype } = claims.data;
  return { ok: true, claims: { uploader: sub, slot, filename, filesize, filetype, notAfter: exp } };
}
