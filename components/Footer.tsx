// The bottom two lines: what the supervisor is doing and how the last action went, then
// the keys that work right now (from the key table, for the scope that has the keys).
import { memo } from 'react';
import { Box, Text } from 'ink';
import { describeStatus } from './action-status.ts';
import type { ActionStatus } from './action-status.ts';
import { footerHints, type HintOptions } from './footer-hints.ts';
import { truncate } from './format.ts';
import type { Scope } from './key-bindings.ts';
import { colorProps } from './state-color.ts';

export interface FooterProps {
  activity: string | null;
  status: ActionStatus;
  /** Whose keys the hints show; null when no key does anything (quitting). */
  scope: Scope | null;
  /** False when stdin cannot be read key by key (not a terminal): the hints say so. */
  keysOn: boolean;
  /** Hints left out or reworded for the moment (service keys off, the pane shown). */
  hints?: HintOptions;
  width: number;
  colors: boolean;
}

export const FOOTER_HEIGHT = 2;

function FooterView({ activity, status, scope, keysOn, hints, width, colors }: FooterProps) {
  const statusText = describeStatus(status);
  const doing = activity === null ? 'idle' : activity;
  const line = statusText === '' ? doing : `${doing} · ${statusText}`;
  const statusColor = status.kind === 'failed' ? 'red' : activity !== null ? 'yellow' : undefined;
  const keys = !keysOn ? 'keys are off: stdin is not a terminal' : scope === null ? '' : footerHints(scope, width, undefined, hints);
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Text wrap="truncate-end" {...colorProps(colors, statusColor)}>
        {truncate(line, width)}
      </Text>
      <Text wrap="truncate-end" {...(colors ? { dimColor: true } : {})}>
        {truncate(keys, width) || ' '}
      </Text>
    </Box>
  );
}

export const Footer = memo(FooterView);
