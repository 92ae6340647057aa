package io.remoteclip.index;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.EmbeddingBatch;
import io.remoteclip.hub.Checksums;
import io.remoteclip.image.ImageSource;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.image.DecodedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Brings an index up to date with the images under a folder: new files are embedded, changed files
 * re-embedded, files that are gone removed, unchanged files skipped.
 *
 * <p>"Unchanged" means same size, same modification time (ms) and same labels. When size or time differ the
 * file's SHA-256 is compared with the stored one: equal content only refreshes the stored fields.
 *
 * <p>Crash safety: documents are keyed by path relative to the root ({@link ImageIndexWriter}), and commits every
 * {@code commitEvery} embedded images. A Lucene commit is atomic, so a run killed at any moment leaves the
 * last commit intact; what was not committed is simply missing, and the next run embeds it. The commit's user
 * data records the model and the root; a run with a different model is refused ({@link ModelMismatchException}).
 * The index mirrors one folder: indexing another root (or the same images moved) keeps documents whose
 * relative path and file are unchanged and removes the rest; a folder without images is refused, and so is a run
 * that would remove more than half of the documents, unless {@link Options#prune} allows it.
 * Reading, hashing, decoding and preprocessing run in the encoder's stream ({@link ClipEncoder#embed}); the model id is
 * the encoder's {@link io.remoteclip.encode.EncoderId}, so another band selection or vocabulary is another model.
 */
public final class ImageIndexer {

  /**
   * @param commitEvery embedded images between commits (what a kill can lose)
   * @param modelRef how to load the model again (registry name or absolute path), stored for search/serve
   * @param vocab vocabulary path given explicitly, or null
   * @param prune allow a run to remove more than half of the index's documents ({@link PruneRefusedException})
   * @param bulk how the bulk writer ({@link ImageIndexWriter#openBulk}) builds the graph; null:
   *     {@link ImageIndexWriter.Bulk#of Bulk.of(0)}
   */
  public record Options(int commitEvery, LabelSource labels, String modelRef, String vocab, boolean prune,
      String quantize, Integer m, Integer beam, ImageIndexWriter.Bulk bulk) {
    public Options {
      if (commitEvery <= 0) {
        throw new IllegalArgumentException("commit interval " + commitEvery + " (must be positive)");
      }
    }

    /** Options that refuse to remove most of an index. */
    public Options(int commitEvery, LabelSource labels, String modelRef, String vocab) {
      this(commitEvery, labels, modelRef, vocab, false);
    }

    public Options(int commitEvery, LabelSource labels, String modelRef, String vocab, boolean prune) {
      this(commitEvery, labels, modelRef, vocab, prune, null, null, null, null);
    }

    /**
     * These options with the graph's quantisation, M and beam ({@link GraphOptions}); null: what the index
     * records, or the defaults for a new index.
     */
    public Options withGraph(String q, Integer graphM, Integer graphBeam) {
      return new Options(commitEvery, labels, modelRef, vocab, prune, q, graphM, graphBeam, bulk);
    }

    /** These options with the bulk writer's graph threads and buffer. */
    public Options withBulk(ImageIndexWriter.Bulk b) {
      return new Options(commitEvery, labels, modelRef, vocab, prune, quantize, m, beam, b);
    }

    /**
     * Opens the index for this run: a bulk writer, so that flushed segments stay flat and each commit merges them
     * into the one graph (a folder indexed from scratch holds one segment, one graph a search visits).
     */
    ImageIndexWriter openWriter(Path indexDir, IndexMetadata meta) throws IOException, RemoteClipException {
      return ImageIndexWriter.openBulk(indexDir, meta, quantize, m, beam, bulk == null ? ImageIndexWriter.Bulk.of(0) : bulk);
    }
  }

  private final ClipEncoder encoder;
  private final Options options;

  public ImageIndexer(ClipEncoder encoder, Options options) {
    this.encoder = encoder;
    this.options = options;
  }

  private record Stat(long bytes, long mtime) {
    static Stat of(Path p) throws IOException {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return new Stat(a.size(), a.lastModifiedTime().toMillis());
    }
  }

  private record Pending(Path file, Stat stat, List<String> labels, boolean replaces) {}

  /** Updates (or creates) the index in {@code indexDir} from the images under {@code root}. */
  public IndexSummary update(Path root, Path indexDir, ProgressListener progress) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    Path absRoot = root.toAbsolutePath().normalize();
    Path absIndex = indexDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absRoot)) {
      throw new java.nio.file.NoSuchFileException(root + " (not a directory)");
    }
    List<Path> files = ImageFiles.listSome(absRoot, absIndex);
    IndexMetadata meta = IndexMetadata.of(encoder.modelId(), encoder.towers().embedDim())
        .withModelRef(options.modelRef(), options.vocab()).withRoot(absRoot);
    ImageIndexWriter writer = options.openWriter(indexDir, meta);
    try {
      Map<String, ImageRecord> existing = new HashMap<>();
      if (writer.previous() != null) {
        try (ImageIndex old = ImageIndex.open(absIndex)) {
          for (ImageRecord r : old.records(false)) {
            existing.put(r.path(), r);
          }
        }
      }
      IndexSummary s = run(absRoot, absIndex, files, existing, writer, progress, t0);
      writer.close();
      return s;
    } catch (IOException | RemoteClipException | RuntimeException | Error e) {
      writer.abandon();
      throw e;
    }
  }

  /** The document key of a file: its path relative to the root, '/'-separated on every platform. */
  static String keyOf(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private IndexSummary run(Path root, Path indexDir, List<Path> files, Map<String, ImageRecord> existing,
      ImageIndexWriter writer, ProgressListener progress, long t0) throws IOException, RemoteClipException {
    List<Pending> toEmbed = new ArrayList<>();
    int unchanged = 0;
    int refreshed = 0;
    Map<String, Boolean> listed = new HashMap<>();
    List<Pending> toRefresh = new ArrayList<>();
    for (Path f : files) {
      String path = keyOf(root, f);
      listed.put(path, Boolean.TRUE);
      Stat stat = Stat.of(f);
      ImageRecord old = existing.get(path);
      List<String> labels = !options.labels().specified() && old != null ? old.labels() : options.labels().labelsOf(root, f);
      if (old == null) {
        toEmbed.add(new Pending(f, stat, labels, false));
      } else if (old.bytes() == stat.bytes() && old.mtime() == stat.mtime()) {
        if (old.labels().equals(labels)) {
          unchanged++;
        } else {
          toRefresh.add(new Pending(f, stat, labels, true));
        }
      } else if (Checksums.sha256(f, ProgressListener.NONE).equals(old.sha256())) {
        toRefresh.add(new Pending(f, stat, labels, true));
      } else {
        toEmbed.add(new Pending(f, stat, labels, true));
      }
    }
    // The index mirrors one folder: a document whose file is not under this run's root is gone.
    List<String> gone = existing.keySet().stream().filter(path -> !listed.containsKey(path)).sorted().toList();
    PruneRefusedException.check(indexDir, root, gone.size(), existing.size(), options.prune());
    int removed = 0;
    for (String path : gone) {
      writer.delete(path);
      removed++;
    }
    if (!toRefresh.isEmpty()) {
      try (ImageIndex old = ImageIndex.open(indexDir)) {
        for (Pending p : toRefresh) {
          ImageRecord r = old.record(ImageRecord.idOf(keyOf(root, p.file()))).orElseThrow();
          writer.put(r.withFile(p.stat().bytes(), p.stat().mtime(), p.labels(), GeoFootprint.read(p.file()).orElse(null)));
          refreshed++;
        }
      }
    }
    int commits = 0;
    if (removed > 0 || refreshed > 0 || !writer.hasCommit()) {
      writer.commit();
      commits++;
    }
    EmbedCounts counts = embed(root, toEmbed, writer, progress);
    commits += counts.commits;
    if (writer.hasUncommittedChanges()) {
      writer.commit();
      commits++;
    }
    removed += counts.dropped;
    int documents = writer.documents();
    return new IndexSummary(files.size(), counts.added, counts.reembedded, refreshed, removed, unchanged,
        counts.failures, documents, commits, (System.nanoTime() - t0) / 1e9);
  }

  private static final class EmbedCounts {
    int added;
    int reembedded;
    int dropped;
    int commits;
    final List<ImageEncoding.Failure> failures = new ArrayList<>();
  }

  /**
   * A file on its way through the encoder's stream; the decode thread that reads it also hashes its bytes and
   * reads its footprint (the stream hands the job back after that thread is done, so the fields are visible).
   */
  private static final class Job {
    final Pending pending;
    String sha256;
    GeoFootprint footprint;

    Job(Pending pending) {
      this.pending = pending;
    }

    /** One read of the file serves both the hash and the decoder. */
    DecodedImage load(ClipEncoder encoder) throws IOException, RemoteClipException {
      byte[] bytes = Files.readAllBytes(pending.file());
      sha256 = Checksums.sha256(bytes);
      DecodedImage image = encoder.decode(ImageSource.of(pending.file().toString(), bytes));
      footprint = GeoFootprint.read(pending.file()).orElse(null);
      return image;
    }
  }

  private EmbedCounts embed(Path root, List<Pending> jobs, ImageIndexWriter writer, ProgressListener progress)
      throws IOException, RemoteClipException {
    EmbedCounts c = new EmbedCounts();
    if (jobs.isEmpty()) {
      return c;
    }
    // A batch never spans a commit point, so "commit every N" holds for N below the batch size too.
    int batch = Math.max(1, Math.min(encoder.batchSize(), options.commitEvery()));
    progress.start("indexing", jobs.size());
    long[] done = {0};
    int[] sinceCommit = {0};
    try {
      encoder.embed(jobs.stream().map(Job::new).iterator(), j -> j.pending.file().toString(), j -> j.load(encoder), batch,
          b -> {
            for (EmbeddingBatch.Failure<Job> f : b.failures()) {
              Pending p = f.input().pending;
              c.failures.add(new ImageEncoding.Failure(p.file(), f.message()));
              if (p.replaces()) {
                // The old embedding describes content that no longer exists.
                writer.delete(keyOf(root, p.file()));
                c.dropped++;
              }
            }
            for (EmbeddingBatch.Row<Job> row : b.rows()) {
              Job j = row.input();
              Pending p = j.pending;
              writer.put(new ImageRecord(keyOf(root, p.file()), encoder.modelId(), row.width(), row.height(),
                  p.stat().bytes(), p.stat().mtime(), j.sha256, p.labels(), j.footprint, row.embedding()));
              if (p.replaces()) {
                c.reembedded++;
              } else {
                c.added++;
              }
            }
            sinceCommit[0] += b.rows().size();
            if (sinceCommit[0] >= options.commitEvery()) {
              writer.commit();
              c.commits++;
              sinceCommit[0] = 0;
            }
            done[0] += b.rows().size() + b.failures().size();
            progress.update(done[0]);
          });
    } finally {
      progress.finish();
    }
    return c;
  }
}
