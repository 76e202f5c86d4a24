import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * DataZone ids look like `5lfh0xsm7eps2v` (domains: `dzd_` + that). Ours are derived
 * from the creation sequence, so a fresh seed yields the same ids every time and demo
 * links stay valid across resets.
 */
export function makeId(kind: string, seq: number, length = 14): string {
  const digest = createHash('sha256').update(`${kind}:${seq}`).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[digest[i] % ALPHABET.length];
  return id;
}
