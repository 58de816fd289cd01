// `creditmeter statusline` as one file: Claude Code runs it on every prompt, and one module loads
// faster than the fifteen shared chunks its code would otherwise come in. The build writes it to
// dist/chunks/statusline-main.cjs, a CommonJS file the entry point loads with require(); the
// drawing code it needs on a miss stays in a file of its own there (statusline-draw.cjs).
export { statuslineMain } from './commands/statusline.js';
