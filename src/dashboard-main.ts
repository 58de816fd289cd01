// The dashboard (the default command) as one CommonJS file (built to dist/chunks/dashboard-main.cjs)
// with Ink, React and what the first frame needs: the entry loads it through V8's code cache
// (cli/code-cache.ts), which Node 20 has no way to give ES modules, so a start after the first
// compiles almost nothing before drawing. What loads after the first frame (the watcher, the
// receiver, the exporter) is in the file too, evaluated only when asked for. Help comes from the
// full program (cli.ts sends `--help` there).
import { registerDashboard } from './commands/dashboard.js';
import { runProgram } from './run-program.js';

/** Runs the dashboard command on `argv`; the exit code. */
export function runDashboardMain(argv: string[]): Promise<number> {
  return runProgram(argv, registerDashboard);
}
