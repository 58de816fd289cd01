// `creditmeter statusline` as one file: Claude Code runs it on every prompt, and one module loads
// faster than the fifteen shared chunks its code would otherwise come in. The build writes it to
// dist/chunks/statusline-main.js; the drawing code it needs on a miss stays in its own file there.
import { statuslineMain } from './commands/statusline.js';

process.exitCode = await statuslineMain(process.argv);
