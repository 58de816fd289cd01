/** Text formatting shared by every output: money, tokens, percentages, durations. */

// Plain string work rather than Intl.NumberFormat: creating an Intl formatter loads locale data
// (~10 ms), which a short command such as the status line cannot afford.

/** Thousands separators in the digits of a non-negative whole number: `1234567` → `1,234,567`. */
function groupDigits(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/** `1,234.57` for a non-negative amount (two decimals, half away from zero as Intl rounds). */
function fixed2(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  // Past a quadrillion digits would run into an exponent mid-number (`1,000,…,2e+,300.04`): said as one.
  if (v >= 1e15) return v.toExponential(2);
  const cents = Math.round(v * 100 + Number.EPSILON * v * 100);
  const whole = Math.floor(cents / 100);
  const frac = String(cents % 100).padStart(2, '0');
  return `${groupDigits(whole.toFixed(0))}.${frac}`;
}

/** `$1,234.56` (two decimals, thousands separators; negatives as `-$1.00`). */
export function formatUsd(usd: number): string {
  const v = Math.abs(usd) < 0.005 ? 0 : usd;
  return `${v < 0 ? '-' : ''}$${fixed2(Math.abs(v))}`;
}

/**
 * An amount under a cent in two significant digits (`$0.0012`, `$0.0000034`), written out without
 * an exponent, so a tiny cost never reads as `$0.0000`; under $0.0000001 it says so.
 */
export function usdUnderACent(usd: number): string {
  const a = Math.abs(usd);
  if (a < 1e-7) return usd < 0 ? '-<$0.0000001' : '<$0.0000001';
  const digits = Math.min(8, 1 - Math.floor(Math.log10(a)));
  return `${usd < 0 ? '-' : ''}$${a.toFixed(digits)}`;
}

/**
 * `formatUsd`, except an amount that it would write `$0.00` though it is not zero: that one in two
 * significant digits (`$0.0032`). A list row or a total that cost something never reads as free.
 */
export function formatUsdNonZero(usd: number): string {
  return usd !== 0 && Number.isFinite(usd) && Math.abs(usd) < 0.005 ? usdUnderACent(usd) : formatUsd(usd);
}

/** `$0.0123` for amounts under a cent, else `formatUsd` (per-request costs). */
export function formatUsdPrecise(usd: number): string {
  // Under half of $0.0001 four decimals say $0.0000: two significant digits instead.
  if (usd !== 0 && Number.isFinite(usd) && Math.abs(usd) < 0.00005) return usdUnderACent(usd);
  if (usd !== 0 && Math.abs(usd) < 0.01) return `${usd < 0 ? '-' : ''}$${Math.abs(usd).toFixed(4)}`;
  return formatUsd(usd);
}

/** `1,234,567` */
export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n);
  const sign = r < 0 ? '-' : '';
  return `${sign}${groupDigits(Math.abs(r).toFixed(0))}`;
}

/** `1.2M`, `34.5k`, `999` */
export function formatTokens(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e15) return `${formatInt(n / 1e12)}T`;
  if (a >= 1e12) return `${(n / 1e12).toFixed(1)}T`;
  if (a >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** `37%` from a fraction (0.37); one decimal under 10%. */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  return Math.abs(p) < 10 && p !== 0 ? `${p.toFixed(1)}%` : `${formatInt(Math.round(p))}%`;
}

/** `3d 4h`, `5h 12m`, `42m` for a duration in ms. */
export function formatDuration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m % 60}m`;
  return `${m}m`;
}

/** Rounds USD to 6 decimals for machine outputs (removes float noise, keeps sub-cent precision). */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** `1 request`, `2 requests`, `1,204 requests` (the plural adds an `s` unless given). */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatInt(n)} ${n === 1 ? singular : plural}`;
}

/**
 * A whole number as it is written (`12`, with spaces around it at most), or null: not `0x10`, `1e1`,
 * `+3` or `3.0`, which Number would also read.
 */
export function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/** The first `n` code units of `text`, one fewer where the `n`th would split a surrogate pair (an emoji). */
export function headOf(text: string, n: number): string {
  if (text.length <= n) return text;
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}
