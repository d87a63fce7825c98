import type { FeatureFamily, FeatureKind, FeatureSpec, FeatureTransform } from './types.js';

/** A column of the features table: its catalogue entry and the SQL expression that computes it. */
export interface FeatureColumn {
  readonly spec: FeatureSpec;
  /** Expression over the aliases of the family's CTEs (see FamilyQuery.joins). */
  readonly expression: string;
}

/** A named CTE and how it joins the population (every CTE has one row per customer_id). */
export interface FamilyCte {
  readonly name: string;
  readonly sql: string;
  /** Joined to the population on customer_id; helper CTEs used only by other CTEs are not joined. */
  readonly joined: boolean;
  /** The CTE's key column when it is not customer_id: customer_hash, hash(customer_id) of the population. */
  readonly key?: 'customer_hash';
}

/** What one feature family contributes to the features query. */
export interface FamilyQuery {
  readonly family: FeatureFamily;
  readonly ctes: readonly FamilyCte[];
  readonly columns: readonly FeatureColumn[];
}

export interface Text {
  readonly en: string;
  readonly fr: string;
}

export interface SpecOptions {
  readonly family: FeatureFamily;
  readonly kind?: FeatureKind;
  readonly description: Text;
  readonly label: Text;
  readonly source?: FeatureSpec['source'];
  readonly transform?: FeatureTransform;
  readonly missing?: FeatureSpec['missing'];
  readonly clustering?: boolean;
  readonly unit?: FeatureSpec['unit'];
  readonly signed?: boolean;
}

/** A catalogue entry with the defaults of its kind (numeric: winsorised, zero when missing). */
export function featureSpec(name: string, options: SpecOptions): FeatureSpec {
  const kind = options.kind ?? 'numeric';
  const defaults: Pick<FeatureSpec, 'transform' | 'missing'> =
    kind === 'categorical'
      ? { transform: 'onehot', missing: 'category' }
      : kind === 'boolean'
        ? { transform: 'none', missing: 'false' }
        : { transform: 'winsorize', missing: 'zero' };
  return {
    name,
    family: options.family,
    kind,
    description: options.description,
    label: options.label,
    source: options.source ?? 'first-party',
    // Every feature is profiling: it describes a customer to build personas and scores.
    consentPurpose: 'profiling',
    transform: options.transform ?? defaults.transform,
    missing: options.missing ?? defaults.missing,
    clustering: options.clustering ?? true,
    ...(options.unit ? { unit: options.unit } : {}),
    ...(options.signed ? { signed: true } : {}),
  };
}

export function column(name: string, expression: string, options: SpecOptions): FeatureColumn {
  return { spec: featureSpec(name, options), expression };
}

/** A data-driven level (top category, brand, interest) and the column-name suffix it gets. */
export interface Level {
  readonly value: string;
  readonly slug: string;
}

/** Column-name suffixes for levels: lower-case ASCII words joined by `_`, made unique by a counter. */
export function levelSlugs(values: readonly string[]): Level[] {
  const used = new Set<string>();
  return values.map((value) => {
    const base =
      value
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .slice(0, 40) || 'level';
    let slug = base;
    for (let i = 2; used.has(slug); i++) slug = `${base}_${i}`;
    used.add(slug);
    return { value, slug };
  });
}
