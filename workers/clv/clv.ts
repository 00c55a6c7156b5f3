/**
 * Customer lifetime value over a horizon from a BG/NBD or Pareto/NBD fit (how many purchases) and
 * a Gamma-Gamma fit (how much each is worth).
 *
 * Discretisation: the horizon H (in the model's time unit) is cut into periods of length L (the
 * last one shorter if L does not divide H). The purchases expected in period k,
 * E[Y(t_k)] - E[Y(t_{k-1})] with t_k = min(kL, H), are valued at the end of the period with the
 * factor (1 + d)^-k, d being the discount rate per period:
 *
 *   CLV = E[Z | x, mbar] · Σ_k (E[Y(t_k) | x, t_x, T] - E[Y(t_{k-1}) | x, t_x, T]) · (1 + d)^-k.
 *
 * Without discounting this is exactly E[Y(H)] · E[Z] whatever L is. This is the scheme of the
 * `lifetimes` library (monthly periods and a monthly rate there). Spend per order is taken to be
 * independent of the number of orders, as the Gamma-Gamma model assumes.
 */
import type { BgNbdParams } from './bgnbd';
import { uniqueRows } from './compress';
import { ClvError } from './errors';
import { checkGammaGammaParams, gammaGammaExpectedSpend, type GammaGammaParams } from './gammagamma';
import { checkHistory, type CustomerHistory } from './history';
import { asPurchaseModel, type PurchaseModel } from './purchase-model';
import { t } from '../../src/lib/i18n';

/** Options of `customerValue`. */
export interface ClvOptions {
  /** Horizon in the model's time unit (e.g. 52 for a year in weeks). */
  horizon: number;
  /** Length of a discounting period in the same unit (default: the whole horizon, one period). */
  periodLength?: number;
  /** Discount rate per period, e.g. 0.01 per month (default 0). See `ratePerPeriod`. */
  discountRate?: number;
}

/** Per-customer predictions of `customerValue`. */
export interface CustomerValue {
  /** P(alive | x, t_x, T). */
  pAlive: Float64Array;
  /** Expected purchases over the horizon, undiscounted. */
  expectedPurchases: Float64Array;
  /** Expected value per order, E[Z | x, mbar] (the population mean for x = 0). */
  expectedSpend: Float64Array;
  /** Discounted expected value of the purchases over the horizon. */
  clv: Float64Array;
}

/**
 * CLV and its ingredients per customer (see the module comment for the discretisation) from a
 * purchase model, or BG/NBD parameters, and a Gamma-Gamma fit. `mbar` is
 * the mean value of each customer's repeat purchases (ignored where x = 0). Throws ClvError for
 * invalid input, or when the horizon is so long compared with the customers' ages that the
 * hypergeometric series does not converge.
 */
export function customerValue(
  purchases: BgNbdParams | PurchaseModel,
  gg: GammaGammaParams,
  data: CustomerHistory,
  mbar: Float64Array,
  opts: ClvOptions,
): CustomerValue {
  const model = asPurchaseModel(purchases);
  checkGammaGammaParams(gg);
  const n = checkHistory(data);
  if (mbar.length !== n) throw new ClvError(`There are ${n} customers but ${mbar.length} mean spends.`);
  const H = opts.horizon;
  const L = opts.periodLength ?? H;
  const d = opts.discountRate ?? 0;
  if (!(H > 0 && H < Infinity)) throw new ClvError(t('msg.clv.horizonFinite', { value: String(H) }));
  if (!(L > 0 && L < Infinity)) throw new ClvError(t('msg.clv.periodLength', { value: String(L) }));
  if (!(d > -1 && d < Infinity)) throw new ClvError(t('msg.clv.discountPeriod', { value: String(d) }));
  // Periods: ceil(H / L), tolerating rounding (52 / (52 / 12) is 12, not 12.000000000000002).
  const periods = Math.max(1, Math.ceil(H / L - 1e-9));
  if (periods > 100_000) throw new ClvError(t('msg.clv.tooManyPeriods', { periods }));
  const ends = new Float64Array(periods);
  const factors = new Float64Array(periods);
  for (let k = 1; k <= periods; k++) {
    ends[k - 1] = k === periods ? H : k * L;
    factors[k - 1] = Math.pow(1 + d, -k);
  }

  // The sum over periods depends only on (x, T); P(alive) carries the dependence on t_x.
  const pairs = uniqueRows([data.x, data.T]);
  const [ux, uT] = pairs.columns;
  const discounted = new Float64Array(ux.length);
  const total = new Float64Array(ux.length);
  for (let u = 0; u < ux.length; u++) {
    let prev = 0;
    let sum = 0;
    for (let k = 0; k < periods; k++) {
      const cum = model.aliveExpected(ends[k], ux[u], uT[u]);
      sum += (cum - prev) * factors[k];
      prev = cum;
    }
    discounted[u] = sum;
    total[u] = prev;
  }

  const pAlive = new Float64Array(n);
  const expectedPurchases = new Float64Array(n);
  const expectedSpend = new Float64Array(n);
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    if (x > 0 && !(mbar[i] >= 0 && mbar[i] < Infinity)) {
      throw new ClvError(`Customer ${i + 1}: mean spend must be finite and >= 0, got ${mbar[i]}.`);
    }
    const u = pairs.index[i];
    const alive = model.probabilityAlive(x, data.tx[i], data.T[i]);
    const spend = gammaGammaExpectedSpend(gg, x, mbar[i]);
    pAlive[i] = alive;
    expectedPurchases[i] = alive * total[u];
    expectedSpend[i] = spend;
    clv[i] = alive * discounted[u] * spend;
  }
  return { pAlive, expectedPurchases, expectedSpend, clv };
}

/**
 * The discount rate per period equivalent to an annual rate: (1 + annual)^(periodLength /
 * unitsPerYear) - 1, e.g. unitsPerYear = 365.25 for days or 365.25 / 7 for weeks.
 */
export function ratePerPeriod(annualRate: number, periodLength: number, unitsPerYear: number): number {
  if (!(annualRate > -1 && annualRate < Infinity)) {
    throw new ClvError(t('msg.clv.annualRate', { value: String(annualRate) }));
  }
  if (!(periodLength > 0 && unitsPerYear > 0)) {
    throw new ClvError(t('msg.clv.periodUnits', { length: String(periodLength), units: String(unitsPerYear) }));
  }
  return Math.pow(1 + annualRate, periodLength / unitsPerYear) - 1;
}
