/**
 * Every test run makes its temporary folders and tmux sockets in one folder of its own (TMPDIR and
 * TMUX_TMPDIR for the test processes and what they start), removed when the run ends, so runs
 * leave nothing in /tmp but the end-to-end build's stamp (see e2e/build-cli.ts).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const system = tmpdir();
  const root = mkdtempSync(join(system, 'cm-tests-'));
  // As /tmp: the end-to-end tests that run the CLI as another user make their folders here too.
  chmodSync(root, 0o1777);
  process.env.CREDITMETER_TESTS_SYSTEM_TMP = system;
  process.env.TMPDIR = root;
  // tmux makes its sockets under TMUX_TMPDIR, not TMPDIR.
  process.env.TMUX_TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
