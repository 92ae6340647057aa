#!/usr/bin/env bash
# Peak resident memory of `remoteclip embed` (GNU time's "Maximum resident set size") per model and engine;
# prints a Markdown table for the README's memory section.
#
#   bench/memory.sh [--archs "ViT-B-32 RN50 ViT-L-14"] [--work DIR] [--images DIR] [--count 4] [--safetensors]
#
# For each architecture it writes a random-initialised float32 checkpoint into --work (once; ViT-L-14 is
# 1.7 GB), then runs, one process at a time: embed on the DJL engine; embed --engine onnxruntime with an
# empty cache (the first run exports the model to ONNX and loads it); the same again (the cached export).
# --safetensors measures .safetensors checkpoints instead of .pt. The images are the first --count files of
# --images (default: the repository's examples/images). The launcher's defaults apply (-Xmx4g unless
# REMOTECLIP_JAVA_OPTS says otherwise, its malloc settings). The machine may be shared: the load average at
# the start of each row is printed with it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
archs="ViT-B-32 RN50 ViT-L-14" work="${TMPDIR:-/tmp}/remoteclip-memory" images="$here/examples/images" count=4 ext=pt
usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --archs) archs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --safetensors) ext=safetensors; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "memory.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -x /usr/bin/time ]; then
  echo "memory.sh: GNU time is needed (/usr/bin/time: apt-get install -y time)" >&2; exit 69
fi
cli="$here/remoteclip-cli/target"
if ! ls "$cli"/remoteclip-cli-*.jar >/dev/null 2>&1; then
  (cd "$here" && ./mvnw -q -B -DskipTests package >&2)
fi
jar=$(ls "$cli"/remoteclip-cli-*.jar | grep -v -- '-tests.jar' | head -1)
vocab="$here/models/remoteclip-mini/vocab.txt.gz" # image embedding does not use it; any vocabulary that fits will do
rm -rf "$work/images" && mkdir -p "$work/images"
find "$images" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.png' -o -iname '*.tif' \) | sort | head -n "$count" \
  | while read -r f; do cp "$f" "$work/images/"; done

# peak RSS of one run in MB (10^6 bytes, as the checkpoint's size; GNU time reports KiB); output in $work/last.log
peak() {
  if ! /usr/bin/time -v "$@" >"$work/last.log" 2>&1; then
    echo "memory.sh: failed: $* (see $work/last.log)" >&2; exit 1
  fi
  awk '/Maximum resident set size/ {printf "%d", $NF * 1024 / 1e6}' "$work/last.log"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "| model | checkpoint | DJL peak RSS | ONNX Runtime, first run (export + load) | ONNX Runtime, cached export | load average |"
echo "|---|---:|---:|---:|---:|---|"
for arch in $archs; do
  ckpt="$work/$arch.$ext"
  if [ ! -f "$ckpt" ]; then
    java -Xmx4g -cp "$jar:$cli/lib/*" "$here/bench/RandomCheckpoint.java" "$arch" "$ckpt" >&2
  fi
  mb=$(( $(stat -c %s "$ckpt") / 1000000 ))
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  djl=$(peak "$here/bin/remoteclip" embed --model "$ckpt" --vocab "$vocab" --images "$work/images" --out "$work/djl.npy")
  rm -rf "$work/home"
  first=$(REMOTECLIP_HOME="$work/home" peak "$here/bin/remoteclip" embed --engine onnxruntime --model "$ckpt" --vocab "$vocab" \
    --images "$work/images" --out "$work/ort.npy")
  cached=$(REMOTECLIP_HOME="$work/home" peak "$here/bin/remoteclip" embed --engine onnxruntime --model "$ckpt" --vocab "$vocab" \
    --images "$work/images" --out "$work/ort.npy")
  rm -rf "$work/home"
  printf '| %s (.%s) | %s MB | %s MB (%s×) | %s MB (%s×) | %s MB (%s×) | %s |\n' "$arch" "$ext" "$mb" \
    "$djl" "$(ratio "$djl" "$mb")" "$first" "$(ratio "$first" "$mb")" "$cached" "$(ratio "$cached" "$mb")" "$load"
done
