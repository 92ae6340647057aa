#!/usr/bin/env python3
"""Where a JFR recording's CPU samples went: the share of jdk.ExecutionSample events by top frame (the method
running) and by the first frame of the stack that names a known phase of a bulk build.

    jfr print --events jdk.ExecutionSample build.jfr | bench/jfr_top.py [--top 15]

Benchmark-only (Debian python3, no packages); reads the text that `jfr print` (JDK 17) writes.
"""
import argparse
import collections
import re
import sys

PHASES = [  # (label, a regular expression on a frame), first match from the top of the stack wins
    ("graph: vector scoring (dot products)", r"VectorUtil|VectorUtilSupport|FloatVectorScorer|RandomVectorScorer"),
    ("graph: search for neighbours", r"HnswGraphSearcher"),
    ("graph: neighbour selection / links", r"HnswGraphBuilder|NeighborArray|HnswConcurrentMergeBuilder|OnHeapHnswGraph"),
    ("merge: copy vectors, stored fields, terms", r"SegmentMerger|Lucene99FlatVectorsWriter|MergedVectorValues"),
    ("flush: buffered documents", r"DocumentsWriter|IndexingChain|FlatFieldVectorsWriter"),
    ("parquet: read rows", r"org\.apache\.parquet|ParquetEmbeddings"),
    ("row checks and normalisation", r"FiniteRows|Vectors\.normali"),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--top", type=int, default=15)
    a = p.parse_args()
    tops, phases, total = collections.Counter(), collections.Counter(), 0
    frames = None
    for line in sys.stdin:
        line = line.strip()
        if line.startswith("jdk.ExecutionSample"):
            frames = []
        elif frames is not None and line.startswith("stackTrace"):
            continue
        elif frames is not None and re.match(r"^[\w$.<>]+\(", line):
            frames.append(line.split("(")[0])
        elif frames is not None and line == "]":
            if frames:
                total += 1
                tops[frames[0]] += 1
                phases[next((label for f in frames for label, rx in PHASES if re.search(rx, f)), "other")] += 1
            frames = None
    if total == 0:
        sys.exit("jfr_top.py: no jdk.ExecutionSample events on stdin")
    print(f"{total} samples")
    print("\nby phase (first matching frame from the top):")
    for label, n in phases.most_common():
        print(f"  {100 * n / total:5.1f} %  {label}")
    print(f"\ntop {a.top} methods (the frame running):")
    for frame, n in tops.most_common(a.top):
        print(f"  {100 * n / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
