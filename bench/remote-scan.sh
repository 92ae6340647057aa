#!/usr/bin/env bash
# `scan` of a Cloud-Optimised GeoTIFF over loopback HTTP against the same file on local disk (windows/s, from
# scan --json), for docs/performance.md.
#
#   bench/remote-scan.sh [--size 4096] [--window 224] [--runs 2] [--work DIR]
#
# Makes a --size-square RGB COG of random bytes (incompressible: the most bytes per window; 256-px Deflate
# tiles, EPSG:32633) with gdal_translate, serves --work with bench/range_server.py on a free loopback port, and
# alternates local and HTTP scans (--runs each, built-in model, one text query) so that load on a shared
# machine falls on both alike. Needs gdal-bin, python3 and a packaged CLI (./mvnw -pl remoteclip-cli -am package).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size=4096 window=224 runs=2 work="${TMPDIR:-/tmp}/remoteclip-remote-scan"
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "remote-scan.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
cog="$work/cog-$size.tif"
if [ ! -f "$cog" ]; then
  head -c $((size * size * 3)) /dev/urandom > "$work/noise.raw"
  printf 'ENVI\nsamples = %d\nlines = %d\nbands = 3\nheader offset = 0\ndata type = 1\ninterleave = bip\nbyte order = 0\n' \
    "$size" "$size" > "$work/noise.hdr"
  gdal_translate -q -of COG -co BLOCKSIZE=256 -co COMPRESS=DEFLATE -a_srs EPSG:32633 \
    -a_ullr 500000 $((4000000 + size)) $((500000 + size)) 4000000 "$work/noise.raw" "$cog"
  rm -f "$work/noise.raw" "$work/noise.hdr"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
python3 "$here/bench/range_server.py" "$work" "$port" &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
sleep 1
scan() { # $1: label, $2: scene
  rm -rf "$work/out"
  local line
  line=$("$here/bin/remoteclip" scan --query "a forest" --window "$window" --top-k 5 --json --out "$work/out" "$2")
  python3 -c 'import json,sys; r=json.loads(sys.argv[2]); print("%-5s %5d windows %6.1f s %6.1f windows/s  load %s" % (sys.argv[1], r["windows"], r["seconds"], r["windows_per_second"], open("/proc/loadavg").read().split()[0]))' "$1" "$line"
}
echo "$(stat -c %s "$cog") bytes, $size x $size, windows of $window px"
for i in $(seq "$runs"); do
  scan disk "$cog"
  scan http "http://127.0.0.1:$port/$(basename "$cog")"
done
