/**
 * A quality grade in plain words for marketers, from the ranking quality (AUC) and the calibration
 * (expected calibration error) of P(buy within N days) on the holdout.
 *
 * Thresholds (AUC): ≥ 0.80 good, ≥ 0.70 fair, ≥ 0.60 weak, below that poor — the usual reading of AUC in
 * credit scoring and churn modelling. A model that does not beat predicting the overall rate for everyone
 * (Brier skill ≤ 0) is at best "weak" whatever its AUC. Calibration: ECE ≤ 0.02 means the probabilities
 * can be read as they are, ≤ 0.05 roughly right, above that only the ranking should be used.
 */
export type GradeLevel = 'good' | 'fair' | 'weak' | 'poor';

export interface QualityGrade {
  readonly level: GradeLevel;
  readonly text: string;
}

export const GRADE_THRESHOLDS = { good: 0.8, fair: 0.7, weak: 0.6, calibratedEce: 0.02, roughEce: 0.05 } as const;

const RANKING: Record<GradeLevel, string> = {
  good: 'ranks buyers well',
  fair: 'ranks buyers reasonably: good for prioritising',
  weak: 'only slightly better than guessing who will buy',
  poor: 'not useful to pick who will buy',
};

function points(ece: number): string {
  return `${(ece * 100).toFixed(1)} points`;
}

export function qualityGrade(metrics: { auc: number; ece: number; brierSkill: number; horizon: number }): QualityGrade {
  const { auc, ece, brierSkill, horizon } = metrics;
  let level: GradeLevel =
    !(auc >= GRADE_THRESHOLDS.weak) ? 'poor' : auc >= GRADE_THRESHOLDS.good ? 'good' : auc >= GRADE_THRESHOLDS.fair ? 'fair' : 'weak';
  const noSkill = !(brierSkill > 0);
  if (noSkill && (level === 'good' || level === 'fair')) level = 'weak';
  const aucText = Number.isNaN(auc) ? 'AUC n/a (everyone or no one bought)' : `AUC ${auc.toFixed(2)}`;
  const calibration =
    ece <= GRADE_THRESHOLDS.calibratedEce
      ? `probabilities are reliable (off by ${points(ece)} on average)`
      : ece <= GRADE_THRESHOLDS.roughEce
        ? `probabilities are roughly right (off by ${points(ece)} on average)`
        : `probabilities are off by ${points(ece)} on average: use the ranking, not the numbers`;
  const skill = noSkill ? '; no better than giving everyone the average rate' : '';
  return { level, text: `${level}: ${aucText} for buying within ${horizon} days — ${RANKING[level]}; ${calibration}${skill}` };
}
