import type { ConsentPurpose } from '../contract/schema.js';

/** Families of customer features; a family is present only when its source table exists. */
export type FeatureFamily =
  | 'value'
  | 'timing'
  | 'mix'
  | 'engagement'
  | 'declared'
  | 'geography'
  | 'technographic';

export type FeatureKind = 'numeric' | 'categorical' | 'boolean';

/** How a feature is prepared for models (fitted parameters are saved with the models). */
export type FeatureTransform = 'none' | 'log1p' | 'winsorize' | 'log1p+winsorize' | 'onehot';

/** One entry of the feature catalogue: documents a column of features.parquet. */
export interface FeatureSpec {
  readonly name: string;
  readonly family: FeatureFamily;
  readonly kind: FeatureKind;
  readonly description: { readonly en: string; readonly fr: string };
  /** A short label for charts and persona traits, e.g. "days since last order". */
  readonly label: { readonly en: string; readonly fr: string };
  readonly source: 'first-party' | 'zero-party';
  readonly consentPurpose: ConsentPurpose;
  readonly transform: FeatureTransform;
  /** Explicit missing-value policy for models. */
  readonly missing: 'zero' | 'median' | 'category' | 'false';
  /** Whether the feature enters clustering (identifiers and raw dates do not). */
  readonly clustering: boolean;
  readonly unit?: 'days' | 'currency' | 'count' | 'share' | 'rate' | 'years';
  /** Values below zero mean something (a trend, a lateness): such a feature is compared by its values, never as a ratio. */
  readonly signed?: boolean;
}
