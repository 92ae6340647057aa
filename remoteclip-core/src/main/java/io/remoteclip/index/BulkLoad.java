package io.remoteclip.index;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts many records (an embeddings table's rows, a benchmark's vectors) into a bulk writer
 * ({@link ImageIndexWriter#openBulk}), committing every {@code commitEvery} records: what {@code index --from-parquet}
 * and {@code bench search} build with.
 *
 * <p>Crash safety: each commit is atomic and holds every record put before it, merged into the graph. A run killed
 * at any moment keeps the last commit; run again over the same rows it skips each row the last commit holds
 * unchanged (same key, stored fields and vector), so it continues where that commit ended, adds what was lost, and
 * no key is ever in the index twice (a record replaces the document of its key).
 */
public final class BulkLoad {
  /**
   * Records between commits when the caller has no opinion: at most this many are put again after a kill, and each
   * commit costs a merge (a copy of the segment so far plus the graph it holds), so a larger interval builds faster.
   */
  public static final int DEFAULT_COMMIT_EVERY = 100_000;

  private BulkLoad() {}

  /**
   * What a load did.
   *
   * @param rows records read
   * @param added new keys
   * @param replaced records that replaced a document of their key (or an earlier record of the same key)
   * @param unchanged records the index already held as they are, skipped
   * @param documents documents in the index afterwards
   */
  public record Result(long rows, long added, long replaced, long unchanged, int commits, int documents, double seconds) {
    /** Rows read per second of the whole load. */
    public double rate() {
      return seconds > 0 ? rows / seconds : 0;
    }

    /**
     * One line, the records called what they are ({@code unit}: "rows", "windows"): nothing was embedded, so
     * no "images" and no "re-embedded".
     */
    public String toString(String unit) {
      return String.format(java.util.Locale.ROOT, "%d %s: %d added, %d replaced, %d unchanged; %d documents, %d commits, "
          + "%.1f s (%.1f %s/s)", rows, unit, added, replaced, unchanged, documents, commits, seconds, rate(), unit);
    }
  }

  /**
   * Puts {@code rows} into {@code writer} and commits (every {@code commitEvery} records put, and at the end); the
   * caller closes the writer (or abandons it after an exception).
   */
  public static Result run(ImageIndexWriter writer, Iterator<ImageRecord> rows, int commitEvery, ProgressListener progress)
      throws IOException, RemoteClipException {
    if (commitEvery <= 0) {
      throw new IllegalArgumentException("commit interval " + commitEvery + " (must be positive)");
    }
    long t0 = System.nanoTime();
    int before = writer.documents();
    long n = 0;
    long unchanged = 0;
    long put = 0;
    int commits = 0;
    int since = 0;
    progress.start("indexing", -1);
    try (ImageIndex committed = writer.previous() == null ? null : ImageIndex.open(writer.directory())) {
      while (rows.hasNext()) {
        ImageRecord r = rows.next();
        n++;
        if (committed != null && holds(committed, r)) {
          unchanged++;
        } else {
          writer.put(r);
          put++;
          if (++since >= commitEvery) {
            writer.commit();
            commits++;
            since = 0;
          }
        }
        if ((n & 1023) == 0) {
          progress.update(n);
        }
      }
      if (writer.hasUncommittedChanges() || !writer.hasCommit()) {
        writer.commit();
        commits++;
      }
    } finally {
      progress.finish();
    }
    int documents = writer.documents();
    long added = documents - before;
    return new Result(n, added, put - added, unchanged, commits, documents, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Whether the index holds {@code r} as it is: same stored fields and the same (normalised) vector; a row that
   * does not know its content hash (null) does not change the stored one.
   */
  private static boolean holds(ImageIndex index, ImageRecord r) throws IOException {
    Optional<ImageRecord> stored = index.record(r.id());
    if (stored.isEmpty()) {
      return false;
    }
    ImageRecord s = stored.get();
    return s.path().equals(r.path()) && s.model().equals(r.model()) && s.width() == r.width()
        && s.height() == r.height() && s.bytes() == r.bytes() && s.mtime() == r.mtime()
        && (r.sha256() == null || r.sha256().equals(s.sha256())) && s.labels().equals(r.labels())
        && Objects.equals(s.footprint(), r.footprint()) && Arrays.equals(s.embedding(), Vectors.normalized(r.embedding()));
  }
}
