import type { FeatureFamily, FeatureKind, FeatureSpec } from '../features/types.js';
import type { ModelTrust } from '../timing/trust.js';
import type { CustomerPrediction } from '../timing/types.js';
import type { KChoice } from '../cluster/selectK.js';

/** A text in both report languages. */
export interface Localized {
  readonly en: string;
  readonly fr: string;
}

export type Lang = keyof Localized;
export const LANGS: readonly Lang[] = ['en', 'fr'];

/**
 * A raw (unscaled) feature column, aligned with `customerIds`.
 * numeric → Float64Array (NaN = missing); boolean → Float64Array of 0/1 (NaN = missing);
 * categorical → strings (null = missing).
 */
export type FeatureColumn = Float64Array | readonly (string | null)[];

/** One cluster of the clustering, as lineage named it. */
export interface ClusterInput {
  /** Stable persona id from lineage, e.g. "P3". */
  readonly personaId: string;
  /** The name this persona had in the previous run, when it survived a retrain. */
  readonly previousName?: Localized;
  /** Bootstrap stability of the cluster in [0, 1] (e.g. mean Jaccard), when measured. */
  readonly stability?: number;
}

/** The predictions the personas read, one Float64Array per field on the customers' rows (NaN = none). */
export interface PredictionColumns {
  readonly pAlive: Float64Array;
  readonly pBuy30: Float64Array;
  readonly nextPurchaseDays: Float64Array;
  readonly clv: Float64Array;
}

export type TimingPrediction = Pick<
  CustomerPrediction,
  'customerId' | 'pAlive' | 'pBuy30' | 'nextPurchaseDays' | 'clv'
>;

export interface KSelectionScore {
  readonly k: number;
  readonly inertia: number;
  readonly silhouette: number;
  readonly daviesBouldin: number;
  readonly calinskiHarabasz: number;
  /** Gap statistic and its standard error, when the gap criterion was used. */
  readonly gap?: number | undefined;
  readonly gapError?: number | undefined;
  /** Bootstrap mean Jaccard of the least stable cluster, when stability gated the choice. */
  readonly stability?: number | undefined;
}

export interface KSelection {
  readonly scores: readonly KSelectionScore[];
  readonly chosenK: number;
  /** How k was chosen, in words (e.g. "highest silhouette among k with every cluster ≥ 2%"). */
  readonly rule: string;
  /** The same as data, when known: reports explain it in their own language. */
  readonly choice?: KChoice | undefined;
  /** The k range searched. */
  readonly kRange?: readonly [number, number] | undefined;
}

export interface PcaSample {
  /** Sampled customers projected on the first two components; `label` is the cluster index. */
  readonly points: readonly { readonly x: number; readonly y: number; readonly label: number }[];
  /** Share of variance explained by PC1 and PC2. */
  readonly explainedVariance: readonly [number, number];
  /** The features that weigh most in each axis (`feature` or `feature=level`), heaviest first, signed. */
  readonly axes?: readonly [readonly MapAxisLoading[], readonly MapAxisLoading[]];
}

export interface MapAxisLoading {
  readonly column: string;
  readonly weight: number;
}

/** A square or rectangular count matrix: rows = before, columns = after. */
export interface TransitionMatrix {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

export interface PreviousRun {
  readonly document: PersonaDocument;
  /** Customers present in both runs: previous persona id × current persona id. */
  readonly migration?: TransitionMatrix;
  /** Lifecycle segment in the previous run × now. */
  readonly lifecycleTransitions?: TransitionMatrix;
}

export interface RunInfo {
  /** ISO date the features and predictions are computed at. */
  readonly asOf: string;
  readonly runId?: string;
  /** Lawful basis for profiling, printed in the report. */
  readonly consentBasis: 'consent' | 'legitimate_interest';
  readonly featureFamilies: readonly FeatureFamily[];
  readonly warnings: readonly string[];
  /** Present when compared with the promoted models' data: the features that moved (PSI ≥ 0.1), largest first. */
  readonly drift?: readonly {
    readonly feature: string;
    readonly label: Localized;
    readonly psi: number;
    readonly level: 'moderate' | 'major';
  }[];
  /** ISO 4217 code of amounts, when known. */
  readonly currency?: string;
  /** How far to trust the purchase predictions (per horizon: model, AUC, a reliability line), when backtested. */
  readonly modelTrust?: ModelTrust;
  /**
   * The tables the run was built from (orders, customers, events, zero_party, consent…), when known: the
   * report says what the data is, and without a consent table who can be contacted is not known.
   */
  readonly tables?: readonly string[];
}

/**
 * Everything personas are built from. No PII: customers are pseudonymous ids, features are
 * aggregates; the builder refuses feature names that are contact data.
 */
export interface PersonaInput {
  readonly customerIds: readonly string[];
  readonly features: readonly FeatureSpec[];
  readonly columns: Readonly<Record<string, FeatureColumn>>;
  /** Cluster index per customer, 0..clusters.length-1. */
  readonly labels: Int32Array;
  readonly clusters: readonly ClusterInput[];
  /** Net revenue per customer in the observation window. */
  readonly revenue: Float64Array;
  /** Completed orders per customer in the same window (for the average order value). */
  readonly orders: Float64Array;
  /**
   * Contact consent per customer; null when the data holds no consent records (orders-only data under
   * legitimate interest): who can be contacted is then unknown, not zero.
   */
  readonly reachability: {
    /** 1 when the latest email consent is granted. */
    readonly emailConsent: Uint8Array;
    readonly smsConsent: Uint8Array;
    /** Email engagement rate per customer (e.g. clicks / sends; NaN when never emailed). */
    readonly emailEngagement?: Float64Array;
    readonly smsEngagement?: Float64Array;
  } | null;
  /**
   * Timing predictions aligned with customerIds: one per customer (null when a customer was not scored), or the
   * same as columns (NaN where a customer was not scored or a value is not predictable), a few bytes a customer.
   */
  readonly predictions?: readonly (TimingPrediction | null)[] | PredictionColumns;
  readonly lifecycle?: {
    readonly segment: readonly (string | null)[];
    readonly vip: Uint8Array;
  };
  readonly pca?: PcaSample;
  readonly kSelection?: KSelection;
  readonly previous?: PreviousRun;
  readonly run: RunInfo;
}

// ───────────────────────────── personas.json ─────────────────────────────

export interface FeatureSummary {
  readonly name: string;
  readonly label: Localized;
  readonly description: Localized;
  readonly kind: FeatureKind;
  readonly family: FeatureFamily;
  readonly source: 'first-party' | 'zero-party';
  readonly unit?: FeatureSpec['unit'];
}

/** One feature (or one level of a categorical feature) of a persona compared with the whole population. */
export interface Trait {
  readonly feature: string;
  /** For categorical features: the level; for booleans: "true". */
  readonly level: string | null;
  readonly kind: FeatureKind;
  readonly source: 'first-party' | 'zero-party';
  /** Mean (numeric) or share (categorical/boolean) in the persona. */
  readonly personaValue: number;
  readonly populationValue: number;
  /** Numeric: Cohen's d against the population SD; shares: Cohen's h = 2·asin√p − 2·asin√p₀. */
  readonly effect: number;
  /** Numeric: mean − population mean (in the feature's unit); shares: difference in share (p − p₀). */
  readonly difference: number;
  /** Relative difference (value/population − 1), null when the population value is 0. */
  readonly relative: number | null;
  readonly test: 'welch-t' | 'two-proportion-z';
  /** Persona vs the rest of the population. */
  readonly statistic: number;
  readonly pValue: number;
  /** Adjusted for all tests of the document (Benjamini–Hochberg or Holm). */
  readonly adjustedP: number;
  readonly significant: boolean;
  readonly direction: 'higher' | 'lower';
}

export interface DeclaredObserved {
  readonly pair: string;
  readonly declared: {
    readonly feature: string;
    readonly level: string | null;
    readonly persona: number;
    readonly population: number;
    readonly effect: number;
  };
  readonly observed: {
    readonly feature: string;
    readonly level: string | null;
    readonly persona: number;
    readonly population: number;
    readonly effect: number;
  };
  readonly verdict: 'agreement' | 'contradiction' | 'neutral';
  readonly explanation: Localized;
}

export interface Action {
  readonly rule: string;
  readonly priority: number;
  /** What to do, starting with a verb, with its date (e.g. "Send a win-back offer by email on 14 January 2026"). */
  readonly title: Localized;
  /** Why it fired, with the numbers that made it fire. */
  readonly reason: Localized;
  /** The channel to use; null when the data does not say who can be reached where. */
  readonly channel: 'email' | 'sms' | null;
  /** When to do it, in days after the as-of date (≥ 1: an action is never due on or before the as-of date). */
  readonly sendInDays: number;
  /** The same day as an ISO date. */
  readonly date: string;
}

export interface LifecycleShare {
  readonly segment: string;
  readonly count: number;
  readonly share: number;
}

export interface Distribution {
  readonly feature: string;
  readonly p10: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly p90: number;
  readonly mean: number;
}

export interface PersonaTracking {
  readonly status: 'continued' | 'new';
  readonly previousSize: number | null;
  readonly sizeChange: number | null;
  readonly shareChange: number | null;
  /** Share of the previous persona's customers (present in both runs) who stayed. */
  readonly retained: number | null;
  readonly inflow: readonly { readonly from: string; readonly count: number }[];
  readonly outflow: readonly { readonly to: string; readonly count: number }[];
  readonly traitChanges: readonly {
    readonly feature: string;
    readonly level: string | null;
    readonly previousEffect: number;
    readonly effect: number;
  }[];
}

/**
 * The figures of a group of customers (a persona, or every customer), one definition each (see
 * FIGURE_DEFINITIONS in figures.ts): the same function computes them for a persona and for the whole base.
 */
export interface ValueFigures {
  /** Revenue / orders (every order weighs the same). */
  readonly averageOrderValue: number | null;
  /** Revenue / customers. */
  readonly revenuePerCustomer: number;
  /** Orders / customers. */
  readonly ordersPerCustomer: number;
  /** Share of the customers with exactly one order. */
  readonly oneOrderShare: number;
  /** Share of the customers with two orders or more. */
  readonly repeatShare: number;
  /** Mean, over the customers who bought, of the share of their spend made in November–December; null without that feature. */
  readonly novDecSpendShare: number | null;
  /** Mean days since the first order (or signup), over the customers who have one; null without that feature. */
  readonly tenureDays: number | null;
  /** Mean predicted customer lifetime value, when predicted. */
  readonly meanClv: number | null;
}

export interface TimingFigures {
  /** Customers with a prediction. */
  readonly scored: number;
  /** Expected number of buyers within 30 days: the sum of P(buy within 30 days) over the scored customers. */
  readonly expectedBuyers30: number;
  /** Expected buyers / scored customers (the mean P(buy within 30 days)). */
  readonly expectedShareBuy30: number | null;
  readonly medianNextPurchaseDays: number | null;
  readonly meanPAlive: number | null;
}

export interface Persona {
  readonly id: string;
  readonly clusters: readonly number[];
  readonly name: Localized;
  readonly nameSource: 'lineage' | 'traits';
  readonly tagline: Localized;
  readonly narrative: Localized;
  readonly size: number;
  readonly shareOfCustomers: number;
  readonly revenue: number;
  readonly shareOfRevenue: number;
  readonly value: ValueFigures;
  readonly timing: TimingFigures | null;
  readonly lifecycle: { readonly mix: readonly LifecycleShare[]; readonly vipShare: number } | null;
  readonly traits: readonly Trait[];
  /** Indices into `traits` of the distinguishing traits, strongest first. */
  readonly topTraits: readonly number[];
  readonly declaredVsObserved: readonly DeclaredObserved[];
  /** Null when the data holds no consent records: who can be contacted is unknown. */
  readonly reachability: {
    readonly emailConsentShare: number;
    readonly smsConsentShare: number;
    readonly reachableShare: number;
    readonly emailEngagement: number | null;
    readonly smsEngagement: number | null;
    readonly preferredChannel: {
      readonly feature: string;
      readonly value: string;
      readonly share: number;
    } | null;
    readonly bestChannel: 'email' | 'sms' | null;
  } | null;
  readonly actions: readonly Action[];
  readonly stability: number | null;
  /** Within-persona variance / population variance in standardised feature space (1 = as spread as everyone). */
  readonly dispersion: number;
  readonly distributions: readonly Distribution[];
  /** Ids of personas smaller than the minimum that were merged into this one. */
  readonly absorbed: readonly string[];
  readonly tracking: PersonaTracking | null;
}

export interface SmallPersona {
  readonly id: string;
  readonly size: number;
  readonly action: 'merged' | 'suppressed';
  readonly into: string | null;
}

export interface Suggestion {
  readonly kind: 'merge' | 'split';
  readonly personas: readonly string[];
  readonly reason: Localized;
  /** The measures behind it: centroid distance (RMS over standardised features), overlap, dispersion, stability. */
  readonly measures: Readonly<Record<string, number>>;
}

/**
 * One persona's audience list for one channel (exports/<file>), with every candidate accounted for:
 * candidates = included + erased + no consent for the channel + no usable address + address suppressed.
 */
export interface PersonaAudience {
  readonly persona: string;
  readonly channel: 'email' | 'sms';
  /** Path under the run's output directory, e.g. exports/email_persona_p1.csv. */
  readonly file: string;
  readonly candidates: number;
  readonly included: number;
  readonly leftOut: {
    readonly erased: number;
    readonly noConsent: number;
    readonly missingContact: number;
    /** The address is also held by a customer who is erased or withdrew. */
    readonly suppressed: number;
  };
}

export interface PersonaDocument {
  readonly schemaVersion: 2;
  readonly kind: 'personae.personas';
  readonly run: RunInfo;
  /** The persona × channel audience lists the run exported (absent when the run wrote none). */
  readonly audiences?: readonly PersonaAudience[];
  readonly settings: PersonaSettings;
  /** Every customer, described by the same figures as a persona (one definition each). */
  readonly population: {
    readonly customers: number;
    readonly revenue: number;
    readonly value: ValueFigures;
    readonly timing: TimingFigures | null;
    /** Null when the data holds no consent records. */
    readonly emailConsentShare: number | null;
    readonly smsConsentShare: number | null;
    readonly lifecycle: readonly LifecycleShare[] | null;
    readonly distributions: readonly Distribution[];
  };
  readonly features: readonly FeatureSummary[];
  readonly rfm: {
    readonly recency: string | null;
    readonly frequency: string | null;
    readonly monetary: string | null;
  };
  readonly personas: readonly Persona[];
  readonly smallPersonas: readonly SmallPersona[];
  readonly suggestions: readonly Suggestion[];
  /** Playbook rules that could not be evaluated for lack of data. */
  readonly rulesSkipped: readonly { readonly rule: string; readonly missing: string }[];
  readonly pca: {
    readonly points: readonly { readonly x: number; readonly y: number; readonly persona: string }[];
    readonly explainedVariance: readonly [number, number];
    /** What the map's two axes are made of (absent in documents written before it was recorded). */
    readonly axes?: readonly [readonly MapAxisLoading[], readonly MapAxisLoading[]];
  } | null;
  readonly kSelection: KSelection | null;
  readonly migration: TransitionMatrix | null;
  readonly lifecycleTransitions: TransitionMatrix | null;
  readonly previousRun: {
    readonly asOf: string;
    readonly runId: string | null;
    readonly retired: readonly string[];
  } | null;
}

export interface PersonaSettings {
  readonly minSize: number;
  readonly smallPersonas: 'merge' | 'suppress';
  readonly alpha: number;
  readonly correction: 'bh' | 'holm';
  readonly minEffect: number;
  readonly topTraits: number;
  readonly maxPcaPoints: number;
}
