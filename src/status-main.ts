// `creditmeter status` as one file (built to dist/chunks/status-main.js): CI jobs and scripts run it
// often, and one module loads faster than the twenty-odd shared chunks its code would otherwise come
// in. The same parser and command as the full program, without the command table; help still comes
// from the full program (cli.ts sends `--help` there).
import { registerStatus } from './commands/status.js';
import { runProgram } from './run-program.js';

process.exitCode = await runProgram(process.argv, registerStatus);
