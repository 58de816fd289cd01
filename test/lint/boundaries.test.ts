/** The lint encodes the layers: breaking a boundary fails it, the real tree passes it. */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../ingest/helpers.js';

// The fixtures are not files of the project, so the type-aware rules (which need the project's
// type information) are switched off for them; the layer rules are what is tested here.
const eslint = new ESLint({ cwd: repoRoot, overrideConfig: tseslint.configs.disableTypeChecked });

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer boundaries', () => {
  it('luxon is imported only through domain/luxon.ts', async () => {
    const code = "import { DateTime } from 'luxon';\nexport const d = DateTime;\n";
    expect((await problems(code, 'src/output/x.ts')).join()).toMatch(/no-restricted-syntax: .*domain\/luxon\.ts/);
    expect(await problems(code, 'src/domain/luxon.ts')).toEqual([]);
  });

  it('domain/ importing ui/ fails the lint', async () => {
    const found = await problems(
      "import { Dashboard } from '../ui/views/Dashboard.js';\nexport const view = Dashboard;\n",
      'src/domain/breach-fixture.ts',
    );
    expect(found.join('\n')).toMatch(/no-restricted-imports: .*domain\/ is pure/);
  });

  it('store/ importing ingest/ or React fails the lint', async () => {
    const found = await problems(
      "import { catchUp } from '../ingest/pipeline.js';\nimport React from 'react';\nexport const x = [catchUp, React];\n",
      'src/store/breach-fixture.ts',
    );
    expect(found.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('a command importing program.ts fails the lint; the same import from cli/ passes', async () => {
    expect(
      (await problems("import { EXIT } from '../program.js';\nexport const e = EXIT;\n", 'src/commands/x.ts')).join(),
    ).toMatch(/no-restricted-imports/);
    expect(
      await problems("import { EXIT } from '../cli/exit.js';\nexport const e = EXIT;\n", 'src/commands/x.ts'),
    ).toEqual([]);
  });

  it('state/ and ui/ reach the status service, never the app (the composition root)', async () => {
    expect(
      (
        await problems("import { openApp } from '../app/context.js';\nexport const o = openApp;\n", 'src/state/x.ts')
      ).join(),
    ).toMatch(/no-restricted-imports: .*composition root/);
    expect(
      await problems(
        "import { buildStatus } from '../services/status.js';\nexport const b = buildStatus;\n",
        'src/state/x.ts',
      ),
    ).toEqual([]);
    expect(
      (
        await problems(
          "import { openDatabase } from '../../store/database.js';\nexport const o = openDatabase;\n",
          'src/ui/views/x.ts',
        )
      ).join(),
    ).toMatch(/no-restricted-imports: .*ui\/ draws state/);
  });
});
