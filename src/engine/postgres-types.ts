import pg from 'pg';

/** PostgreSQL type OIDs whose text form Personae reads its own way. */
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/**
 * Values as the DuckDB engine returns them, so that both engines' rows compare equal: BIGINT as a number when
 * it is safe (else its digits), NUMERIC as a double, DATE and TIMESTAMP read as UTC (node-postgres reads them
 * in the process's time zone by default). TIMESTAMPTZ arrives with its offset (+00: sessions run in UTC).
 */
export const POSTGRES_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pg.types.getTypeParser(oid, format);
    switch (oid) {
      case OID.int8:
        return parseBigint;
      case OID.numeric:
        return Number;
      case OID.date:
        return (text: string) => utcDate(`${text}T00:00:00`);
      case OID.timestamp:
        return (text: string) => utcDate(text.replace(' ', 'T'));
      default:
        return pg.types.getTypeParser(oid, 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseBigint(text: string): number | string {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : text;
}

/** 'infinity' and dates before year 0 are not instants a JS Date holds: they stay text. */
function utcDate(isoLocal: string): Date | string {
  const date = new Date(`${isoLocal}Z`);
  return Number.isNaN(date.getTime()) ? isoLocal.replace('T', ' ') : date;
}
