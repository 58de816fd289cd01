/**
 * What a first run finds: `npm start` on a machine with nothing of the user's to show opens the
 * demo history rather than an empty dashboard (commands/dashboard.ts), and says so; and, while the
 * demo runs, when the user's first transcript appears.
 */
import { defaultDbPath, type ResolvedConfig } from './config.js';
import { hasTranscripts } from '../ingest/roots.js';
import { storeHoldsData } from '../store/holds-data.js';

/**
 * True when the roots are the defaults and hold no transcript, and the store is the default one and
 * holds nothing. A named folder or store is the user's: it is opened even when empty (a team store
 * waiting for its first events, a folder about to fill).
 */
export function nothingOfTheUsers(
  config: ResolvedConfig,
  dbFlag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const dbNamed = dbFlag !== undefined || Boolean(env.CREDITMETER_DB) || config.dbPath !== defaultDbPath(env);
  if (config.rootsExplicit || dbNamed) return false;
  return !hasTranscripts(config.roots) && !storeHoldsData(config.dbPath);
}

/** How often a dashboard showing the demo looks for the user's first transcript. */
export const FIRST_TRANSCRIPT_POLL_MS = 5000;

/**
 * Calls `onFound(root)` once, when the first of `roots` (each may not exist yet) holds a transcript
 * (Claude Code run for the first time while the demo is shown). A listing of the still empty
 * folders every `everyMs`; the timer does not keep the process alive. Returns a stop function.
 */
export function watchForFirstTranscript(
  roots: readonly string[],
  onFound: (root: string) => void,
  everyMs = FIRST_TRANSCRIPT_POLL_MS,
): () => void {
  const timer = setInterval(() => {
    const root = roots.find((r) => hasTranscripts([r]));
    if (root === undefined) return;
    clearInterval(timer);
    onFound(root);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
