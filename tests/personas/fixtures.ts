import type { FeatureSpec } from '../../src/features/types.js';

/** A catalogue entry for hand-built fixtures: label and description are the name. */
export function feature(name: string, kind: FeatureSpec['kind'], source: FeatureSpec['source'] = 'first-party', unit?: FeatureSpec['unit']): FeatureSpec {
  return {
    name,
    kind,
    source,
    family: source === 'zero-party' ? 'declared' : 'value',
    description: { en: name, fr: name },
    label: { en: name, fr: name },
    consentPurpose: 'profiling',
    transform: 'none',
    missing: 'median',
    clustering: true,
    ...(unit ? { unit } : {}),
  };
}
