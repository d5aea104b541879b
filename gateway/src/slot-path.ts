/**
 * The only paths the gateway serves: /<slot>/<filename>, as Prosody's get_url
 * builds them (the base URL's path, the slot id, the percent-encoded file name).
 * Anything else is refused before a token is even read.
 */
import type { Refusal } from "./token";

export interface SlotPath {
  slot: string;
  filename: string;
  /** the object's key in the bucket */
  key: string;
}

/** Prosody's slot ids come from util.id: base64url characters only. */
const SLOT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_FILENAME_BYTES = 255;

export type PathCheck = { ok: true; path: SlotPath } | { ok: false; refusal: Refusal };

const refuse = (reason: string): PathCheck => ({ ok: false, refusal: { status: 400, reason } });

/** Reads the raw request target (no URL normalisation, so "/a/../b" stays visible and is refused). */
export function parseSlotPath(target: string): PathCheck {
  const rawPath = target.split("?", 1)[0] ?? "";
  const segments = rawPath.split("/");
  if (segments.length !== 3 || segments[0] !== "") return refuse("the path must be /<slot>/<filename>");
  const [, slot = "", encodedName = ""] = segments;
  if (!SLOT_ID.test(slot)) return refuse("the slot id has characters Prosody never issues");
  let filename: string;
  try {
    filename = decodeURIComponent(encodedName);
  } catch {
    return refuse("the file name is not valid percent-encoded UTF-8");
  }
  if (filename === "" || filename === "." || filename === "..") return refuse("the file name is empty, . or ..");
  // eslint-disable-next-line no-control-regex
  if (/[/\u0000-\u001f\u007f]/.test(filename)) return refuse("the file name contains a slash or a control character");
  if (Buffer.byteLength(filename) > MAX_FILENAME_BYTES) return refuse("the file name is longer than 255 bytes");
  return { ok: true, path: { slot, filename, key: `${slot}/${filename}` } };
}
