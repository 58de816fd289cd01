/** The closing line of a long list: counts written as the rest of the dashboard writes them. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { MoreRows } from '../../src/ui/components/MoreRows.js';

describe('MoreRows', () => {
  it('groups the digits of every count, as the header does', () => {
    const ui = render(<MoreRows start={0} shown={16} total={2000} width={80} />);
    expect(ui.lastFrame()).toBe('  +1,984 more (1–16 of 2,000; ↑↓ scroll, / filters)');
    ui.unmount();
    const deep = render(<MoreRows start={1199} shown={16} total={12345} width={36} />);
    expect(deep.lastFrame()).toBe('  +11,130 more (1,200–1,215/12,345)');
    deep.unmount();
  });
});
