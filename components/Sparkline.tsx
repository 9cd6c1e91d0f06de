// A fixed-width sparkline of a series, coloured: the text is sparkline.ts's.
import { Text } from 'ink';
import { sparkline, type SparklineScale } from './sparkline-text.ts';

export interface SparklineProps {
  values: readonly number[];
  width: number;
  scale?: SparklineScale;
  color: string | undefined;
}

export function Sparkline({ values, width, scale, color }: SparklineProps) {
  return <Text {...(color ? { color } : {})}>{sparkline(values, width, scale)}</Text>;
}
