/**
 * Notebooks travel: a shared link and an exported notebook file open in review mode in a fresh
 * profile, and a file can carry the tables it reads.
 */
import { describe, expect, inject, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp } from './browser';
import { killProfileBrowsers, openQuiet, persistent, ready, sharedLink, typeSql, typeSqlAndRun, useTempDirs } from './notebook-helpers';
import { toDocument, type NotebookDoc } from '../../src/lib/notebook/document';
import { encodeShareFragment } from '../../src/lib/notebook/share-link';
import type { Cell } from '../../src/lib/notebook/cells';

useTempDirs(); // closes this file's browser after its tests

describe('sharing', () => {
  test('a shared link opens in review mode in a fresh profile; nothing runs until approved; results match', async () => {
    const app = await openQuiet('empty');
    try {
      await typeSql(app.page, "SELECT channel, count(*) AS n FROM orders GROUP BY channel ORDER BY channel");
      await app.page.keyboard.press('Control+Enter');
      const last = app.page.getByTestId('cell').last();
      await last.and(app.page.locator('[data-status="done"]')).waitFor();
      const name = (await last.getAttribute('data-name'))!;
      const sharedRows = await last.getByTestId('row-count').getAttribute('data-rows');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-share').click();
      const link = await sharedLink(app.page);
      expect(link).toMatch(/#nb=[A-Za-z0-9_-]+$/);

      const other = await openApp({ path: link.slice(link.indexOf('#')) });
      try {
        const review = other.page.getByTestId('review-panel');
        await review.waitFor();
        const sql = await other.page.getByTestId('review-sql').allTextContents();
        expect(sql).toContain('SELECT channel, count(*) AS n FROM orders GROUP BY channel ORDER BY channel');
        expect(await other.page.getByTestId('cell').count()).toBe(0);
        expect(await other.page.locator('[data-testid="review-table"][data-status="matched"]').count()).toBeGreaterThan(0);
        await other.page.getByTestId('review-run').click();
        const cell = other.page.locator(`[data-testid="cell"][data-name="${name}"]`);
        await cell.and(other.page.locator('[data-status="done"]')).waitFor();
        expect(await cell.getByTestId('row-count').getAttribute('data-rows')).toBe(sharedRows);
        expect(other.foreignRequests).toEqual([]);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});

describe('notebook files', () => {
  test('an exported notebook file lists its expected tables and opens elsewhere in review mode', async () => {
    // The starter notebook (which reads both sample tables) with one result on screen that names a customer.
    const app = await openQuiet('starter');
    try {
      await typeSqlAndRun(app.page, 'SELECT min(customer_id) AS first_customer FROM customers');
      await app.page.getByTestId('cell').last().locator('[data-row="0"] .td').first().filter({ hasText: /^C00001$/ }).waitFor();
      const downloading = app.page.waitForEvent('download');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-export').click();
      const file = await downloading;
      const text = readFileSync((await file.path())!, 'utf8');
      const doc = JSON.parse(text) as NotebookDoc;
      expect(doc.format).toBe('segnote-notebook');
      expect(doc.version).toBe(3); // issue 14: CLV calibration end became the last day; issue 15: built-in segment names stored as keys
      expect(doc.tables.map((t) => t.name).sort()).toEqual(['customers', 'orders']);
      expect(doc.tables.find((t) => t.name === 'orders')?.columns.find((c) => c.name === 'order_date')?.type).toBe('DATE');
      expect(text).not.toContain('C00001');

      const other = await openQuiet('empty');
      try {
        await other.page.getByTestId('notebook-file-input').setInputFiles([{ name: 'shared.segnote.json', mimeType: 'application/json', buffer: Buffer.from(text) }]);
        await other.page.getByTestId('review-panel').waitFor();
        expect(await other.page.locator('[data-testid="review-table"][data-status="matched"]').count()).toBe(2);
        await other.page.getByTestId('review-discard').click();
        await other.page.getByTestId('review-panel').waitFor({ state: 'detached' });
        await other.page.getByTestId('notebook-file-input').setInputFiles([{ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something-else"}') }]);
        expect(await other.page.getByTestId('library-message').textContent()).toMatch(/not a Segnote notebook/);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});

describe('notebook files with data', () => {
  test('only when asked, the file carries the tables it reads; the receiver loads them from it', async () => {
    const app = await openQuiet('empty');
    try {
      await app.page.getByTestId('file-input').setInputFiles([{ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from('region,target\n北区,100\nSouth,250\n') }]);
      await app.page.locator('[data-table="targets"]').waitFor();
      await typeSqlAndRun(app.page, 'SELECT sum(target) AS total FROM targets');
      const plain = app.page.waitForEvent('download');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-export').click();
      expect(readFileSync((await (await plain).path())!, 'utf8')).not.toContain('"data"');
      const withData = app.page.waitForEvent('download');
      await app.page.getByTestId('notebooks-button').click();
      await app.page.getByTestId('nb-export-data').click();
      const text = readFileSync((await (await withData).path())!, 'utf8');
      const doc = JSON.parse(text) as NotebookDoc;
      expect(doc.tables.find((t) => t.name === 'targets')?.data?.format).toBe('parquet');

      const other = await openQuiet('empty');
      try {
        await other.page.getByTestId('notebook-file-input').setInputFiles([{ name: 'with-data.segnote.json', mimeType: 'application/json', buffer: Buffer.from(text) }]);
        const row = other.page.locator('[data-testid="review-table"]', { hasText: 'targets' });
        await row.and(other.page.locator('[data-status="missing"]')).waitFor();
        await row.getByTestId('review-load-data').click();
        await row.and(other.page.locator('[data-status="matched"]')).waitFor();
        await other.page.getByTestId('review-run').click();
        const cell = other.page.getByTestId('cell').last();
        await cell.and(other.page.locator('[data-status="done"]')).waitFor();
        await cell.locator('[data-row="0"] .td').first().filter({ hasText: /^350$/ }).waitFor();
        expect(other.foreignRequests).toEqual([]);
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});
