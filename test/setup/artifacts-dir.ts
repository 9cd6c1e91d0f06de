// Every evident the tests start records its operator journal and runs in one temporary
// artifacts folder, never in the checkout's artifacts/. Removed after the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'evident-test-artifacts-'));
  process.env.EVIDENT_ARTIFACTS_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
