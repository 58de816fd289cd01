/**
 * Opens the HTML export in Debian's headless Chromium: screenshots in light and dark mode and a
 * print to PDF. Set CREDITMETER_SCREENSHOT_DIR to keep the images for a look.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../src/app/export.js';
import { NOW_MS, openFixtureStore, type FixtureStore } from '../output/fixture-store.js';

// CREDITMETER_CHROMIUM points at another binary (or a missing one, to see the skip).
const CANDIDATES = process.env.CREDITMETER_CHROMIUM
  ? [process.env.CREDITMETER_CHROMIUM]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const CHROMIUM = CANDIDATES.find((p) => existsSync(p)) ?? null;
const SKIP_MESSAGE = `Chromium not found (${CANDIDATES.join(', ')}): browser test skipped; install it with \`apt-get install -y chromium\`.`;
if (CHROMIUM === null) process.stderr.write(`${SKIP_MESSAGE}\n`);

/** Width and height from a PNG's IHDR chunk; null when the bytes are not a PNG. */
function pngSize(png: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature)) return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function runChromium(args: string[], dir: string): void {
  const profile = mkdtempSync(join(dir, 'profile-'));
  const base = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ];
  const run = spawnSync(CHROMIUM!, [...base, ...args], { encoding: 'utf8', timeout: 90_000 });
  if (run.error) throw run.error;
}

describe.skipIf(CHROMIUM === null)('HTML export in headless Chromium', () => {
  let f: FixtureStore;
  let work: string;
  let url: string;
  const keep = process.env.CREDITMETER_SCREENSHOT_DIR;
  beforeAll(async () => {
    f = await openFixtureStore('Europe/Berlin');
    work = mkdtempSync(join(tmpdir(), 'cm-browser-'));
    const page = writeSnapshot(f.ctx, { format: 'html', out: join(work, 'snapshot.html'), nowMs: NOW_MS });
    url = pathToFileURL(page).href;
  });
  afterAll(() => {
    f.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const shot = (name: string, extra: string[]): Buffer => {
    const dir = keep ?? work;
    mkdirSync(dir, { recursive: true });
    const png = join(dir, name);
    rmSync(png, { force: true });
    runChromium([...extra, `--screenshot=${png}`, '--window-size=1200,1600', url], work);
    expect(existsSync(png), `${name} was not written`).toBe(true);
    return readFileSync(png);
  };

  it('renders a non-trivial screenshot in light mode', () => {
    const png = shot('export-light.png', []);
    expect(pngSize(png)).toEqual({ width: 1200, height: 1600 });
    // A blank 1200x1600 page compresses to a few kB; charts, text and tables make far more.
    expect(png.length).toBeGreaterThan(40_000);
  });

  it('renders in dark mode, differently from light mode', () => {
    const light = shot('export-light-2.png', []);
    const dark = shot('export-dark.png', ['--force-dark-mode', '--blink-settings=preferredColorScheme=0']);
    expect(pngSize(dark)).toEqual({ width: 1200, height: 1600 });
    expect(dark.length).toBeGreaterThan(40_000);
    expect(dark.equals(light)).toBe(false);
  });

  it('prints to a PDF', () => {
    const pdf = join(keep ?? work, 'export.pdf');
    rmSync(pdf, { force: true });
    runChromium(['--no-pdf-header-footer', `--print-to-pdf=${pdf}`, url], work);
    expect(existsSync(pdf)).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
  });
});

if (CHROMIUM === null) {
  describe('HTML export in headless Chromium', () => {
    it.skip(SKIP_MESSAGE, () => undefined);
  });
}
