import { z } from 'zod';
import { campaignSettingsSchema } from '../campaigns/settings.js';
import { PRESET_NAMES } from '../contract/presets/index.js';
import { exportSettingsSchema, lifecycleSettingsSchema, rfmSettingsSchema } from './segments-schema.js';

/**
 * The configuration file (YAML), as data. Types come from z.infer; every setting has a default so that an
 * empty file is a valid config. Keys are snake_case as users write them in YAML.
 */
const columnSource = z.union([z.string().min(1), z.object({ sql: z.string().min(1) }).strict()]);

export const tableConfigSchema = z
  .object({
    /** File name (relative to the data directory) when it is not named after the table. */
    file: z.string().min(1).optional(),
    /** canonical column → source column name, or { sql: expression over source columns }. */
    columns: z.record(z.string(), columnSource).default({}),
    /** strptime format for this table's dates when they are not ISO 8601, e.g. '%Y%m%d' or '%d/%m/%Y'. */
    date_format: z
      .string()
      .regex(/^(?=.*%[dmYyjbBe])(?:[^%]|%[aAbBcdHIjmMpSTyYzZfeXx%])+$/, "must be a strptime format, e.g. '%d/%m/%Y'")
      .optional(),
    /** Decimal mark of this table's numbers: ',' for French exports (1 234,50). Detected when not set. */
    decimal: z.enum(['.', ',']).optional(),
    /** CSV field separator. Detected when not set. */
    separator: z.enum([',', ';', '\t', '|']).optional(),
    /** Rows sharing an order_id are lines of one order (summed), not duplicates. Orders only. */
    line_items: z.boolean().default(false),
  })
  .strict();

/** A PostgreSQL server and schema: the URL itself or the environment variable holding it. */
const postgresSettingSchema = z
  .object({
    url: z.string().regex(/^postgres(?:ql)?:\/\//i, 'must start with postgresql://').optional(),
    /** Name of the environment variable holding the URL (keeps the password out of the file). */
    env: z.string().min(1).optional(),
    schema: z.string().min(1).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    /** A directory of files, or `{postgres: {url | env, schema}}`: the contract's tables in a PostgreSQL schema. */
    data: z.union([z.string(), z.object({ postgres: postgresSettingSchema }).strict()]).optional(),
    as_of: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
      .optional(),
    out: z.string().optional(),
    /** `{postgres: {url | env, schema}}`: where `personae run` writes its scores, audiences and personas back. */
    write_back: z.object({ postgres: postgresSettingSchema }).strict().optional(),
    /** `tables.<t>.file` may name a file outside the data directory (refused unless set: an explicit opt-in). */
    allow_files_outside_data: z.boolean().default(false),
    seed: z.number().int().nonnegative().default(42),
    /** A shop's export layout (data/README.md, "Presets"): maps columns, line items and statuses. */
    preset: z.enum(PRESET_NAMES).optional(),
    /** ISO 4217 code all orders must use; by default the data set's most frequent currency. */
    currency: z.string().length(3).optional(),
    tables: z
      .object({
        orders: tableConfigSchema.optional(),
        customers: tableConfigSchema.optional(),
        events: tableConfigSchema.optional(),
        zero_party: tableConfigSchema.optional(),
        consent: tableConfigSchema.optional(),
        erasure: tableConfigSchema.optional(),
        campaigns: tableConfigSchema.optional(),
      })
      .strict()
      .default({}),
    consent: z
      .object({
        /** 'consent' requires a consent table; 'legitimate_interest' is recorded and shown in the report. */
        basis: z.enum(['consent', 'legitimate_interest']).default('consent'),
      })
      .strict()
      .default({ basis: 'consent' }),
    features: z
      .object({
        top_categories: z.number().int().min(1).max(50).default(8),
        top_brands: z.number().int().min(1).max(50).default(8),
      })
      .strict()
      .default({ top_categories: 8, top_brands: 8 }),
    clustering: z
      .object({
        k: z.union([z.literal('auto'), z.number().int().min(2).max(30)]).default('auto'),
        k_min: z.number().int().min(2).default(2),
        k_max: z.number().int().min(2).max(30).default(10),
        n_init: z.number().int().min(1).max(50).default(4),
        min_persona_size: z.number().int().min(1).default(50),
      })
      .strict()
      .default({ k: 'auto', k_min: 2, k_max: 10, n_init: 4, min_persona_size: 50 }),
    timing: z
      .object({
        /** Days in the holdout window used to evaluate the models. */
        holdout_days: z.number().int().min(90).max(360).default(90),
        clv_horizon_days: z.number().int().min(30).max(1825).default(365),
        /** Annual discount rate for CLV. */
        discount_rate: z.number().min(0).max(1).default(0.1),
        neural: z.boolean().default(true),
        neural_epochs: z.number().int().min(1).max(500).default(40),
        /** Most customer-windows the neural model trains on per backtest: a seeded sample beyond (bounds its memory and time). */
        neural_max_rows: z.number().int().min(1000).max(10_000_000).default(100_000),
        /**
         * Most customers the backtests grade (and whose features the neural backtests compute): a seeded
         * sample beyond, so that their cost stops growing with the customer base; every customer is still predicted.
         * Below neural_max_rows the neural model would train on fewer customer-windows (its cohorts are the sample's).
         */
        backtest_max_customers: z.number().int().min(1000).max(1_000_000_000).default(200_000),
      })
      .strict()
      .default({
        holdout_days: 90,
        clv_horizon_days: 365,
        discount_rate: 0.1,
        neural: true,
        neural_epochs: 40,
        neural_max_rows: 100_000,
        backtest_max_customers: 200_000,
      }),
    segments: z
      .object({
        /** YAML file of rule-based segments, relative to the config file. */
        rules_file: z.string().optional(),
        lifecycle: lifecycleSettingsSchema.prefault({}),
        rfm: rfmSettingsSchema.prefault({}),
        exports: exportSettingsSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    campaigns: campaignSettingsSchema.prefault({}),
    personas: z
      .object({ min_size: z.number().int().min(1).default(50) })
      .strict()
      .default({ min_size: 50 }),
    registry: z
      .object({ root: z.string().default('models'), keep: z.number().int().min(1).default(5) })
      .strict()
      .default({ root: 'models', keep: 5 }),
    gate: z
      .object({
        /** Relative worsening allowed per metric before the incumbent is kept. */
        tolerance: z.number().min(0).max(1).default(0.02),
      })
      .strict()
      .default({ tolerance: 0.02 }),
    /** The data engine's resources (DuckDB): what a huge input may take before it spills or stops. */
    engine: z
      .object({
        /** Memory DuckDB may use: a size ('4GB', '512MB') or a share of the machine's ('50%', the default). */
        memory_limit: z
          .string()
          .regex(
            /^\s*\d+(\.\d+)?\s*(%|[KMGT]i?B)\s*$/i,
            "must be a size such as '4GB' or '512MB', or a share of the machine's memory such as '50%'",
          )
          .optional(),
        /**
         * Folder DuckDB spills to past memory_limit, and where a run keeps its tables in a database file deleted at
         * the end (relative to the config file); default: under the system temp folder.
         */
        temp_directory: z.string().min(1).optional(),
        /** Most disk the spill may take, e.g. '20GB' (default: 90% of the free disk); the tables' file is not counted. */
        max_temp_directory_size: z
          .string()
          .regex(/^\s*\d+(\.\d+)?\s*[KMGT]i?B\s*$/i, "must be a size such as '20GB'")
          .optional(),
        /** Threads DuckDB uses (default: one per core). */
        threads: z.number().int().min(1).max(256).optional(),
      })
      .strict()
      .default({}),
    report: z
      .object({ lang: z.enum(['en', 'fr']).default('en') })
      .strict()
      .default({ lang: 'en' }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type TableConfig = z.infer<typeof tableConfigSchema>;
