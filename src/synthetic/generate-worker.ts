/**
 * A worker thread of `personae generate --workers N`: it generates the blocks of customers it is sent and
 * returns each table's lines as UTF-8 bytes. Order ids are left as `O000000000`: they are a sequence over the
 * whole data set, which only the main thread knows, so it writes their digits (see parallel.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableName } from '../contract/schema.js';
import {
  generationContext,
  newTally,
  writeCleanCustomers,
  type DatasetSink,
  type GenerateOptions,
} from './generate.js';
import { ORDER_ID_PLACEHOLDER, type BlockRequest, type BlockResult } from './parallel.js';

const options = (workerData as { options: GenerateOptions }).options;
const context = generationContext(options);
const encoder = new TextEncoder();

parentPort?.on('message', (request: BlockRequest) => {
  // Each table's lines as text, encoded into chunks whenever bytes come for that table (order kept).
  const text: Partial<Record<TableName, string>> = {};
  const chunks: Partial<Record<TableName, Uint8Array[]>> = {};
  const encodeText = (table: TableName): void => {
    const lines = text[table];
    if (lines === undefined) return;
    (chunks[table] ??= []).push(encoder.encode(lines));
    delete text[table];
  };
  let truth = '';
  const sink: DatasetSink = {
    row: (table, line) => {
      text[table] = `${text[table] ?? ''}${line}\n`;
    },
    bytes: (table, bytes) => {
      encodeText(table);
      (chunks[table] ??= []).push(bytes.slice());
    },
    truth: (line) => {
      truth += `${line}\n`;
    },
    dirty: () => undefined,
  };
  const tally = newTally();
  writeCleanCustomers(options, context, request.from, request.to, sink, tally, () => ORDER_ID_PLACEHOLDER);
  const tables: Partial<Record<TableName, Uint8Array>> = {};
  for (const table of new Set([...Object.keys(text), ...Object.keys(chunks)]) as Set<TableName>) {
    encodeText(table);
    tables[table] = concatBytes(chunks[table] ?? []);
  }
  const truthBytes = encoder.encode(truth);
  const result: BlockResult = { block: request.block, tables, truth: truthBytes, tally };
  parentPort?.postMessage(result, [
    ...Object.values(tables).map((b) => b.buffer as ArrayBuffer),
    truthBytes.buffer as ArrayBuffer,
  ]);
});

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
