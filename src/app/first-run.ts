/**
 * What a first run finds: `npm start` on a machine with nothing of the user's to show opens the
 * demo history rather than an empty dashboard (commands/dashboard.ts), and says so.
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
