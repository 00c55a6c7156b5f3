"""Textbook RFM in pandas, the way it is usually written: groupby per customer, then quintile
scores with qcut over ranks (rank(method='first') so ties do not break qcut), then the same
11 segments as Segnote's default rule table with np.select.

Usage: python3 rfm_pandas.py ORDERS.csv RUNS
Loads the CSV once (not timed), then times the RFM RUNS times. Prints one JSON line:
{"runs": [ms, ...], "customers": n, "pandas": version}.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def rfm(df: pd.DataFrame) -> pd.DataFrame:
    as_of = df["order_date"].max() + pd.Timedelta(days=1)
    out = df.groupby("customer_id").agg(
        last_order=("order_date", "max"),
        frequency=("order_id", "nunique"),
        monetary=("amount", "sum"),
    )
    out["recency"] = (as_of - out["last_order"]).dt.days
    labels = [1, 2, 3, 4, 5]
    out["r"] = pd.qcut(out["recency"].rank(method="first", ascending=False), 5, labels=labels).astype(int)
    out["f"] = pd.qcut(out["frequency"].rank(method="first"), 5, labels=labels).astype(int)
    out["m"] = pd.qcut(out["monetary"].rank(method="first"), 5, labels=labels).astype(int)
    r, f, m = out["r"], out["f"], out["m"]
    conditions = [
        (r >= 4) & (f >= 4) & (m >= 4),
        (r >= 3) & (f >= 3) & (m >= 3),
        (r == 5) & (f == 1),
        r.isin([3, 4]) & (f == 1),
        r >= 4,
        r == 3,
        (r == 1) & (f >= 4) & (m >= 4),
        (r <= 2) & (f >= 3) & (m >= 3),
        r == 2,
        (r == 1) & (f >= 2),
    ]
    names = [
        "Champions", "Loyal Customers", "New Customers", "Promising", "Potential Loyalist",
        "Need Attention", "Can't Lose Them", "At Risk", "About To Sleep", "Hibernating",
    ]
    out["segment"] = np.select(conditions, names, default="Lost")
    return out


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2])
    df = pd.read_csv(path, parse_dates=["order_date"])
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = rfm(df)
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"runs": times, "customers": int(len(result)), "pandas": pd.__version__}))


if __name__ == "__main__":
    main()
