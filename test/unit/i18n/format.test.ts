/**
 * Issue 15: numbers, money and dates for the interface language. Expected strings are written
 * by hand: 万 = 10^4 and 亿 = 10^8 (12,345 = 1.2345万 -> 1.23万 at three significant digits;
 * 450,000,000 = 4.5亿), English compact K/M as before.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { setCurrencyChoice, setLocale } from '../../../src/lib/i18n';
import {
  currencySymbol,
  formatCompact,
  formatDay,
  formatFigure,
  formatFull,
  formatMoney,
  formatPercent,
  formatSignificant,
  timeTickFormat,
} from '../../../src/lib/i18n/format';

afterEach(() => {
  setLocale('en');
  setCurrencyChoice(null);
});

describe('English', () => {
  test('tables show every digit, figures shown alone are compact from 10,000', () => {
    expect(formatFull(1234567.891)).toBe('1,234,567.89');
    expect(formatFull(12345, 0)).toBe('12,345');
    expect(formatFigure(9999)).toBe('9,999');
    expect(formatFigure(12345)).toBe('12.3K');
    expect(formatFigure(450_000_000)).toBe('450M');
    expect(formatCompact(5000)).toBe('5K');
    expect(formatFigure(null)).toBe('–');
  });

  test('no currency symbol by default (as the app always showed), the chosen one otherwise', () => {
    expect(currencySymbol()).toBe('');
    expect(formatMoney(999.994)).toBe('999.99');
    // Cents in full below 1,000, whole amounts whole.
    expect(formatMoney(425.9)).toBe('425.90');
    expect(formatMoney(233)).toBe('233');
    expect(formatMoney(1234.5)).toBe('1,235');
    expect(formatMoney(1234.5, { decimals: 'cents' })).toBe('1,234.50');
    setCurrencyChoice('$');
    expect(formatMoney(-12)).toBe('-$12');
    expect(formatMoney(123456, { figure: true })).toBe('$123K');
  });

  test('percentages and significant digits', () => {
    expect(formatPercent(0.236)).toBe('24%');
    expect(formatPercent(0.0142)).toBe('1.4%');
    expect(formatPercent(0.0004)).toBe('0.04%');
    expect(formatSignificant(4.41361)).toBe('4.414');
    expect(formatSignificant(0.24302)).toBe('0.243');
  });
});

describe('Simplified Chinese', () => {
  test('figures shown alone read as 万 and 亿; tables keep every digit', () => {
    setLocale('zh-CN');
    expect(formatFigure(12345)).toBe('1.23万');
    expect(formatFigure(450_000_000)).toBe('4.5亿');
    expect(formatFigure(123_456_789)).toBe('1.23亿');
    expect(formatFigure(-56789)).toBe('-5.68万');
    expect(formatFigure(9999)).toBe('9,999');
    expect(formatFull(12345)).toBe('12,345');
    expect(formatFull(450_000_000)).toBe('450,000,000');
    expect(formatCompact(5000)).toBe('5000');
  });

  test('¥ by default; a chosen symbol (or none) wins', () => {
    setLocale('zh-CN');
    expect(currencySymbol()).toBe('¥');
    expect(formatMoney(12345, { figure: true })).toBe('¥1.23万');
    expect(formatMoney(450_000_000, { figure: true })).toBe('¥4.5亿');
    expect(formatMoney(12345.6)).toBe('¥12,346');
    expect(formatMoney(66.325)).toBe('¥66.33');
    expect(formatMoney(-88, { decimals: 'cents' })).toBe('-¥88.00');
    expect(formatMoney(-0.001)).toBe('¥0');
    setCurrencyChoice('');
    expect(formatMoney(12345, { figure: true })).toBe('1.23万');
    setCurrencyChoice('$');
    expect(formatMoney(12345, { figure: true })).toBe('$1.23万');
  });

  test('days stay ISO in both languages; time ticks in Chinese words', () => {
    setLocale('zh-CN');
    expect(formatDay(Date.UTC(2024, 2, 5))).toBe('2024-03-05');
    expect(formatDay('2024-03-05')).toBe('2024-03-05');
    const months = [Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1), Date.UTC(2024, 4, 1)];
    expect(months.map(timeTickFormat(months))).toEqual(['2024年1月', '2024年3月', '2024年5月']);
    const years = [Date.UTC(2023, 0, 1), Date.UTC(2024, 0, 1)];
    expect(years.map(timeTickFormat(years))).toEqual(['2023年', '2024年']);
    const days = [Date.UTC(2024, 2, 5), Date.UTC(2024, 2, 12)];
    expect(days.map(timeTickFormat(days))).toEqual(['3月5日', '3月12日']);
    setLocale('en');
    expect(months.map(timeTickFormat(months))).toEqual(['Jan 2024', 'Mar 2024', 'May 2024']);
  });
});
