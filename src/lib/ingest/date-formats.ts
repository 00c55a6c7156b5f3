/**
 * The date formats a user can pick to turn a text column into dates (table details), and the SQL
 * that previews a pick. The loader applies the pick (LoadOptions.dateFormats) on every load.
 */
import { ident, str } from '../sql/quote';

/** A format the picker offers: strptime codes and how it is shown. */
export interface DateFormatChoice {
  format: string;
  label: string;
}

/** The formats offered, most common first. */
export const DATE_FORMAT_CHOICES: DateFormatChoice[] = [
  { format: '%m/%d/%Y', label: 'M/D/YYYY' },
  { format: '%d/%m/%Y', label: 'D/M/YYYY' },
  { format: '%d.%m.%Y', label: 'D.M.YYYY' },
  { format: '%m-%d-%Y', label: 'M-D-YYYY' },
  { format: '%d-%m-%Y', label: 'D-M-YYYY' },
  { format: '%Y/%m/%d', label: 'YYYY/M/D' },
  { format: '%Y.%m.%d', label: 'YYYY.M.D' },
  { format: '%Y-%m-%d', label: 'YYYY-M-D' },
  { format: '%Y%m%d', label: 'YYYYMMDD' },
  { format: '%Y年%m月%d日', label: 'YYYY年M月D日' },
];

/** The date format with the time of day forms that may follow it. */
export function withTimes(format: string): string[] {
  return [`${format} %H:%M:%S`, `${format} %H:%M`, format];
}

/** The parse of a text column with a format (NULL where it does not read). */
export function parseDateExpr(column: string, format: string): string {
  const formats = withTimes(format).map(str).join(', ');
  return `try_strptime(trim(${ident(column)}), [${formats}])`;
}

/** Up to `limit` distinct values with how they read, and the count of values that do not read. */
export function datePreviewSql(table: string, column: string, format: string, limit = 6): string {
  const c = ident(column);
  const parsed = parseDateExpr(column, format);
  return `SELECT v AS value, strftime(p, '%Y-%m-%d %H:%M') AS reads_as,
    (SELECT count(*) FROM ${ident(table)} WHERE nullif(trim(${c}), '') IS NOT NULL AND ${parsed} IS NULL)::DOUBLE AS unreadable
  FROM (SELECT DISTINCT ${c} AS v, ${parsed} AS p FROM ${ident(table)} WHERE ${c} IS NOT NULL ORDER BY ${c} LIMIT ${Math.max(1, Math.floor(limit))})`;
}
