import { Text, useApp, useInput } from 'ink';
import { useContext, type JSX } from 'react';
import { StoreContext } from '../hooks/use-dashboard.js';
import { fit } from '../bars.js';
import { promptInput } from '../keymap.js';
import { useTone } from '../theme.js';

/** The `/` prompt: typing filters the list at once; Enter keeps the filter, Esc clears it. */
export function FilterPrompt({
  text,
  width,
  isActive,
}: {
  text: string;
  width: number;
  isActive: boolean;
}): JSX.Element {
  const tone = useTone();
  const store = useContext(StoreContext);
  const { exit } = useApp();
  useInput(
    (input, key) => {
      if (!store) return;
      const { actions, nav } = store.getState();
      // Every key through the prompt's keymap (keymap.ts); anything else printable is typed.
      const what = promptInput(input, key);
      if (what === null) return;
      if ('text' in what) return actions.setFilterText(nav.textFilter + what.text);
      if (what.action === 'quit') exit();
      else if (what.action === 'keep') actions.closeFilter(true);
      else if (what.action === 'clear') actions.closeFilter(false);
      else actions.setFilterText(nav.textFilter.slice(0, -1));
    },
    { isActive },
  );
  return (
    <Text wrap="truncate-end">
      <Text color={tone('cyan')}>/</Text>
      {fit(`${text}▏ (Enter keeps, Esc clears)`, width - 1)}
    </Text>
  );
}
