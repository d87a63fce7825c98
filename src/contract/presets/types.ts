import type { TableName } from '../schema.js';

/** How one export of a shop maps onto one table of the contract. */
export interface TablePreset {
  /** File names the shop gives this export, looked for when `<table>.csv` is not there. */
  readonly files: readonly string[];
  /** Rows sharing an order_id are lines of one order (orders only). */
  readonly lineItems?: boolean;
  /**
   * Contract column → SQL template over the export's columns (`{Name}`, `{Client|Customer}`: the first one
   * the file has). A column whose template names a column the file lacks is left unmapped.
   */
  readonly columns: Readonly<Record<string, string>>;
}

export interface Preset {
  readonly name: string;
  /** The documentation the column layout comes from. */
  readonly source: string;
  readonly tables: Partial<Record<TableName, TablePreset>>;
}
