/**
 * A fast 64-bit digest of text, for telling whether something changed (the catch-up's fingerprint
 * of every transcript's stat, the key of `ingest`'s snapshot); not for security. Two 32-bit lanes
 * (the cyrb53 construction, kept at 64 bits) over the UTF-16 code units: every step is a bijection
 * of each lane, so a change of any one unit changes both. Pure JavaScript: the paths that answer
 * without the database do not load `node:crypto` (about 5 ms to start).
 */
const NUMBER = new Float64Array(1);
/** The number's bits in 16-bit units, in the machine's byte order (fingerprints stay on one machine). */
const UNITS = new Uint16Array(NUMBER.buffer);

export class Digest64 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private length = 0;

  /** Adds `text` (the digest of a, then b is that of a + b). */
  update(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.length += text.length;
    return this;
  }

  /**
   * Adds a number as the four 16-bit units of its 64 bits, as `update` adds four code units (no
   * text to format: a stat's fractional mtime takes a microsecond to print).
   */
  updateNumber(x: number): this {
    NUMBER[0] = x;
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < 4; i++) {
      const c = UNITS[i]!;
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.length += 4;
    return this;
  }

  /** 16 hex digits: both lanes mixed, with the length. */
  hex(): string {
    let h1 = this.h1 ^ this.length;
    let h2 = this.h2 ^ Math.floor(this.length / 4294967296);
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return `${(h2 >>> 0).toString(16).padStart(8, '0')}${(h1 >>> 0).toString(16).padStart(8, '0')}`;
  }
}

/** The digest of one text. */
export function digest64(text: string): string {
  return new Digest64().update(text).hex();
}
