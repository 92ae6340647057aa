# Sourced by bin/remoteclip and bin/remoteclip-spark: the JVM settings both launchers share.

# PyTorch frees activations of hundreds of MB on every forward pass; with glibc's defaults such blocks are
# mmap'ed and unmapped each time, and every op pays page faults again (RN50 at batch 32: 12 vs 18 images/s).
# Keeping them in the heap lets freed buffers be reused. Set these yourself when embedding the library.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-268435456}"

# jdk.incubator.vector: Lucene's SIMD vector scoring (HNSW search and build); without it Lucene warns "Java vector
# incubator module is not readable" and scores scalar. Lucene 9.12 uses it on Java 20 and later only (on 17 it warns
# that the Java version is too old, from 23 that it is too new), so the module is added on Java 20 to 22 only.
# Prints the flag for the java binary $1, or nothing.
lucene_vector_module() {
  local release major
  release="$(dirname "$(readlink -f "$(command -v "$1")" 2>/dev/null || echo /nonexistent/bin/java)")/../release"
  [ -r "$release" ] || return 0
  major=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$release")
  if [ -n "$major" ] && [ "$major" -ge 20 ] && [ "$major" -le 22 ]; then
    echo "--add-modules jdk.incubator.vector"
  fi
}
