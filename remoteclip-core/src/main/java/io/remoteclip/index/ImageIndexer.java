package io.remoteclip.index;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.image.DecodedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * relative path and file are unchanged and removes the rest.
 * Decoding, hashing and preprocessing run on a thread pool ahead of the model.
 */
public final class ImageIndexer {

  /**
   * @param commitEvery embedded images between commits (what a kill can lose)
   * @param modelRef how to load the model again (registry name or absolute path), stored for search/serve
   * @param vocab vocabulary path given explicitly, or null
   */
  public record Options(int commitEvery, LabelSource labels, String modelRef, String vocab, int decodeThreads) {
    public Options {
      if (commitEvery <= 0) {
        throw new IllegalArgumentException("commit interval " + commitEvery + " (must be positive)");
      }
    }
  }

  private final ClipEncoder encoder;
  private final Options options;

  public ImageIndexer(ClipEncoder encoder, Options options) {
    this.encoder = encoder;
    this.options = options;
  }

  /** Image files under {@code root} (recursively, sorted by relative path), leaving out {@code exclude}. */
  public static List<Path> listImages(Path root, Path exclude) throws IOException {
    return ImageFiles.list(root, exclude);
  }

  private record Stat(long bytes, long mtime) {
    static Stat of(Path p) throws IOException {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return new Stat(a.size(), a.lastModifiedTime().toMillis());
    }
  }

  private record Pending(Path file, Stat stat, List<String> labels, boolean replaces) {}

  /** A decoded, preprocessed file ready for the model, or the reason it could not be read. */
  private record Prepared(Pending job, String sha256, int width, int height, GeoFootprint footprint, float[] pixels,
      String error) {}

  /** Updates (or creates) the index in {@code indexDir} from the images under {@code root}. */
  public IndexSummary update(Path root, Path indexDir, ProgressListener progress) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    Path absRoot = root.toAbsolutePath().normalize();
    Path absIndex = indexDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absRoot)) {
      throw new java.nio.file.NoSuchFileException(root + " (not a directory)");
    }
    List<Path> files = listImages(absRoot, absIndex);
    IndexMetadata meta = IndexMetadata.of(encoder.modelId(), encoder.model().embedDim())
        .withModelRef(options.modelRef(), options.vocab()).withRoot(absRoot);
    ImageIndexWriter writer = ImageIndexWriter.open(indexDir, meta);
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
      writer.rollback();
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
      } else if (sha256(f).equals(old.sha256())) {
        toRefresh.add(new Pending(f, stat, labels, true));
      } else {
        toEmbed.add(new Pending(f, stat, labels, true));
      }
    }
    // The index mirrors one folder: a document whose file is not under this run's root is gone.
    int removed = 0;
    for (String path : existing.keySet()) {
      if (!listed.containsKey(path)) {
        writer.delete(path);
        removed++;
      }
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

  private EmbedCounts embed(Path root, List<Pending> jobs, ImageIndexWriter writer, ProgressListener progress)
      throws IOException, RemoteClipException {
    EmbedCounts c = new EmbedCounts();
    if (jobs.isEmpty()) {
      return c;
    }
    // A batch never spans a commit point, so "commit every N" holds for N below the batch size too.
    int batch = Math.max(1, Math.min(encoder.batchSize(), options.commitEvery()));
    int window = 2 * batch + 8;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.decodeThreads()), r -> {
      Thread t = new Thread(r, "index-decoder");
      t.setDaemon(true);
      return t;
    });
    progress.start("indexing", jobs.size());
    ArrayDeque<Future<Prepared>> inFlight = new ArrayDeque<>();
    int next = 0;
    int done = 0;
    int sinceCommit = 0;
    try {
      while (next < jobs.size() || !inFlight.isEmpty()) {
        while (next < jobs.size() && inFlight.size() < window) {
          Pending job = jobs.get(next++);
          inFlight.add(pool.submit(() -> prepare(job)));
        }
        List<Prepared> ready = new ArrayList<>(batch);
        while (ready.size() < batch && !inFlight.isEmpty()) {
          Prepared p = inFlight.poll().get();
          if (p.error() != null) {
            c.failures.add(new ImageEncoding.Failure(p.job().file(), p.error()));
            if (p.job().replaces()) {
              // The old embedding describes content that no longer exists.
              writer.delete(keyOf(root, p.job().file()));
              c.dropped++;
            }
          } else {
            ready.add(p);
          }
          done++;
        }
        if (!ready.isEmpty()) {
          List<float[]> pixels = new ArrayList<>(ready.size());
          for (Prepared p : ready) {
            pixels.add(p.pixels());
          }
          float[][] rows = encoder.encodePixels(pixels);
          for (int i = 0; i < ready.size(); i++) {
            Prepared p = ready.get(i);
            writer.put(new ImageRecord(keyOf(root, p.job().file()), encoder.modelId(), p.width(), p.height(),
                p.job().stat().bytes(), p.job().stat().mtime(), p.sha256(), p.job().labels(), p.footprint(), rows[i]));
            if (p.job().replaces()) {
              c.reembedded++;
            } else {
              c.added++;
            }
          }
          sinceCommit += ready.size();
        }
        if (sinceCommit >= options.commitEvery()) {
          writer.commit();
          c.commits++;
          sinceCommit = 0;
        }
        progress.update(done);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while indexing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("decoding failed unexpectedly", e.getCause());
    } finally {
      pool.shutdownNow();
      progress.finish();
    }
    return c;
  }

  private Prepared prepare(Pending job) {
    try {
      String sha = sha256(job.file());
      DecodedImage image = encoder.decode(job.file());
      float[] pixels = encoder.preprocess(image);
      GeoFootprint fp = GeoFootprint.read(job.file()).orElse(null);
      return new Prepared(job, sha, image.width(), image.height(), fp, pixels, null);
    } catch (IOException | RemoteClipException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Prepared(job, null, 0, 0, null, null, msg.startsWith(job.file().toString()) ? msg : job.file() + ": " + msg);
    }
  }

  /** Lower-case hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      byte[] buf = new byte[64 * 1024];
      while (in.read(buf) >= 0) {
        // digesting
      }
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
