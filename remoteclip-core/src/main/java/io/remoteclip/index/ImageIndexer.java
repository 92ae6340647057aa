package io.remoteclip.index;

import io.remoteclip.DataFormatException;
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
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Brings an index up to date with the images under a folder: new files are embedded, changed files
 * re-embedded, files that are gone removed, unchanged files skipped.
 *
 * <p>"Unchanged" means same size, same modification time (ms) and same labels. When size or time differ the
 * file's SHA-256 is compared with the stored one: equal content only refreshes the stored fields.
 *
 * <p>Crash safety: documents are keyed by absolute path ({@code updateDocument}), and the writer commits every
 * {@code commitEvery} embedded images. A Lucene commit is atomic, so a run killed at any moment leaves the
 * last commit intact; what was not committed is simply missing, and the next run embeds it. The commit's user
 * data records the model; a run with a different model is refused ({@link ModelMismatchException}).
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

  /**
   * HNSW graph: 32 neighbours per node and a 200-candidate build beam (Lucene's defaults are 16/100). CLIP
   * tiles of one scene type sit very close together; the denser graph keeps recall@10 above 0.99 there. Only
   * writing depends on these numbers: any Lucene 9 reader opens the index.
   */
  private static final KnnVectorsFormat GRAPH = new Lucene99HnswVectorsFormat(32, 200);

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
    IndexMetadata meta = new IndexMetadata(encoder.modelId(), encoder.model().embedDim(), options.modelRef(), options.vocab());
    Files.createDirectories(absIndex);
    try (Directory dir = FSDirectory.open(absIndex)) {
      Map<String, String> storedData = checkModel(indexDir, dir, meta);
      Map<String, ImageRecord> existing = new HashMap<>();
      boolean hadIndex = DirectoryReader.indexExists(dir);
      if (hadIndex) {
        try (ImageIndex old = ImageIndex.open(absIndex)) {
          for (ImageRecord r : old.records(false)) {
            existing.put(r.path(), r);
          }
        }
      }
      IndexWriter writer = openWriter(indexDir, dir);
      try {
        IndexSummary s = run(absRoot, absIndex, files, existing, writer, meta, storedData, progress, t0);
        writer.close();
        return s;
      } catch (IOException | RemoteClipException | RuntimeException | Error e) {
        writer.rollback();
        throw e;
      }
    }
  }

  /** The last commit's user data (empty for a new index), after checking it names the same model. */
  private static Map<String, String> checkModel(Path indexDir, Directory dir, IndexMetadata meta)
      throws IOException, RemoteClipException {
    if (!DirectoryReader.indexExists(dir)) {
      return Map.of();
    }
    Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
    IndexMetadata stored = IndexMetadata.fromUserData(data);
    if (stored == null) {
      throw new DataFormatException(indexDir + ": a Lucene index without remoteclip metadata; use an empty or new --index directory");
    }
    if (!stored.modelId().equals(meta.modelId())) {
      throw new ModelMismatchException(indexDir + ": index was built with model " + stored.modelId()
          + (stored.modelRef() != null ? " (--model " + stored.modelRef() + ")" : "") + ", this run uses " + meta.modelId()
          + "; embeddings of different models cannot be mixed: use that model or a new --index directory");
    }
    return data;
  }

  private static IndexWriter openWriter(Path indexDir, Directory dir) throws IOException {
    IndexWriterConfig cfg = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setCommitOnClose(false).setCodec(new Lucene912Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return GRAPH;
          }
        });
    try {
      return new IndexWriter(dir, cfg);
    } catch (LockObtainFailedException e) {
      throw new IOException(indexDir + ": another process is writing this index (" + e.getMessage() + ")", e);
    }
  }

  private IndexSummary run(Path root, Path indexDir, List<Path> files, Map<String, ImageRecord> existing,
      IndexWriter writer, IndexMetadata meta, Map<String, String> storedData, ProgressListener progress, long t0)
      throws IOException, RemoteClipException {
    // Only a changed model reference makes a commit by itself; a run with nothing to do writes nothing.
    writer.setLiveCommitData(meta.toUserData().entrySet(), !meta.toUserData().equals(storedData));
    List<Pending> toEmbed = new ArrayList<>();
    int unchanged = 0;
    int refreshed = 0;
    Map<String, Boolean> listed = new HashMap<>();
    List<Pending> toRefresh = new ArrayList<>();
    for (Path f : files) {
      String path = f.toString();
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
      } else if (old.sha256().equals(sha256(f))) {
        toRefresh.add(new Pending(f, stat, labels, true));
      } else {
        toEmbed.add(new Pending(f, stat, labels, true));
      }
    }
    int removed = 0;
    String prefix = root.toString().endsWith("/") ? root.toString() : root + java.io.File.separator;
    for (String path : existing.keySet()) {
      if (path.startsWith(prefix) && !listed.containsKey(path)) {
        writer.deleteDocuments(new Term(ImageRecord.PATH, path));
        removed++;
      }
    }
    if (!toRefresh.isEmpty()) {
      try (ImageIndex old = ImageIndex.open(indexDir)) {
        for (Pending p : toRefresh) {
          ImageRecord r = old.record(ImageRecord.idOf(p.file().toString())).orElseThrow();
          ImageRecord updated = r.withFile(p.stat().bytes(), p.stat().mtime(), p.labels(), GeoFootprint.read(p.file()).orElse(null));
          writer.updateDocument(new Term(ImageRecord.PATH, r.path()), updated.toDocument());
          refreshed++;
        }
      }
    }
    int commits = 0;
    if (removed > 0 || refreshed > 0 || !DirectoryReader.indexExists(writer.getDirectory())) {
      writer.commit();
      commits++;
    }
    EmbedCounts counts = embed(toEmbed, writer, progress);
    commits += counts.commits;
    boolean changed = removed > 0 || refreshed > 0 || counts.added + counts.reembedded + counts.dropped > 0
        || !meta.toUserData().equals(storedData);
    if (changed && writer.hasUncommittedChanges()) {
      writer.commit();
      commits++;
    }
    removed += counts.dropped;
    int documents = writer.getDocStats().numDocs;
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

  private EmbedCounts embed(List<Pending> jobs, IndexWriter writer, ProgressListener progress)
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
              writer.deleteDocuments(new Term(ImageRecord.PATH, p.job().file().toString()));
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
            ImageRecord r = new ImageRecord(p.job().file().toString(), encoder.modelId(), p.width(), p.height(),
                p.job().stat().bytes(), p.job().stat().mtime(), p.sha256(), p.job().labels(), p.footprint(), rows[i]);
            writer.updateDocument(new Term(ImageRecord.PATH, r.path()), r.toDocument());
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
