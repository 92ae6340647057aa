#!/usr/bin/env python3
"""One engine of bench/ann-compare.sh (a benchmark script, never run-time code): FAISS IndexHNSWFlat or hnswlib
on BASE.npy / Q.npy, inner product on L2-normalised rows (cosine, as remoteclip's index), the same M /
efConstruction / efSearch grid. Prints one JSON object in the shape of `remoteclip bench search --json`.

    python3 bench/ann_compare.py faiss|hnswlib BASE.npy Q.npy --m 32 --beam 200 --ef 16,32,64,128 --k 10 \
        --threads 1,2 --build-threads 1
"""
import argparse, gc, json, os, resource, sys, time

import numpy as np


def rss_peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def status_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return -1


def start_search_phase():
    """Restarts VmHWM at the current resident size (Linux 4.0+): the peak afterwards is searching's alone, as
    remoteclip's bench search measures it after dropping BASE. Returns the RSS at that point, or -1."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return status_bytes("VmRSS:")
    except OSError:
        return -1


def unit(a):
    a = np.ascontiguousarray(a, dtype=np.float32)
    return a / np.linalg.norm(a, axis=1, keepdims=True).clip(1e-12)


def exact(base, q, k):
    out = np.empty((len(q), k), dtype=np.int64)
    for s in range(0, len(q), 256):
        sims = q[s:s + 256] @ base.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1, kind="stable")
        out[s:s + 256] = np.take_along_axis(top, order, axis=1)
    return out


def recall(found, truth, k):
    return float(np.mean([len(set(f[:k].tolist()) & set(t[:k].tolist())) / k for f, t in zip(found, truth)]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("engine", choices=["faiss", "hnswlib"])
    p.add_argument("base")
    p.add_argument("queries")
    p.add_argument("--m", type=int, default=32)
    p.add_argument("--beam", type=int, default=200)
    p.add_argument("--ef", default="16,32,64,128")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--build-threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    efs = [int(x) for x in a.ef.split(",")]
    threads = [int(x) for x in a.threads.split(",")]
    base = unit(np.load(a.base))
    q = unit(np.load(a.queries))
    n, d = base.shape
    k = a.k
    t = time.perf_counter()
    truth = exact(base, q, k)
    exact_s = time.perf_counter() - t

    if a.engine == "faiss":
        import faiss
        faiss.omp_set_num_threads(a.build_threads)
        index = faiss.IndexHNSWFlat(d, a.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = a.beam
        t, cpu = time.perf_counter(), time.process_time()
        index.add(base)
        build_s, build_cpu = time.perf_counter() - t, time.process_time() - cpu

        def search_one(row, ef):
            index.hnsw.efSearch = ef
            return index.search(row, k)[1][0]

        def search_batch(ef, nt):
            faiss.omp_set_num_threads(nt)
            index.hnsw.efSearch = ef
            t0 = time.perf_counter()
            index.search(q, k)
            s = time.perf_counter() - t0
            faiss.omp_set_num_threads(1)
            return s
        faiss.omp_set_num_threads(1)
    else:
        import hnswlib
        index = hnswlib.Index(space="ip", dim=d)
        index.init_index(max_elements=n, ef_construction=a.beam, M=a.m, random_seed=42)
        t, cpu = time.perf_counter(), time.process_time()
        index.add_items(base, np.arange(n), num_threads=a.build_threads)
        build_s, build_cpu = time.perf_counter() - t, time.process_time() - cpu
        index.set_num_threads(1)

        def search_one(row, ef):
            index.set_ef(ef)
            return index.knn_query(row, k=k, num_threads=1)[0][0]

        def search_batch(ef, nt):
            index.set_ef(ef)
            t0 = time.perf_counter()
            index.knn_query(q, k=k, num_threads=nt)
            return time.perf_counter() - t0

    # both engines copied BASE into the index: drop numpy's copy before measuring what searching holds
    del base
    gc.collect()
    peak_before_search = rss_peak()  # restarting VmHWM restarts ru_maxrss too
    rss_before_search = start_search_phase()
    results = []
    for ef in efs:
        for i in range(min(200, len(q))):  # warm-up
            search_one(q[i:i + 1], ef)
        # each timed pass runs --runs times and the best counts (ann-benchmarks' convention): one pass of a few
        # hundred queries lasts a fraction of a second, where one stall decides the figure; latencies pool all runs
        lat = np.empty((a.runs, len(q)))
        found = np.empty((len(q), k), dtype=np.int64)
        walls = []
        for r in range(a.runs):
            t0 = time.perf_counter()
            for i in range(len(q)):
                s = time.perf_counter()
                found[i] = search_one(q[i:i + 1], ef)
                lat[r, i] = time.perf_counter() - s
            walls.append(time.perf_counter() - t0)
        lat_sorted = np.sort(lat.ravel())
        rank = lambda p: float(lat_sorted[max(0, min(len(lat_sorted) - 1, int(np.ceil(p * len(lat_sorted))) - 1))] * 1e3)
        results.append({"ef": ef, "recall": recall(found, truth, k), "qps_1": len(q) / min(walls),
                        "qps_1_runs": [len(q) / w for w in walls],
                        "p50_ms": rank(0.5), "p99_ms": rank(0.99),
                        "qps_threads": {str(nt): len(q) / min(search_batch(ef, nt) for _ in range(a.runs))
                                        for nt in threads}})
    print(json.dumps({"engine": a.engine, "base": a.base, "queries": a.queries, "n": n, "queries_count": len(q),
                      "dimension": d, "k": k, "quantize": "none", "runs": a.runs, "m": a.m, "beam": a.beam,
                      "build_seconds": build_s, "build_vectors_per_s": n / build_s, "build_threads": a.build_threads,
                      "build_cpu_seconds": build_cpu,
                      "raw_vector_bytes": n * d * 4, "peak_rss_bytes": max(peak_before_search, rss_peak()),
                      "rss_before_searching_bytes": rss_before_search,
                      "peak_rss_searching_bytes": status_bytes("VmHWM:") if rss_before_search > 0 else -1,
                      "exact_seconds": exact_s,
                      "results": results}))


if __name__ == "__main__":
    sys.exit(main())
