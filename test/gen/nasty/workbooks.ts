/**
 * .xlsx files written from their XML parts by hand, so the corpus does not depend on the library
 * that reads them: ordinary sheets (numbers, text, dates by number format, title blocks, merged
 * headers) and hostile ones (zip bomb, external links, formulas, entity declarations).
 */
import { bombDeflate, makeZip, type ZipInput } from './zip';

/** A cell: number, string, boolean, a date as an Excel serial with a date format, a formula with its cached value, or empty. */
export type XCell = number | string | boolean | { serial: number } | { formula: string; cached: string | number } | null;

/** One sheet: its name, rows, and merged ranges such as "A4:B4". */
export interface XSheet {
  name: string;
  rows: XCell[][];
  merges?: string[];
  /** Replaces the <dimension> element's ref (a lie about the sheet's size). */
  dimension?: string;
  /** Raw XML placed before <worksheet> (for a DOCTYPE). */
  prolog?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Column letters for a 0-based index. */
export function colName(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function cellXml(v: XCell, ref: string): string {
  if (v === null) return '';
  if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
  if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
  if (typeof v === 'string') return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
  if ('serial' in v) return `<c r="${ref}" s="1"><v>${v.serial}</v></c>`;
  return typeof v.cached === 'number'
    ? `<c r="${ref}"><f>${esc(v.formula)}</f><v>${v.cached}</v></c>`
    : `<c r="${ref}" t="str"><f>${esc(v.formula)}</f><v>${esc(v.cached)}</v></c>`;
}

/** A worksheet part. */
export function sheetXml(s: XSheet): string {
  const rows = s.rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v, c) => cellXml(v, `${colName(c)}${i + 1}`)).join('')}</row>`)
    .join('');
  const width = Math.max(1, ...s.rows.map((r) => r.length));
  const ref = s.dimension ?? `A1:${colName(width - 1)}${Math.max(1, s.rows.length)}`;
  const merges = s.merges?.length ? `<mergeCells count="${s.merges.length}">${s.merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>` : '';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${s.prolog ?? ''}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="${ref}"/><sheetData>${rows}</sheetData>${merges}</worksheet>`;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`;

/** Extra parts and hooks for hostile workbooks. */
export interface WorkbookExtras {
  /** Target of an external link part (another workbook, a URL). */
  externalLink?: string;
  /** Extra parts added as they are. */
  parts?: ZipInput[];
  /** Replace a sheet part's data with a deflate bomb of this many MiB that claims to be small. */
  bombMegabytes?: number;
  /** Claim this uncompressed size for the first sheet (a declared bomb). */
  claimSheetSize?: number;
}

/** The bytes of an .xlsx with these sheets. */
export function makeXlsx(sheets: XSheet[], extras: WorkbookExtras = {}): Uint8Array {
  const ct = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets
    .map((_s, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
    .join('')}${extras.externalLink ? '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>' : ''}</Types>`;
  const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  const wb = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets
    .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('')}</sheets>${extras.externalLink ? `<externalReferences><externalReference r:id="rId${sheets.length + 2}"/></externalReferences>` : ''}</workbook>`;
  const wbRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((_s, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('')}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>${
    extras.externalLink ? `<Relationship Id="rId${sheets.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>` : ''
  }</Relationships>`;
  const entries: ZipInput[] = [
    { name: '[Content_Types].xml', data: ct },
    { name: '_rels/.rels', data: rels },
    { name: 'xl/workbook.xml', data: wb },
    { name: 'xl/_rels/workbook.xml.rels', data: wbRels },
    { name: 'xl/styles.xml', data: STYLES },
    ...sheets.map((s, i): ZipInput => {
      const entry: ZipInput = { name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetXml(s) };
      if (i === 0 && extras.bombMegabytes) return { ...entry, deflated: bombDeflate(extras.bombMegabytes), claimedSize: 4096 };
      if (i === 0 && extras.claimSheetSize) return { ...entry, claimedSize: extras.claimSheetSize };
      return entry;
    }),
  ];
  if (extras.externalLink) {
    entries.push(
      { name: 'xl/externalLinks/externalLink1.xml', data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="Secret"/></sheetNames></externalBook></externalLink>` },
      { name: 'xl/externalLinks/_rels/externalLink1.xml.rels', data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="${esc(extras.externalLink)}" TargetMode="External"/></Relationships>` },
    );
  }
  entries.push(...(extras.parts ?? []));
  return makeZip(entries);
}

/** Excel's serial day number for a UTC date (1900 date system). */
export function serial(y: number, m: number, d: number, hours = 0, minutes = 0): number {
  return (Date.UTC(y, m - 1, d, hours, minutes) / 86_400_000) + 25569;
}
