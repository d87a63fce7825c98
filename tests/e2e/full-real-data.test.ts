// Issue 13's "Done when" on real exports: the rules of personas.json (tests/helpers/persona-properties.ts, shown to
// catch each broken rule by tests/personas/properties-checker.test.ts) hold on the whole CDNOW master cohort and the
// whole Online Retail file, each run once for this file with its shipped config.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { queryRows, quoteLiteral, withConnection } from '../../src/io/duckdb.js';
import type { PersonaDocument } from '../../src/personas/types.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { tempDir } from '../helpers/data-dir.js';
import { personaViolations, type Violation } from '../helpers/persona-properties.js';

interface RealRun {
  readonly name: string;
  /** Fixture file → the file name the shipped config reads. */
  readonly fixture: string;
  readonly fileName: string;
  readonly config: string;
  readonly asOf: string;
  readonly customers: number;
  /** Rules this run is held to. */
  readonly rules: readonly Violation['rule'][];
}

const RUNS: readonly RealRun[] = [
  { name: 'CDNOW master cohort', fixture: 'tests/fixtures/cdnow/cdnow_master.csv', fileName: 'cdnow_sample.csv', config: 'pipelines/conf/cdnow.yaml', asOf: '1998-06-30', customers: 23_570, rules: ['shares', 'names', 'dates', 'figures', 'lapsed', 'french'] },
  { name: 'Online Retail, whole file', fixture: 'tests/fixtures/online-retail/online_retail.parquet', fileName: 'online_retail.parquet', config: 'pipelines/conf/online-retail.yaml', asOf: '2011-12-09', customers: 4_372, rules: ['shares', 'names', 'dates', 'figures', 'lapsed', 'french'] },
];

const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(RUNS)('$name', (spec) => {
  let doc: PersonaDocument;
  let violations: Violation[];
  let out: string;

  beforeAll(async () => {
    const dir = tempDir('personae-real-');
    dirs.push(dir);
    const data = join(dir, 'data');
    mkdirSync(data);
    copyFileSync(spec.fixture, join(data, spec.fileName));
    out = join(dir, 'out');
    const code = await main(['run', '--data', data, '--config', spec.config, '--as-of', spec.asOf, '--out', out, '--json']);
    expect(code, `personae run exit code for ${spec.name}`).toBe(0);
    doc = JSON.parse(readFileSync(join(out, 'personas.json'), 'utf8')) as PersonaDocument;
    violations = personaViolations(doc);
  }, 1_200_000);

  it('keeps every rule it is held to', () => {
    expect(doc.personas.length).toBeGreaterThan(1);
    expect(violations.filter((v) => spec.rules.includes(v.rule)).map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
  });

  it('covers every customer of the file, and dates every action', () => {
    expect(doc.population.customers).toBe(spec.customers);
    expect(doc.personas.reduce((s, p) => s + p.size, 0) + doc.smallPersonas.filter((s) => s.action === 'suppressed').reduce((s, p) => s + p.size, 0)).toBe(spec.customers);
    expect(doc.personas.some((p) => p.actions.length > 0)).toBe(true);
  });

  it('gives lapsed customers a low mean P(alive) (scores.parquet)', async () => {
    const rows = await withConnection((c) =>
      queryRows<{ lifecycle: string; n: bigint; p_alive: number | null }>(
        c,
        `SELECT lifecycle, count(*) AS n, avg(p_alive) AS p_alive FROM read_parquet(${quoteLiteral(join(out, 'scores.parquet'))}) GROUP BY lifecycle`,
      ),
    );
    const lapsed = rows.find((r) => r.lifecycle === 'lapsed');
    expect(Number(lapsed?.n ?? 0)).toBeGreaterThan(0);
    expect(lapsed?.p_alive).toBeLessThan(0.5);
  });

  it('says the data is orders only, shows reachability as unknown, and suggests nothing that needs consent data', () => {
    for (const lang of ['en', 'fr'] as const) {
      const model = buildReportModel(doc, lang);
      expect(model.subtitle).toMatch(lang === 'en' ? /order history only/ : /historique de commandes/);
      for (const p of doc.personas) expect(p.reachability).toBeNull();
      const actions = doc.personas.flatMap((p) => p.actions.map((a) => a.rule));
      expect(actions).not.toContain('grow_consent');
      // A suggestion says each thing once: no "P1: P1:" and no repeated sentence.
      for (const item of model.notices.flatMap((n) => n.items)) {
        expect(item).not.toMatch(/\b(P\d+): \1:/);
        const sentences = item.split(/(?<=\.) /);
        expect(new Set(sentences).size, item).toBe(sentences.length);
      }
    }
  });
});
