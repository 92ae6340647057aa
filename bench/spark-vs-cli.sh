#!/usr/bin/env bash
# Spark local mode (bin/remoteclip-spark embed) vs one JVM (bin/remoteclip embed --normalize) on the same
# images, cores and model, run alternately; prints a Markdown table with wall-clock throughput (JVM start,
# model load and, for Spark, session start included: what a user waits for) and the Spark run's own split
# (session start, model load, job).
#
#   bench/spark-vs-cli.sh [--images DIR] [--rounds 2] [--model remoteclip-mini] [--master local[*]]
#                         [--batch-size 32] [--threads 0]
#
# --threads: the CLI's intra-op threads (0 = all cores); Spark runs one task per core with
# spark.task.cpus=1 intra-op thread each, so both use every core once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="$here/../shared/data/ucm-captions/images" rounds=2 model=remoteclip-mini master='local[*]' batch=32 threads=0
while [ $# -gt 0 ]; do
  case "$1" in
    --images) images="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --master) master="$2"; shift 2 ;;
    --batch-size) batch="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "spark-vs-cli.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$images" ] || { echo "spark-vs-cli.sh: $images: no such directory" >&2; exit 66; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
n=$(find "$images" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.tif' -o -iname '*.tiff' -o -iname '*.bmp' \) | wc -l)
now() { date +%s.%N; }

cli_rates=() spark_rates=() ratios=() splits=()
for r in $(seq 1 "$rounds"); do
  for side in $( [ $((r % 2)) -eq 1 ] && echo "cli spark" || echo "spark cli"); do
    if [ "$side" = cli ]; then
      t0=$(now)
      "$here/bin/remoteclip" embed --model "$model" --batch-size "$batch" --threads "$threads" --images "$images" \
        --normalize --out "$work/cli.npy" >/dev/null 2>"$work/cli.err"
      cli=$(echo "$n / ($(now) - $t0)" | bc -l)
    else
      rm -rf "$work/t.parquet" "$work/t.parquet.errors"
      t0=$(now)
      "$here/bin/remoteclip-spark" embed --master "$master" --model "$model" --batch-size "$batch" "$images" \
        --out "$work/t.parquet" >"$work/spark.out" 2>"$work/spark.err"
      spark=$(echo "$n / ($(now) - $t0)" | bc -l)
      splits+=("$(grep -h -E '(files: |^spark session|^model )' "$work/spark.out" | tr '\n' ' ')")
    fi
  done
  cli_rates+=("$cli") spark_rates+=("$spark") ratios+=("$(echo "$spark / $cli" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "| $n images, $model, $(nproc) cores, $rounds rounds | images/s (wall, median) |"
echo "|---|---|"
printf '| bin/remoteclip embed --normalize | %.1f |\n' "$(median "${cli_rates[@]}")"
printf '| bin/remoteclip-spark embed --master %s | %.1f |\n' "$master" "$(median "${spark_rates[@]}")"
printf '| ratio Spark / CLI (median of per-round ratios) | %.2f |\n' "$(median "${ratios[@]}")"
echo
echo "Spark run split (last round): ${splits[-1]}"
