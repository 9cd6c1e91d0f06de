// One line of editable text, scrolled sideways so the cursor stays in view. The cursor is
// drawn inverse; under NO_COLOR (no styles at all) it is a thin bar between characters.
import { Text } from 'ink';
import { visibleText, type TextValue } from './text-edit.ts';

export interface TextFieldProps {
  text: TextValue;
  focused: boolean;
  width: number;
  colors: boolean;
}

export const CURSOR_BAR = '▏';

export function TextField({ text, focused, width, colors }: TextFieldProps) {
  if (width <= 0) return null;
  if (!focused) return <Text wrap="truncate-end">{visibleText({ value: text.value, cursor: 0 }, width).shown || ' '}</Text>;
  if (!colors) {
    const { shown, cursorColumn } = visibleText(text, width - 1);
    return <Text wrap="truncate-end">{`${shown.slice(0, cursorColumn)}${CURSOR_BAR}${shown.slice(cursorColumn)}`}</Text>;
  }
  const { shown, cursorColumn } = visibleText(text, width);
  return (
    <Text wrap="truncate-end">
      {shown.slice(0, cursorColumn)}
      <Text inverse>{shown[cursorColumn] ?? ' '}</Text>
      {shown.slice(cursorColumn + 1)}
    </Text>
  );
}
