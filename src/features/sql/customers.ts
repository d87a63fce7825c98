import { DUCKDB, type SqlDialect } from '../../engine/dialect.js';
import type { FeaturePlan } from '../plan.js';
import { column, type FamilyCte, type FamilyQuery } from '../spec.js';
import { asOfSql, daysBefore, withinLastDays } from './as-of.js';

const DEVICE_WINDOW_DAYS = 90;

/**
 * Signup tenure (value), country/region (geography) and device (technographic) from customers; the
 * device falls back to the most used device in recent events. City is PII and never becomes a feature.
 * Customers created after the as-of date are not known yet: their attributes stay empty.
 */
export function customerFamilies(plan: FeaturePlan, d: SqlDialect = DUCKDB): FamilyQuery[] {
  const at = asOfSql(plan.asOf);
  const details = plan.customers?.details ?? new Set();
  const families: FamilyQuery[] = [];
  const cteList: FamilyCte[] = [];
  if (plan.customers && details.size > 0) {
    const fields = [...details].map((detail) =>
      detail === 'created_at'
        ? 'min(CAST(created_at AS DATE)) AS signup_d'
        : detail === 'device'
          ? 'max(device) AS device'
          : `max(${detail}) AS ${detail}`,
    );
    cteList.push({
      name: 'cu',
      sql: `SELECT customer_id, ${fields.join(', ')}
  FROM customers WHERE created_at IS NULL OR created_at <= ${at.end} GROUP BY customer_id${d.everyGroup}`,
      joined: true,
    });
  }
  if (details.has('created_at')) {
    families.push({
      family: 'value',
      ctes: [],
      columns: [
        column('tenure_signup_days', `CAST(${daysBefore(at, 'cu.signup_d')} AS ${d.double})`, {
          family: 'value',
          unit: 'days',
          missing: 'median',
          description: {
            en: 'Days since the customer signed up (customers.created_at); empty when unknown.',
            fr: "Jours depuis l'inscription du client (customers.created_at) ; vide si inconnue.",
          },
          label: { en: 'days since signup', fr: "jours depuis l'inscription" },
        }),
      ],
    });
  }
  const geography = [];
  if (details.has('country')) {
    geography.push(
      column('country', 'upper(trim(cu.country))', {
        family: 'geography',
        kind: 'categorical',
        description: { en: 'Country (ISO 3166 code) from the customer record.', fr: 'Pays (code ISO 3166) de la fiche client.' },
        label: { en: 'country', fr: 'pays' },
      }),
    );
  }
  if (details.has('region')) {
    geography.push(
      column('region', 'trim(cu.region)', {
        family: 'geography',
        kind: 'categorical',
        description: {
          en: 'Region or state from the customer record (the city is personal data and is never used).',
          fr: "Région ou État de la fiche client (la ville est une donnée personnelle et n'est jamais utilisée).",
        },
        label: { en: 'region', fr: 'région' },
      }),
    );
  }
  if (geography.length > 0) families.push({ family: 'geography', ctes: [], columns: geography });

  const eventDevice = plan.events?.details.has('device') ?? false;
  if (details.has('device') || eventDevice) {
    const sources = [details.has('device') ? 'cu.device' : undefined, eventDevice ? 'edev.device' : undefined].filter(Boolean);
    if (eventDevice) {
      const recentDevices = `events WHERE occurred_at <= ${at.end} AND ${withinLastDays(at, 'CAST(occurred_at AS DATE)', DEVICE_WINDOW_DAYS)} AND device IS NOT NULL`;
      cteList.push({
        name: 'edev',
        // Most frequent device of recent events; ties go to the alphabetically first device. PostgreSQL's
        // mode() keeps the first of equally frequent values in its ORDER BY: the same device in one aggregate,
        // which a coordinator sends to the shards (it cannot send an aggregate of the counts' aggregate).
        sql: d.shardable
          ? `SELECT customer_id, mode() WITHIN GROUP (ORDER BY device) AS device FROM ${recentDevices}
  GROUP BY customer_id${d.everyGroup}`
          : `SELECT customer_id, ${d.firstBy('device', 'n DESC, device')} AS device FROM (
    SELECT customer_id, device, count(*) AS n
    FROM ${recentDevices}
    GROUP BY customer_id, device) AS device_counts
  GROUP BY customer_id`,
        joined: true,
      });
    }
    families.push({
      family: 'technographic',
      ctes: [],
      columns: [
        column('device', sources.length > 1 ? `coalesce(${sources.join(', ')})` : String(sources[0]), {
          family: 'technographic',
          kind: 'categorical',
          description: {
            en: `Main device: the customer record's device, else the most used device in events of the last ${DEVICE_WINDOW_DAYS} days.`,
            fr: `Appareil principal : celui de la fiche client, sinon le plus utilisé dans les événements des ${DEVICE_WINDOW_DAYS} derniers jours.`,
          },
          label: { en: 'device', fr: 'appareil' },
        }),
      ],
    });
  }
  if (families.length > 0 && cteList.length > 0) {
    const first = families[0] as FamilyQuery;
    families[0] = { ...first, ctes: [...cteList, ...first.ctes] };
  }
  return families;
}
