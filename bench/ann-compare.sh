#!/usr/bin/env bash
# remoteclip's vector index (bench search) against FAISS IndexHNSWFlat and hnswlib on the same .npy files, the
# same M / efConstruction (beam) / efSearch grid, in one run; prints one Markdown table: recall@k against
# queries/s per engine and ef, with build rate and peak memory.
#
#   bench/ann-compare.sh BASE.npy Q.npy [--m 32] [--beam 200] [--ef 16,32,64,128] [--k 10] [--threads 1,2]
#                        [--quantize none|int8|int4] [--build-threads 1] [--force-merge] [--raw FILE.jsonl] [--runs 5]
#                        [--engines faiss,hnswlib,remoteclip]
#   bench/ann-compare.sh --generate N,D DIR     (writes DIR/base.npy, DIR/queries.npy (1,000 queries, seed 42) and
#                                                DIR/base.parquet, the base rows as a table for index --from-parquet)
#
# Needs Debian's python3-faiss and python3-hnswlib (apt-get install -y python3-faiss python3-hnswlib); the
# Python is this benchmark's only (bench/ann_compare.py), never run-time. Each engine runs in its own process,
# so peak RSS is that engine's (the Python figure includes numpy's copy of BASE). "RSS searching" is the peak
# resident memory of the search phase alone: every engine drops its copy of BASE after the build and the exact
# top-k, then restarts the kernel's peak count (VmHWM, /proc/self/clear_refs) before the queries. Search q/s (1)
# is one query at a time on one thread; q/s (N thr) is the whole query set at N threads (FAISS/hnswlib: one
# batched call). Every timed pass runs --runs times in every engine and the best run counts, as ann-benchmarks does
# (a pass of a few hundred queries lasts a fraction of a second); p50/p99 pool the latencies of all runs.
# Builds run on --build-threads threads in every engine (remoteclip: the threads of its graph merges, as
# index --from-parquet --threads N); remoteclip's bulk build commits every 100,000 rows and ends in one segment.
# "vectors/CPU-s" divides the rows by the build's CPU time (all threads): on a shared machine, where wall-clock
# rates depend on what else runs, it compares what each build costs.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
if [ "${1:-}" = "--generate" ]; then
  [ $# -eq 3 ] || { usage >&2; exit 2; }
  mkdir -p "$3"
  exec "$here/bin/remoteclip" bench search --generate "$2" --base "$3/base.npy" --queries "$3/queries.npy" \
    --table "$3/base.parquet"
fi
[ $# -ge 2 ] || { usage >&2; exit 2; }
base=$1 queries=$2; shift 2
m=32 beam=200 ef=16,32,64,128 k=10 threads=1,2 quantize=none build_threads=1 runs=5 raw="" merge=() engines=faiss,hnswlib,remoteclip
while [ $# -gt 0 ]; do
  case $1 in
    --m) m=$2; shift 2;; --beam) beam=$2; shift 2;; --ef) ef=$2; shift 2;; --k) k=$2; shift 2;;
    --threads) threads=$2; shift 2;; --quantize) quantize=$2; shift 2;; --build-threads) build_threads=$2; shift 2;;
    --raw) raw=$2; shift 2;; --runs) runs=$2; shift 2;; --force-merge) merge=(--force-merge); shift;; --engines) engines=$2; shift 2;;
    -h|--help) usage; exit 0;;
    *) echo "ann-compare.sh: unknown option $1" >&2; usage >&2; exit 2;;
  esac
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
outputs=()
for engine in ${engines//,/ }; do
  case $engine in
    faiss|hnswlib)
      /usr/bin/python3 "$here/bench/ann_compare.py" $engine "$base" "$queries" --m "$m" --beam "$beam" --ef "$ef" \
        --k "$k" --threads "$threads" --build-threads "$build_threads" --runs "$runs" > "$tmp/$engine.json";;
    remoteclip)
      "$here/bin/remoteclip" bench search --base "$base" --queries "$queries" --m "$m" --beam "$beam" --ef "$ef" \
        -k "$k" --threads "$threads" --index-quantize "$quantize" --build-threads "$build_threads" --runs "$runs" "${merge[@]}" \
        --json > "$tmp/remoteclip.json";;
    *) echo "ann-compare.sh: unknown engine $engine (faiss, hnswlib, remoteclip)" >&2; exit 2;;
  esac
  outputs+=("$tmp/$engine.json")
done
[ -z "$raw" ] || cat "${outputs[@]}" > "$raw"
/usr/bin/python3 - "${outputs[@]}" <<'PY'
import json, sys
runs = [json.load(open(f)) for f in sys.argv[1:]]
r0 = runs[0]
print(f"{r0['n']} x {r0['dimension']} base, {r0['queries_count']} queries, k = {r0['k']}, M = {r0['m']}, "
      f"efConstruction = {r0['beam']}")
print()
tcols = list(runs[0]["results"][0]["qps_threads"].keys())
print("| engine | build vectors/s | vectors/CPU-s | peak RSS MB | RSS searching MB (× raw) | ef | recall@%d | q/s (1) "
      "| p50 ms | p99 ms | %s |" % (r0["k"], " | ".join(f"q/s ({t} thr)" for t in tcols)))
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(tcols))
for r in runs:
    name = r["engine"] + ("" if r.get("quantize", "none") == "none" else " " + r["quantize"]) \
        + (f" ({r['segments']} segments)" if r.get("segments", 1) > 1 else "")
    for i, e in enumerate(r["results"]):
        cpu = f"{r['n'] / r['build_cpu_seconds']:.0f}" if r.get("build_cpu_seconds") else ""
        searching = r.get("peak_rss_searching_bytes", -1)
        rss_s = (f"{searching / 1e6:.0f} ({searching / r['raw_vector_bytes']:.2f}×)" if searching > 0 else "")
        head = (f"| {name} | {r['build_vectors_per_s']:.0f} | {cpu} | {r['peak_rss_bytes'] / 1e6:.0f} | {rss_s} |"
                if i == 0 else "| | | | | |")
        print(f"{head} {e['ef']} | {e['recall']:.4f} | {e['qps_1']:.0f} | {e['p50_ms']:.3f} | {e['p99_ms']:.3f} | "
              + " | ".join(f"{e['qps_threads'][t]:.0f}" for t in tcols) + " |")
PY
