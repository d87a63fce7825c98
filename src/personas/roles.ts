/**
 * What a feature means for naming and the playbook, recognised from its catalogue name. The catalogue is
 * free to name features; unrecognised ones still appear as traits, just not in names or rules.
 */
export type FeatureRole =
  | 'recency'
  | 'frequency'
  | 'season'
  | 'monetary'
  | 'aov'
  | 'tenure'
  | 'discount'
  | 'cart'
  | 'returns'
  | 'emailEngagement'
  | 'smsEngagement'
  | 'sessions'
  | 'app'
  | 'store'
  | 'age'
  | 'priceSensitivity'
  | 'preferredChannel'
  | 'interest'
  | 'shoppingGoal'
  | 'style'
  | 'category';

const ROLE_PATTERNS: readonly [FeatureRole, RegExp][] = [
  ['priceSensitivity', /price_sensitiv/],
  ['preferredChannel', /preferred_channel/],
  ['shoppingGoal', /shopping_goal/],
  ['style', /(^|_)style($|_)/],
  ['interest', /interest/],
  // Before "monetary": the November–December share of spend is about when, not how much.
  ['season', /nov_dec|holiday|season/],
  ['recency', /recency|days_since_last/],
  ['tenure', /tenure|days_since_first|customer_age_days|seniority/],
  ['cart', /abandon/],
  ['discount', /discount|promo|coupon/],
  ['returns', /return/],
  ['emailEngagement', /email_(open|click|engagement)/],
  ['smsEngagement', /sms_(click|engagement)/],
  ['aov', /(^|_)aov($|_)|average_order|avg_order|basket_value/],
  ['monetary', /monetary|revenue|spend|(^|_)value_total/],
  ['frequency', /frequency|order_count|orders_count|n_orders|(^|_)orders($|_)/],
  ['sessions', /session|visit|page_view/],
  ['app', /(^|_)app($|_)/],
  ['store', /(^|_)store($|_)/],
  ['age', /(^|_)age($|_|_years)|birth_year/],
  ['category', /category|categories/],
];

/** Changes and comparisons of a measure (spend trend, previous-period spend) are not the measure. */
const NOT_A_ROLE = /trend|(^|_)prev(ious)?_/;

export function featureRole(name: string): FeatureRole | null {
  const lower = name.toLowerCase();
  if (NOT_A_ROLE.test(lower)) return null;
  for (const [role, pattern] of ROLE_PATTERNS) if (pattern.test(lower)) return role;
  return null;
}

/**
 * The level a per-level feature stands for: "beauty" for share_category_beauty or interest_beauty
 * (the catalogue's data-driven columns), null for other features.
 */
export function levelOfFeatureName(name: string): string | null {
  const match = /^(?:share_category|interest|share_brand)_(.+)$/.exec(name);
  return match ? (match[1] as string) : null;
}

/** The first feature of the list having the role (catalogue order), or null. */
export function featureWithRole(names: readonly string[], role: FeatureRole): string | null {
  return names.find((name) => featureRole(name) === role) ?? null;
}
