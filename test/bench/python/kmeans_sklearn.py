"""k-means reference: scikit-learn's Lloyd k-means on the benchmark's RFM features, one thread.

Usage: OMP_NUM_THREADS=1 python3 kmeans_sklearn.py FEATURES.csv SEEDS.csv K ITERATIONS RUNS
FEATURES.csv and SEEDS.csv (no header, 3 columns) come from test/bench/queries.ts
(kmeansFeaturesSql / kmeansSeedsSql). Exactly ITERATIONS iterations from the given centres:
n_init=1, tol=0 (it stops earlier only if the labels stop changing, reported as n_iter).
Reading the files is not timed; each run times fit(). Prints one JSON line:
{"runs": [ms, ...], "inertia": x, "n_iter": n, "sklearn": version}.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def main() -> None:
    features_path, seeds_path = sys.argv[1], sys.argv[2]
    k, iterations, runs = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    x = np.loadtxt(features_path, delimiter=",", dtype=np.float64, ndmin=2)
    seeds = np.loadtxt(seeds_path, delimiter=",", dtype=np.float64, ndmin=2)
    if seeds.shape[0] != k:
        raise SystemExit(f"expected {k} seeds, found {seeds.shape[0]}")
    times = []
    model = None
    with threadpool_limits(limits=1):
        for _ in range(runs):
            model = KMeans(n_clusters=k, init=seeds, n_init=1, max_iter=iterations, tol=0.0, algorithm="lloyd")
            t0 = time.perf_counter()
            model.fit(x)
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"runs": times, "inertia": float(model.inertia_), "n_iter": int(model.n_iter_), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
