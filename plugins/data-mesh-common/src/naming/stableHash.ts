// A small, dependency-free 64-bit hash that gives the same result in browsers
// and in Node (no `crypto` module, no async WebCrypto). Not for security: it
// only needs to spread DataZone ids evenly so entity names do not collide.

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

// Hand-rolled instead of TextEncoder, which some test environments (jsdom)
// lack; lone surrogates are encoded like TextEncoder does (U+FFFD).
function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      code = 0xfffd;
    }
    if (code < 0x80) {
      bytes.push(code);
    } else if (code < 0x800) {
      bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      bytes.push(
        0xe0 | (code >> 12),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    } else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  return bytes;
}

// MurmurHash3's 64-bit finaliser: FNV-1a alone mixes its low bits poorly when
// inputs differ only in their last characters (e.g. `prod_1` / `prod_2`).
function mix64(value: bigint): bigint {
  let h = value;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & MASK_64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & MASK_64;
  h ^= h >> 33n;
  return h;
}

/**
 * Hashes text to `length` characters of lowercase base-32 (`0-9a-v`), at most
 * 12 characters (60 bits).
 */
export function stableHash(text: string, length: number): string {
  if (!Number.isInteger(length) || length < 1 || length > 12) {
    throw new RangeError(`hash length must be 1..12, got ${length}`);
  }
  let h = FNV_OFFSET_BASIS;
  for (const byte of utf8Bytes(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  const mixed = mix64(h);
  return mixed.toString(32).padStart(13, '0').slice(-length);
}
