import { Text, useApp, useInput } from 'ink';
import { useContext, type JSX } from 'react';
import { StoreContext } from '../hooks/use-dashboard.js';
import { fit } from '../bars.js';
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
      if (key.ctrl && input === 'c') exit();
      else if (key.return) actions.closeFilter(true);
      else if (key.escape) actions.closeFilter(false);
      else if (key.backspace || key.delete) actions.setFilterText(nav.textFilter.slice(0, -1));
      else if (!key.ctrl && !key.meta && input && !/[\u0000-\u001f]/.test(input))
        actions.setFilterText(nav.textFilter + input);
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
