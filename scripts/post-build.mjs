// Makes the built CLI executable (npm links it as the `creditmeter` binary).
import { chmodSync, existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
