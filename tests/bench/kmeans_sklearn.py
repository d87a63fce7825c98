#!/usr/bin/python3
"""scikit-learn side of tests/bench/kmeans.bench.ts: a small server the bench drives over stdin/stdout.

Run by the bench with Debian's python3-sklearn (/usr/bin/python3), never by hand. argv: the data file (float64,
row-major), the number of columns, the number of clusters. Each stdin line is a JSON command; each reply is
one JSON line with wall and CPU seconds of the timed call only (threadpoolctl sets the thread count, as
scikit-learn's documentation recommends), plus what the bench checks for quality.
"""
import json
import resource
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans
from sklearn.cluster._kmeans import _kmeans_plusplus
from sklearn.metrics import silhouette_score
from sklearn.utils.extmath import row_norms

X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(-1, int(sys.argv[2]))
K = int(sys.argv[3])
INIT = X[:K].copy()
labels_cache = {}


def timed(call):
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def potential(centres):
    """Σ min_j ‖x − c_j‖² over all rows: the quality of a k-means++ seeding."""
    d2 = row_norms(X, squared=True)[:, None] - 2 * X @ centres.T + row_norms(centres, squared=True)[None, :]
    return float(np.maximum(d2.min(axis=1), 0).sum())


def labels_of(path):
    if path not in labels_cache:
        labels_cache[path] = np.fromfile(path, dtype=np.int32)
    return labels_cache[path]


def run(command):
    op = command["op"]
    with threadpool_limits(limits=command["threads"]):
        if op == "lloyd":
            km, wall, cpu = timed(lambda: KMeans(K, init=INIT, n_init=1, max_iter=command["maxIter"], tol=0,
                                                 algorithm="lloyd").fit(X))
            if command.get("saveLabels"):
                km.labels_.astype(np.int32).tofile(command["saveLabels"])
            return {"wall": wall, "cpu": cpu, "inertia": float(km.inertia_), "nIter": int(km.n_iter_)}
        if op == "full":
            km, wall, cpu = timed(lambda: KMeans(K, n_init=command["nInit"], random_state=command["seed"]).fit(X))
            return {"wall": wall, "cpu": cpu, "inertia": float(km.inertia_), "nIter": int(km.n_iter_)}
        if op == "kmeans++":
            norms = row_norms(X, squared=True)
            rng = np.random.RandomState(command["seed"])
            (centres, _), wall, cpu = timed(lambda: _kmeans_plusplus(X, K, norms, rng))
            return {"wall": wall, "cpu": cpu, "potential": potential(centres)}
        if op == "silhouette":
            labels = labels_of(command["labels"])
            score, wall, cpu = timed(lambda: silhouette_score(X, labels, sample_size=command["sampleSize"],
                                                              random_state=command["seed"]))
            return {"wall": wall, "cpu": cpu, "score": float(score)}
        if op == "silhouette-rows":
            rows = np.fromfile(command["rows"], dtype=np.int32)
            score = silhouette_score(X[rows], labels_of(command["labels"])[rows])
            return {"score": float(score)}
        if op == "rss":
            return {"maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    raise ValueError(f"unknown op {op}")


for line in sys.stdin:
    print(json.dumps(run(json.loads(line))), flush=True)
