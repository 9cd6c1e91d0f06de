// The judges, registered when first needed: verifying a run needs its kind's judge, and the
// soak's pulls in the histogram code (~20 MB) a console showing cached verdicts never needs.
export function loadJudges(): Promise<unknown> {
  return import('./registered-judges.ts');
}
