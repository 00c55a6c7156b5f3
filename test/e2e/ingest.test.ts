/**
 * Issue 13 in the browser: real export shapes from the nasty corpus dropped on the page load with
 * every row and the right types (the UCI retail InvoiceNo read as text with a note, its US dates
 * as timestamps, "(blank)" customers missing; GBK Tmall order numbers exact; Telco TotalCharges
 * numeric; an Excel workbook below its title block; mixed line endings), and a truncated file is
 * refused naming its line. Counts come from the generators, as in the unit tests.
 */
import { describe, expect, test } from 'vitest';
import { NASTY_FILES } from '../gen/nasty/corpus';
import { appPerFile, dropFiles } from './browser';
import { runSql } from './cells';

const appOf = appPerFile();

const file = (name: string, as = name) => {
  const f = NASTY_FILES.find((x) => x.name === name);
  if (!f) throw new Error(`no corpus file ${name}`);
  return { name: as, bytes: f.bytes() };
};
const tableItem = (name: string) => appOf().page.locator(`[data-testid="table-item"][data-table="${name}"]`);

/** Opens a table's details and returns its columns' types from the profile. */
async function columnTypes(table: string, columns: string[]): Promise<Record<string, string>> {
  const item = tableItem(table);
  if ((await item.getByTestId('table-details').count()) === 0) await item.locator('button.row').click();
  await item.getByTestId('profile').waitFor({ timeout: 60_000 });
  const out: Record<string, string> = {};
  for (const c of columns) out[c] = ((await item.locator(`tr[data-column="${c}"] .ctype`).textContent()) ?? '').trim();
  return out;
}

describe('dropping real-world files', () => {
  test('UCI retail, Tmall GBK, Telco, a workbook and mixed line endings load with every row and the right types', async () => {
    await dropFiles(appOf().page, [
      file('uci-online-retail.csv'),
      file('tmall-orders-gbk.csv'),
      file('telco-churn.csv'),
      file('orders.xlsx', 'workbook.xlsx'),
      file('mixed-endings-lf-header.csv'),
    ]);
    for (const [table, rows] of [['uci_online_retail', '25,000 rows'], ['tmall_orders_gbk', '300 rows'], ['telco_churn', '7,043 rows'], ['workbook', '120 rows'], ['mixed_endings_lf_header', '500 rows']] as const) {
      await tableItem(table).filter({ hasText: rows }).waitFor({ timeout: 90_000 });
    }
    expect(await columnTypes('uci_online_retail', ['InvoiceNo', 'InvoiceDate', 'CustomerID', 'Quantity'])).toEqual({
      InvoiceNo: 'VARCHAR', InvoiceDate: 'TIMESTAMP', CustomerID: 'BIGINT', Quantity: 'BIGINT',
    });
    // The details say what was changed and where.
    const notes = tableItem('uci_online_retail').getByTestId('load-note');
    expect(await notes.filter({ hasText: 'InvoiceNo' }).first().textContent()).toMatch(/line 22106 holds "A563185"/);
    expect(await tableItem('uci_online_retail').locator('[data-testid="load-note"][data-code="placeholders"][data-column="CustomerID"]').textContent()).toMatch(/"\(blank\)"/);

    expect(await columnTypes('tmall_orders_gbk', ['订单编号', '买家实际支付金额', '订单付款时间'])).toEqual({ 订单编号: 'VARCHAR', 买家实际支付金额: 'DOUBLE', 订单付款时间: 'TIMESTAMP' });
    expect(await columnTypes('telco_churn', ['TotalCharges'])).toEqual({ TotalCharges: 'DOUBLE' });
    expect(await columnTypes('workbook', ['order_no', 'order_date', 'amount'])).toEqual({ order_no: 'VARCHAR', order_date: 'DATE', amount: 'DOUBLE' });
    expect(await columnTypes('mixed_endings_lf_header', ['id', 'amount'])).toEqual({ id: 'BIGINT', amount: 'DOUBLE' });

    // Values exact, checked in SQL: the guarded 19-digit order number, the cancellations, the blanks.
    expect(await runSql(appOf().page, `SELECT min(订单编号) AS id, (SELECT count(*) FROM uci_online_retail WHERE InvoiceNo LIKE 'C%') AS cancels, (SELECT count(*) FROM telco_churn WHERE TotalCharges IS NULL) AS blanks FROM tmall_orders_gbk`)).toEqual([
      '2000000000000000000', '321', '11',
    ]);
  });

  test('ambiguous dates stay text with a note, and the details turn them into dates with a picked format', async () => {
    await dropFiles(appOf().page, [file('ambiguous-dates.csv')]);
    const item = tableItem('ambiguous_dates');
    await item.filter({ hasText: '3 rows' }).waitFor({ timeout: 60_000 });
    expect(await columnTypes('ambiguous_dates', ['day'])).toEqual({ day: 'VARCHAR' });
    expect(await item.locator('[data-testid="load-note"][data-code="dates-ambiguous"]').textContent()).toMatch(/M\/D\/YYYY.*D\/M\/YYYY/);
    await item.getByTestId('convert-dates-toggle').click();
    await item.getByTestId('convert-column').selectOption('day');
    await item.getByTestId('convert-format').selectOption({ label: 'D/M/YYYY' });
    // The preview reads 05/03/2024 as 5 March.
    await item.getByTestId('convert-preview').filter({ hasText: '2024-03-05' }).waitFor();
    await item.getByTestId('convert-apply').click();
    await item.locator('tr[data-column="day"] .ctype').filter({ hasText: 'DATE' }).waitFor({ timeout: 60_000 });
    expect(await item.locator('[data-testid="load-note"][data-code="dates"]').textContent()).toMatch(/picked/);
  });

  test('a truncated file is refused naming its line, and the tables stay', async () => {
    await dropFiles(appOf().page, [file('truncated-mid-line.csv')]);
    const error = appOf().page.getByTestId('load-error').filter({ hasText: 'truncated-mid-line.csv' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/line 4: expected 3 fields but found 2\. The line reads: 7,8/);
    await expect(tableItem('uci_online_retail').textContent()).resolves.toContain('25,000 rows');
    // Its only trouble is a line with too few fields: it can be kept, with the missing field blank.
    await appOf().page.getByTestId('retry-pad').click();
    await tableItem('truncated_mid_line').filter({ hasText: '3 rows' }).waitFor({ timeout: 60_000 });
    await columnTypes('truncated_mid_line', []);
    expect(await tableItem('truncated_mid_line').locator('[data-testid="load-note"][data-code="lines-padded"]').textContent()).toMatch(/1 in all, the first is line 4/);
  });

  test('a file whose layout breaks opens the read options with a live preview of the first rows', async () => {
    const page = appOf().page;
    await dropFiles(page, [file('too-many-fields.csv')]);
    const form = page.getByTestId('read-options');
    await form.waitFor();
    // What each delimiter makes of the lines: a comma gives 3 fields on 100 of the 101 lines.
    expect(await form.getByTestId('read-trials').textContent()).toMatch(/, \(comma\): 3 fields on 100 of 101 lines/);
    expect(await form.getByTestId('read-delimiter').inputValue()).toBe(',');
    expect(await form.locator('[data-testid="read-preview"] thead').textContent()).toBe('abc');
    expect(await form.getByTestId('read-uneven').textContent()).toMatch(/the first is line 43, with 4/);
    // The preview follows the choices at once.
    await form.getByTestId('read-header').uncheck();
    await form.locator('[data-testid="read-preview"] thead', { hasText: 'column0' }).waitFor();
  });
});
