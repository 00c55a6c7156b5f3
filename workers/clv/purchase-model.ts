/**
 * A fitted purchase model — BG/NBD or Pareto/NBD — seen the way the CLV and holdout code use it:
 * P(alive), expected purchases given alive, and a new customer's expected purchases.
 */
import {
  bgnbdAliveExpected,
  bgnbdExpected,
  bgnbdPredict,
  bgnbdProbabilityAlive,
  checkBgNbdParams,
  type BgNbdParams,
} from './bgnbd';
import type { CustomerHistory, PurchasePrediction } from './history';
import { bgnbdOrderTime, paretonbdOrderTime, type AliveOrderTime } from './next-order';
import {
  checkParetoNbdParams,
  paretonbdAliveExpected,
  paretonbdExpected,
  paretonbdPredict,
  paretonbdProbabilityAlive,
  type ParetoNbdParams,
} from './paretonbd';

/** The purchase models the CLV cell offers. */
export type PurchaseModelName = 'bgnbd' | 'paretonbd';

/** A fitted purchase model's predictions (times in the unit it was fitted in). */
export interface PurchaseModel {
  readonly name: PurchaseModelName;
  /** P(alive | x, t_x, T). */
  probabilityAlive(x: number, tx: number, T: number): number;
  /** Expected purchases in (T, T + t] given alive at T, after x repeat purchases. */
  aliveExpected(t: number, x: number, T: number): number;
  /** E[X(t)]: expected repeat purchases of a new customer in their first t. */
  expected(t: number): number;
  /** P(alive) and E[Y(horizon) | x, t_x, T] for every customer. */
  predict(data: CustomerHistory, horizon: number): PurchasePrediction;
  /** The chance of another order within t given alive (next-order.ts). */
  orderTime: AliveOrderTime;
}

/** BG/NBD as a purchase model. Throws ClvError for invalid parameters. */
export function bgnbdModel(params: BgNbdParams): PurchaseModel {
  checkBgNbdParams(params);
  return {
    name: 'bgnbd',
    probabilityAlive: (x, tx, T) => bgnbdProbabilityAlive(params, x, tx, T),
    aliveExpected: (t, x, T) => bgnbdAliveExpected(params, t, x, T),
    expected: (t) => bgnbdExpected(params, t),
    predict: (data, horizon) => bgnbdPredict(params, data, horizon),
    orderTime: bgnbdOrderTime(params),
  };
}

/** Pareto/NBD as a purchase model. Throws ClvError for invalid parameters. */
export function paretonbdModel(params: ParetoNbdParams): PurchaseModel {
  checkParetoNbdParams(params);
  return {
    name: 'paretonbd',
    probabilityAlive: (x, tx, T) => paretonbdProbabilityAlive(params, x, tx, T),
    aliveExpected: (t, x, T) => paretonbdAliveExpected(params, t, x, T),
    expected: (t) => paretonbdExpected(params, t),
    predict: (data, horizon) => paretonbdPredict(params, data, horizon),
    orderTime: paretonbdOrderTime(params),
  };
}

/** A purchase model as given, or BG/NBD parameters (what the CLV functions took first) as one. */
export function asPurchaseModel(model: BgNbdParams | PurchaseModel): PurchaseModel {
  return 'probabilityAlive' in model ? model : bgnbdModel(model);
}
