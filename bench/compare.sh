#!/usr/bin/env bash
# Java (remoteclip bench) vs the plain-PyTorch baseline, run alternately on this machine; prints a Markdown
# table (medians over rounds) for the README's performance section.
#
#   bench/compare.sh [--rounds 3] [--batch-size 32] [--threads 2] [--archs "ViT-B-32 RN50"] [--vit-l]
#                    [--warmup 1] [--iters 3] [--images DIR] [--max-images 256] [--precision fp32|bf16]
#                    [--baseline FILE] [--openblas DIR | --stock-blas] [--raw FILE.jsonl] [--onnx]
#
# --onnx adds ONNX Runtime rows (remoteclip bench --engine onnxruntime, fp32 and --quantize int8) measured in
# the same rounds, next to the Java (DJL) run of each architecture (the three Java runs rotate their order).
# Every Java run also measures its engine's fp32 sgemm ceiling (remoteclip bench --ceiling); the ceiling table
# gives each tower's FLOP rate as a share of the best engine's sgemm in the same round.
#
# The machine may be shared: each round runs Java and PyTorch back to back (order flipped every round),
# and the ratio column is the median of the per-round ratios, which cancels slow drifts in machine load.
#
# The baseline is Debian's PyTorch (/usr/bin/python3, apt-get install -y python3-torch). Debian builds it
# against the generic BLAS interface; with only the reference BLAS installed its matrix products are
# several times slower than any optimised BLAS, which would flatter the Java side. So the baseline runs
# with OpenBLAS when it can find it (--openblas DIR, or the system's libopenblas0-pthread), and the table
# says which BLAS it used; --stock-blas measures the stock setup instead.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3 batch=32 threads=2 archs="ViT-B-32 RN50" warmup=1 iters=3 precision=fp32
images="" max_images=256 openblas="" stock_blas=0 raw="" onnx=0
baseline="${TORCH_BASELINE:-$here/../shared/bench/torch_clip_baseline.py}"
python=/usr/bin/python3

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --batch-size) batch="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --archs) archs="$2"; shift 2 ;;
    --vit-l) archs="$archs ViT-L-14"; shift ;;
    --warmup) warmup="$2"; shift 2 ;;
    --iters) iters="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --max-images) max_images="$2"; shift 2 ;;
    --precision) precision="$2"; shift 2 ;;
    --baseline) baseline="$2"; shift 2 ;;
    --openblas) openblas="$2"; shift 2 ;;
    --stock-blas) stock_blas=1; shift ;;
    --raw) raw="$2"; shift 2 ;;
    --onnx) onnx=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$images" ] && [ -d "$here/../shared/data/ucm-captions/images" ]; then
  images="$here/../shared/data/ucm-captions/images"
fi

# --- prerequisites -------------------------------------------------------------------------------------
if [ ! -f "$baseline" ]; then
  echo "compare.sh: PyTorch baseline script not found: $baseline (give it with --baseline FILE)" >&2; exit 66
fi
if [ ! -x "$python" ] || ! "$python" -c 'import torch' 2>/dev/null; then
  echo "compare.sh: $python has no PyTorch; install Debian's build first: apt-get install -y python3-torch" >&2
  exit 69
fi
cli="$here/remoteclip-cli/target"
if ! ls "$cli"/remoteclip-cli-*.jar >/dev/null 2>&1 || [ ! -d "$cli/lib" ]; then
  echo "compare.sh: building the project (./mvnw -q -B -DskipTests package)..." >&2
  (cd "$here" && ./mvnw -q -B -DskipTests package >&2)
fi

blas_env=()
blas_name="Debian default BLAS ($(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || echo unknown))"
if [ "$stock_blas" = 0 ]; then
  for d in "$openblas" /usr/lib/x86_64-linux-gnu/openblas-pthread; do
    if [ -n "$d" ] && [ -f "$d/libblas.so.3" ]; then
      blas_env=(env "LD_LIBRARY_PATH=$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"); blas_name="OpenBLAS ($d)"; break
    fi
  done
  if [ ${#blas_env[@]} = 0 ] && [ -n "$openblas" ]; then
    echo "compare.sh: --openblas $openblas has no libblas.so.3" >&2; exit 66
  fi
fi
case "$blas_name" in
  Debian*) echo "compare.sh: note: baseline uses $blas_name; if that is the reference BLAS, PyTorch's matrix" \
    "products are slow (apt-get install libopenblas0-pthread, or --openblas DIR, for a fair baseline)" >&2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_run() { # arch tower [extra args] -> JSON lines
  REMOTECLIP_JAVA_OPTS="${REMOTECLIP_JAVA_OPTS:--Xmx2g}" "$here/bin/remoteclip" bench --arch "$1" --tower "$2" \
    --batch-size "$batch" --threads "$threads" --warmup "$warmup" --iters "$iters" --precision "$precision" --json --ceiling \
    "${@:3}" 2>"$work/java.err" | grep '^{' || { cat "$work/java.err" >&2; return 1; }
}
torch_run() { # arch tower -> JSON lines
  local dtype=float32; [ "$precision" = bf16 ] && dtype=bfloat16
  "${blas_env[@]}" "$python" "$baseline" --arch "$1" --tower "$2" --batch-size "$batch" --threads "$threads" \
    --warmup "$warmup" --iters "$iters" --dtype "$dtype" 2>"$work/torch.err" | grep '^{' \
    || { cat "$work/torch.err" >&2; return 1; }
}

tag() { sed "s/^{/{\"round\": $1, /"; }

# --- measurements: Java and PyTorch alternate, the order flips every round -----------------------------
for r in $(seq 1 "$rounds"); do
  for arch in $archs; do
    echo "compare.sh: round $r/$rounds $arch" >&2
    if [ $((r % 2)) = 1 ]; then
      java_run "$arch" both | tag "$r" >>"$work/java.jsonl"; torch_run "$arch" both | tag "$r" >>"$work/torch.jsonl"
    else
      torch_run "$arch" both | tag "$r" >>"$work/torch.jsonl"; java_run "$arch" both | tag "$r" >>"$work/java.jsonl"
    fi
    if [ "$onnx" = 1 ]; then
      ort32() { java_run "$arch" both --engine onnxruntime | tag "$r" >>"$work/ort-fp32.jsonl"; }
      ort8() { java_run "$arch" both --engine onnxruntime --quantize int8 | tag "$r" >>"$work/ort-int8.jsonl"; }
      if [ $((r % 2)) = 1 ]; then ort32; ort8; else ort8; ort32; fi
    fi
  done
  if [ -n "$images" ]; then
    first="${archs%% *}"
    echo "compare.sh: round $r/$rounds end to end ($first over $images)" >&2
    java_run "$first" image --images "$images" --max-images "$max_images" | tag "$r" >>"$work/e2e.jsonl"
  fi
done
if [ -n "$raw" ]; then cat "$work"/*.jsonl >"$raw"; echo "compare.sh: raw measurements in $raw" >&2; fi

# --- table -----------------------------------------------------------------------------------------------
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
cores="$(nproc)"
torch_version="$("$python" -c 'import torch; print(torch.__version__)')"
java_version="$(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/')"
"$python" - "$work" "$archs" <<EOF
import json, os, statistics, sys
work, archs = sys.argv[1], sys.argv[2].split()
def load_all(name):
    p = os.path.join(work, name)
    return [json.loads(l) for l in open(p)] if os.path.exists(p) else []
def load(name):
    return [r for r in load_all(name) if "measure" not in r]
def ceilings(name):  # round -> median sgemm GFLOP/s of that engine in the round
    by_round = {}
    for r in load_all(name):
        if r.get("measure") == "sgemm-ceiling":
            by_round.setdefault(r["round"], []).append(r["gflops"])
    return {k: statistics.median(v) for k, v in by_round.items()}
java, torch = load("java.jsonl"), load("torch.jsonl")
e2e = [r for r in load("e2e.jsonl") if r["tower"] == "end-to-end"]
def med(rows, arch, tower):
    v = [r["items_per_s"] for r in rows if r["arch"] == arch and r["tower"] == tower]
    return (statistics.median(v), len(v)) if v else (float("nan"), 0)
def paired(arch, tower):
    by_round = lambda rows: {r["round"]: r["items_per_s"] for r in rows if r["arch"] == arch and r["tower"] == tower}
    j, t = by_round(java), by_round(torch)
    ratios = sorted(j[k] / t[k] for k in j if k in t)
    return statistics.median(ratios), ratios
print("Measured $(date -u +%Y-%m-%d) on $cpu, $cores cores (threads=$threads, batch=$batch, precision=$precision);")
print("Java: remoteclip bench (DJL, PyTorch 2.7.1 native, Java $java_version). PyTorch: torch_clip_baseline.py,")
print("torch $torch_version (Debian), BLAS: $blas_name. Medians over $rounds alternating rounds")
print("($warmup warm-up + $iters timed iterations each). Items/s = images/s or texts/s.")
print()
print("| Architecture | Tower | Java items/s | PyTorch items/s | Java / PyTorch | per-round ratios |")
print("|---|---|---:|---:|---:|---|")
for arch in archs:
    for tower in ("image", "text"):
        j, nj = med(java, arch, tower)
        t, nt = med(torch, arch, tower)
        ratio, ratios = paired(arch, tower)
        print(f"| {arch} | {tower} | {j:.2f} | {t:.2f} | **{ratio:.2f}x** | {', '.join(f'{x:.2f}' for x in ratios)} |")
ort32, ort8 = load("ort-fp32.jsonl"), load("ort-int8.jsonl")
if ort32 or ort8:
    def ratio_to_torch(rows, arch, tower):
        t = {r["round"]: r["items_per_s"] for r in torch if r["arch"] == arch and r["tower"] == tower}
        v = sorted(r["items_per_s"] / t[r["round"]] for r in rows if r["arch"] == arch and r["tower"] == tower and r["round"] in t)
        return (statistics.median(v), v) if v else (float("nan"), [])
    print()
    print("ONNX Runtime 1.23 (remoteclip bench --engine onnxruntime), same rounds:")
    print()
    print("| Architecture | Tower | DJL fp32 | ORT fp32 | ORT int8 | PyTorch | ORT fp32 / PyTorch | ORT int8 / PyTorch | int8 per-round ratios |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for arch in archs:
        for tower in ("image", "text"):
            j, _ = med(java, arch, tower); o32, _ = med(ort32, arch, tower); o8, _ = med(ort8, arch, tower)
            t, _ = med(torch, arch, tower)
            r32, _ = ratio_to_torch(ort32, arch, tower); r8, rs8 = ratio_to_torch(ort8, arch, tower)
            print(f"| {arch} | {tower} | {j:.2f} | {o32:.2f} | {o8:.2f} | {t:.2f} | {r32:.2f}x | **{r8:.2f}x** | {', '.join(f'{x:.2f}' for x in rs8)} |")
djl_ceiling, ort_ceiling = ceilings("java.jsonl"), ceilings("ort-fp32.jsonl")
if djl_ceiling:
    best = {k: max(v, ort_ceiling.get(k, 0)) for k, v in djl_ceiling.items()}
    def shares(rows, arch, tower):  # per round: FLOP rate / best fp32 sgemm of that round
        v = sorted(r["gflops"] / best[r["round"]] for r in rows
                   if r["arch"] == arch and r["tower"] == tower and "gflops" in r and r["round"] in best)
        return (statistics.median(v), v) if v else (float("nan"), [])
    fmt = lambda x: "n/a" if x != x else f"{100 * x:.0f}%"
    print()
    c_djl = statistics.median(djl_ceiling.values())
    c_ort = statistics.median(ort_ceiling.values()) if ort_ceiling else float("nan")
    print(f"Ceiling: the best of fp32 square sgemm n = 1024, 2048, 4096 (median rate each) on $threads threads, measured in every Java run (remoteclip bench --ceiling; ONNX Runtime with the second matrix constant, prepacked as weights are):"
          f" DJL {c_djl:.1f} GFLOP/s, ONNX Runtime {c_ort:.1f} GFLOP/s (medians); shares below are each tower's"
          " FLOP rate (open_clip FLOP counts, text at 21 positions) over the best engine's sgemm of the same round;"
          " for int8 the rate is compared with the rate that ceiling allows in fp32.")
    print()
    print("| Architecture | Tower | GFLOP/item | DJL fp32 share | ORT fp32 share | best fp32 share | ORT int8 / fp32 ceiling rate | int8 per-round |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for arch in archs:
        for tower in ("image", "text"):
            g = [r["gflop_per_item"] for r in java if r["arch"] == arch and r["tower"] == tower and "gflop_per_item" in r]
            d, _ = shares(java, arch, tower); o, _ = shares(ort32, arch, tower); q, qs = shares(ort8, arch, tower)
            best_share = max(x for x in (d, o) if x == x) if (d == d or o == o) else float("nan")
            print(f"| {arch} | {tower} | {g[0] if g else float('nan'):.2f} | {fmt(d)} | {fmt(o)} | **{fmt(best_share)}** |"
                  f" **{q:.2f}x** | {', '.join(f'{x:.2f}' for x in qs)} |")
if e2e:
    rate = statistics.median(r["items_per_s"] for r in e2e)
    pure = statistics.median(r["model_items_per_s"] for r in e2e)
    ratio = statistics.median(r["ratio"] for r in e2e)
    r0 = e2e[0]
    print()
    print(f"End to end ({r0['arch']}, {r0['images']} JPEG files of $images: decode + preprocess + encode):")
    print(f"{rate:.2f} images/s vs {pure:.2f} images/s pure model = {100 * ratio:.0f}% (median of {len(e2e)} runs);"
          f" peak RSS {max(r['peak_rss_mb'] for r in e2e):.0f} MB with -Xmx2g.")
EOF
