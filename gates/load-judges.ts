// The judges as verification needs them: registered when first needed — verifying a run
// needs its kind's judge, and the soak's pulls in the histogram code (~20 MB) a console
// showing cached verdicts never needs — and a hash of their code, so a verdict cached
// under an older judge is never taken for one of today's.
import { fileURLToPath } from 'node:url';
import { folderCodeFingerprint, type JudgeSource } from '../src/evidence/verified-runs.ts';

let fingerprint: string | null = null;

export const judges: JudgeSource = {
  load: () => import('./registered-judges.ts'),
  codeFingerprint() {
    fingerprint ??= folderCodeFingerprint(fileURLToPath(new URL('.', import.meta.url)));
    return fingerprint;
  },
};
