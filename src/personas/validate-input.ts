import { inputError, show } from '../core/errors.js';
import type { PersonaInput, PredictionColumns, TimingPrediction } from './types.js';

/** Column names that are contact data: they may never become features, personas or report content. */
export const PII_NAMES = ['email', 'phone', 'first_name', 'last_name', 'name', 'full_name', 'city', 'address', 'street', 'postcode', 'zip', 'ip', 'ip_address'] as const;

const EMAIL_PATTERN = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
// Phone numbers start with +, 00 or a trunk 0 and have 9+ digits; "1000-5000" or "18-24" bands do not match.
const PHONE_PATTERN = /^(\+|00|0)[\d\s().-]{8,}$/;

function looksLikePhone(value: string): boolean {
  return PHONE_PATTERN.test(value) && value.replace(/\D/g, '').length >= 9;
}

function isPiiName(name: string): boolean {
  const lower = name.toLowerCase();
  if ((PII_NAMES as readonly string[]).includes(lower)) return true;
  // email_click_rate is behaviour, email_address is contact data.
  return /(^|_)(email|phone|first_name|last_name|city)(_|$)/.test(lower) && !/(^|_)(rate|share|count|open|click|sent|consent|engagement|days)(_|$)/.test(lower);
}

/** Checks the persona input once, with messages that name the field and how to fix it. */
export function validatePersonaInput(input: PersonaInput): void {
  const n = input.customerIds.length;
  const where = 'persona input';
  const sameLength = (what: string, length: number): void => {
    if (length !== n) inputError('personas.input.length', `${where}: ${what} has ${length} values but there are ${n} customers`, 'align every per-customer array with customerIds');
  };
  sameLength('labels', input.labels.length);
  sameLength('revenue', input.revenue.length);
  sameLength('orders', input.orders.length);
  const reach = input.reachability;
  if (reach) {
    sameLength('reachability.emailConsent', reach.emailConsent.length);
    sameLength('reachability.smsConsent', reach.smsConsent.length);
    if (reach.emailEngagement) sameLength('reachability.emailEngagement', reach.emailEngagement.length);
    if (reach.smsEngagement) sameLength('reachability.smsEngagement', reach.smsEngagement.length);
  }
  if (input.lifecycle) {
    sameLength('lifecycle.segment', input.lifecycle.segment.length);
    sameLength('lifecycle.vip', input.lifecycle.vip.length);
  }
  if (input.clusters.length === 0) inputError('personas.input.clusters', `${where}: no clusters`, 'cluster the customers before building personas');
  const ids = new Set<string>();
  for (const cluster of input.clusters) {
    if (ids.has(cluster.personaId)) inputError('personas.input.persona-id', `${where}: persona id ${show(cluster.personaId)} is given to two clusters`, 'persona lineage must give each cluster its own id');
    ids.add(cluster.personaId);
  }
  for (let i = 0; i < n; i++) {
    const label = input.labels[i] as number;
    if (label < 0 || label >= input.clusters.length) {
      inputError('personas.input.label', `${where}: customer row ${i} has cluster label ${label}, outside 0..${input.clusters.length - 1}`, 'pass one ClusterInput per cluster label');
    }
  }
  if (input.predictions && !Array.isArray(input.predictions)) {
    for (const [field, column] of Object.entries(input.predictions as PredictionColumns)) sameLength(`predictions.${field}`, column.length);
  } else if (input.predictions) {
    const list = input.predictions as readonly (TimingPrediction | null)[];
    sameLength('predictions', list.length);
    list.forEach((p, i) => {
      if (p !== null && p.customerId !== input.customerIds[i]) {
        inputError('personas.input.predictions', `${where}: prediction row ${i} is for customer ${show(p.customerId)} but the customer at that row is ${show(input.customerIds[i])}`, 'align predictions with customerIds (null for customers without one)');
      }
    });
  }
  for (const spec of input.features) {
    if (isPiiName(spec.name)) {
      inputError('personas.input.pii', `${where}: feature ${show(spec.name)} looks like contact data (PII)`, 'contact data is only used in channel exports; remove it from the features');
    }
    const column = input.columns[spec.name];
    if (column === undefined) inputError('personas.input.column', `${where}: feature ${show(spec.name)} has no column`, 'pass a column for every feature of the catalogue, or drop it from the catalogue');
    sameLength(`column ${spec.name}`, column.length);
    const numeric = column instanceof Float64Array;
    if (numeric !== (spec.kind !== 'categorical')) {
      inputError('personas.input.kind', `${where}: feature ${show(spec.name)} is ${spec.kind} but its column is ${numeric ? 'numeric' : 'text'}`, 'numeric and boolean features are Float64Array (booleans 0/1), categorical ones arrays of strings');
    }
    if (!numeric) {
      for (let i = 0; i < column.length; i++) {
        const value = column[i];
        if (value !== null && value !== undefined && (EMAIL_PATTERN.test(value) || looksLikePhone(value))) {
          inputError('personas.input.pii', `${where}: feature ${show(spec.name)} row ${i} holds a value that looks like an email address or phone number`, 'remove free-text contact data from categorical features');
        }
      }
    }
  }
}
