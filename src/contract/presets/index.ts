import { PRESTASHOP } from './prestashop.js';
import { SHOPIFY } from './shopify.js';
import type { Preset } from './types.js';
import { WOOCOMMERCE } from './woocommerce.js';

export type { Preset, TablePreset } from './types.js';

export const PRESET_NAMES = ['shopify', 'woocommerce', 'prestashop'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  shopify: SHOPIFY,
  woocommerce: WOOCOMMERCE,
  prestashop: PRESTASHOP,
};
