/**
 * When a customer's next order is due, from a fitted purchase model (issue 17).
 *
 * Given that a customer with x repeat purchases is alive at the end of calibration T, and given
 * their purchase rate λ (and, in Pareto/NBD, dropout rate μ), the posterior is
 * λ ~ Gamma(r + x, α + T) (and μ ~ Gamma(s, β + T), independent of λ). The chance of at least one
 * order in the next t is then:
 * - BG/NBD: a customer drops out only right after a purchase, so one alive at T stays alive until
 *   the next one: G(t) = 1 - ((α+T) / (α+T+t))^(r+x).
 * - Pareto/NBD: the first purchase must come before the dropout:
 *   G(t) = ∫_0^t E[λ e^-λu] E[e^-μu] du = (r+x)(α+T)^(r+x)(β+T)^s ∫_0^t (α+T+u)^-(r+x+1) (β+T+u)^-s du,
 *   the integral a difference of two `logPowerTail` values.
 * Unconditionally, P(an order within t | x, t_x, T) = P(alive) · G(t). The next-order wait is the
 * first whole day d by which that reaches 1/2 (NaN when it stays below within the horizon).
 */
import type { BgNbdParams } from './bgnbd';
import { perRow, uniqueRows } from './compress';
import { ClvError } from './errors';
import { logPowerTail, type ParetoNbdParams } from './paretonbd';

/** The chance of at least one order in the next t given alive at T, and its density (times in the model's unit). */
export interface AliveOrderTime {
  /** G(t) = P(at least one order in (T, T + t] | alive at T, x). */
  within(t: number, x: number, T: number): number;
  /** dG/dt. */
  density(t: number, x: number, T: number): number;
}

/** G(t) and its density under BG/NBD (closed form; see the module comment). */
export function bgnbdOrderTime(p: BgNbdParams): AliveOrderTime {
  return {
    within: (t, x, T) => (t > 0 ? -Math.expm1(-(p.r + x) * Math.log1p(t / (p.alpha + T))) : 0),
    density: (t, x, T) => ((p.r + x) / (p.alpha + T)) * Math.exp(-(p.r + x + 1) * Math.log1p(t / (p.alpha + T))),
  };
}

/** G(t) and its density under Pareto/NBD (see the module comment); G is NaN where the 2F1 series fails. */
export function paretonbdOrderTime(p: ParetoNbdParams): AliveOrderTime {
  const { r, alpha, s, beta } = p;
  // ln C + ln I(0) of the last (x, T) asked for: a solve asks for one customer many times in a row.
  let lastX = NaN;
  let lastT = NaN;
  let logTotal = NaN;
  let from0 = NaN;
  return {
    within(t, x, T) {
      if (!(t > 0)) return 0;
      const A = alpha + T;
      const B = beta + T;
      const a = r + x;
      if (x !== lastX || T !== lastT) {
        from0 = logPowerTail(A, a + 1, B, s, 0);
        logTotal = Math.log(a) + a * Math.log(A) + s * Math.log(B) + from0;
        lastX = x;
        lastT = T;
      }
      const fromT = logPowerTail(A, a + 1, B, s, t);
      // C·[I(0) - I(t)], the difference taken in logs.
      return Math.exp(logTotal) * -Math.expm1(fromT - from0);
    },
    density(t, x, T) {
      const A = alpha + T;
      const B = beta + T;
      return ((r + x) / A) * Math.exp(-(r + x + 1) * Math.log1p(t / A) - s * Math.log1p(t / B));
    },
  };
}

/**
 * The t in (0, horizon] where G(t) = q (0 < q, G increasing and concave), by Newton steps kept
 * inside a shrinking bracket; NaN when G(horizon) < q or G cannot be computed.
 */
export function solveOrderTime(g: AliveOrderTime, q: number, x: number, T: number, horizon: number): number {
  const top = g.within(horizon, x, T);
  if (!(top >= q)) return NaN;
  let lo = 0;
  let hi = horizon;
  let t = 0;
  for (let iter = 0; iter < 100; iter++) {
    const v = g.within(t, x, T);
    if (Number.isNaN(v)) return NaN;
    if (v < q) lo = t;
    else hi = t;
    if (Math.abs(v - q) < 1e-12 || hi - lo < 1e-10 * (1 + hi)) break;
    let next = t + (q - v) / g.density(t, x, T);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    t = next;
  }
  return t;
}

/** Next-order predictions of every customer. */
export interface NextOrders {
  /** P(at least one order within the horizon) = P(alive) · G(horizon). */
  pOrder: Float64Array;
  /** Whole days after the end of calibration by which that chance reaches 1/2; NaN for none. */
  wait: Float64Array;
}

/**
 * P(an order within the horizon) and the next-order wait in whole days (see the module comment)
 * for every customer, from their x and T, their P(alive), the horizon (model unit) and the days per
 * unit. Solved once per distinct (x, T, P(alive)).
 */
export function nextOrders(
  g: AliveOrderTime,
  data: { x: Float64Array; T: Float64Array },
  pAlive: Float64Array,
  horizon: number,
  unitDays: number,
): NextOrders {
  const n = data.x.length;
  if (data.T.length !== n || pAlive.length !== n) throw new ClvError(`There are ${n} customers but ${pAlive.length} P(alive) values.`);
  if (!(horizon > 0 && horizon < Infinity)) throw new ClvError(`The horizon must be finite and > 0, got ${horizon}.`);
  const rows = uniqueRows([data.x, data.T, pAlive]);
  const [ux, uT, up] = rows.columns;
  const uOrder = new Float64Array(ux.length);
  const uWait = new Float64Array(ux.length);
  const horizonDays = horizon * unitDays;
  for (let u = 0; u < ux.length; u++) {
    const alive = up[u];
    uOrder[u] = alive * g.within(horizon, ux[u], uT[u]);
    uWait[u] = NaN;
    if (!(uOrder[u] >= 0.5) || !(alive > 0)) continue;
    const t = solveOrderTime(g, 0.5 / alive, ux[u], uT[u], horizon);
    if (Number.isNaN(t)) continue;
    // The first whole day by which the chance is reached (a hair of rounding is not a day).
    uWait[u] = Math.min(Math.ceil(horizonDays - 1e-7), Math.max(1, Math.ceil(t * unitDays - 1e-7)));
  }
  return { pOrder: perRow(uOrder, rows.index), wait: perRow(uWait, rows.index) };
}
