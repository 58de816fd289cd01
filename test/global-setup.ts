/**
 * Every test run makes its temporary folders in one folder of its own (TMPDIR for the test
 * processes and the CLIs they start), removed when the run ends, so runs leave nothing in /tmp.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cm-tests-'));
  // As /tmp: the end-to-end tests that run the CLI as another user make their folders here too.
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
