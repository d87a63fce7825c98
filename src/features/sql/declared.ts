import { DUCKDB, type SqlDialect } from '../../engine/dialect.js';
import { quoteLiteral } from '../../io/duckdb.js';
import type { FeaturePlan } from '../plan.js';
import { column, type FamilyQuery, type FeatureColumn } from '../spec.js';
import { asOfSql, type AsOfSql } from './as-of.js';

/**
 * The latest answer of each customer to each question as of the as-of date (answers given later are
 * unknown); ties on the timestamp go to the greatest answer so the result is deterministic.
 * Columns: customer_id, question, answer (trimmed).
 */
export function latestAnswersSql(at: AsOfSql, questions: readonly string[], d: SqlDialect = DUCKDB): string {
  return `SELECT customer_id, question, ${d.firstBy(LATEST_ANSWER[0], LATEST_ANSWER[1])} AS answer
  FROM ${knownAnswers(at, questions)}
  GROUP BY customer_id, question`;
}

/** The latest answer's value, and the order that puts it first. */
const LATEST_ANSWER = ['trim(answer)', 'answered_at DESC, answer DESC'] as const;

function knownAnswers(at: AsOfSql, questions: readonly string[]): string {
  return `zero_party WHERE answered_at <= ${at.end} AND question IN (${questions.map(quoteLiteral).join(', ')}) AND answer IS NOT NULL`;
}

/**
 * One row per customer, one column `q_<question>` per question: the latest answer to it. A shardable dialect
 * takes each question's latest answer in one aggregate (FILTER per question), which a coordinator sends whole
 * to the shards; DuckDB pivots the latest answers per question.
 */
function latestAnswerColumnsSql(at: AsOfSql, questions: readonly string[], d: SqlDialect): string {
  if (d.shardable) {
    const latest = questions.map(
      (q) => `${d.firstBy(LATEST_ANSWER[0], LATEST_ANSWER[1], `question = ${quoteLiteral(q)}`)} AS "q_${q}"`,
    );
    return `SELECT customer_id, ${latest.join(', ')}
  FROM ${knownAnswers(at, questions)} GROUP BY customer_id${d.everyGroup}`;
  }
  return `SELECT customer_id, ${questions.map((q) => `max(CASE WHEN question = ${quoteLiteral(q)} THEN answer END) AS "q_${q}"`).join(', ')}
  FROM (${latestAnswersSql(at, questions, d)}) AS latest GROUP BY customer_id`;
}

/** The items of a multi-valued answer ("running | Yoga") as a list of lower-case trimmed values. */
export function answerItemsSql(expr: string, d: SqlDialect = DUCKDB): string {
  return d.items(expr);
}

/** Age bands from a declared birth year; implausible years (age under 13 or over 110) stay empty. */
export const AGE_BANDS = ['13-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

function ageBandSql(d: SqlDialect, at: AsOfSql, birthYear: string): string {
  const age = `(${d.year(at.day)} - ${d.tryInteger(birthYear)})`;
  return `CASE WHEN ${age} IS NULL OR ${age} < 13 OR ${age} > 110 THEN NULL
    WHEN ${age} < 18 THEN '13-17' WHEN ${age} < 25 THEN '18-24' WHEN ${age} < 35 THEN '25-34'
    WHEN ${age} < 45 THEN '35-44' WHEN ${age} < 55 THEN '45-54' WHEN ${age} < 65 THEN '55-64' ELSE '65+' END`;
}

const CATEGORICAL = [
  { q: 'price_sensitivity', en: 'Declared price sensitivity', fr: 'Sensibilité au prix déclarée', le: 'price sensitivity', lf: 'sensibilité au prix' },
  { q: 'style', en: 'Declared style', fr: 'Style déclaré', le: 'style', lf: 'style' },
  { q: 'shopping_goal', en: 'Declared shopping goal', fr: "Objectif d'achat déclaré", le: 'shopping goal', lf: "objectif d'achat" },
  { q: 'preferred_channel', en: 'Declared preferred channel', fr: 'Canal préféré déclaré', le: 'preferred channel', lf: 'canal préféré' },
  { q: 'gender', en: 'Declared gender', fr: 'Genre déclaré', le: 'gender', lf: 'genre' },
] as const;

/** Declared (zero-party) family: the latest answer per known question, interests as one flag per top interest. */
export function declaredFamily(plan: FeaturePlan, d: SqlDialect = DUCKDB): FamilyQuery[] {
  const zp = plan.zeroParty;
  if (!zp || zp.questions.size === 0) return [];
  const at = asOfSql(plan.asOf);
  const questions = [...zp.questions].sort();
  const za = {
    name: 'za',
    sql: latestAnswerColumnsSql(at, questions, d),
    joined: true,
  };
  const zeroParty = { family: 'declared' as const, source: 'zero-party' as const };
  const columns: FeatureColumn[] = [];
  if (zp.questions.has('interests')) {
    for (const level of zp.interests) {
      columns.push(
        column(`interest_${level.slug}`, `coalesce(${d.listContains(answerItemsSql('za.q_interests', d), quoteLiteral(level.value))}, FALSE)`, {
          ...zeroParty,
          kind: 'boolean',
          description: {
            en: `Declared interest in "${level.value}" (latest answer to "interests", several values separated by |; one of the most declared interests).`,
            fr: `Intérêt déclaré pour « ${level.value} » (dernière réponse à « interests », valeurs séparées par | ; parmi les intérêts les plus déclarés).`,
          },
          label: { en: `interested in ${level.value}`, fr: `intéressé par ${level.value}` },
        }),
      );
    }
  }
  for (const c of CATEGORICAL) {
    if (!zp.questions.has(c.q)) continue;
    columns.push(
      column(`declared_${c.q}`, `lower(za.q_${c.q})`, {
        ...zeroParty,
        kind: 'categorical',
        description: {
          en: `${c.en}: latest answer to "${c.q}" as of the as-of date, lower-cased.`,
          fr: `${c.fr} : dernière réponse à « ${c.q} » à la date d'analyse, en minuscules.`,
        },
        label: { en: c.le, fr: c.lf },
      }),
    );
  }
  if (zp.questions.has('birth_year')) {
    columns.push(
      column('age_band', ageBandSql(d, at, 'za.q_birth_year'), {
        ...zeroParty,
        kind: 'categorical',
        description: {
          en: `Age band (${AGE_BANDS.join(', ')}) from the declared birth year at the as-of year; empty when absent or implausible. The birth year itself is not kept.`,
          fr: `Tranche d'âge (${AGE_BANDS.join(', ')}) d'après l'année de naissance déclarée ; vide si absente ou invraisemblable. L'année elle-même n'est pas conservée.`,
        },
        label: { en: 'age band', fr: "tranche d'âge" },
      }),
    );
  }
  return [{ family: 'declared', ctes: [za], columns }];
}
