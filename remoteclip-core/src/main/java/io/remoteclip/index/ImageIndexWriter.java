package io.remoteclip.index;

import io.remoteclip.RemoteClipException;
import io.remoteclip.fs.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Writes documents into an image index: what {@link ImageIndexer} uses for a folder (a bulk writer), and what a library caller
 * uses to fill an index from embeddings it computed itself (images from an archive, a database, another
 * machine). One writer per index at a time; documents are keyed by {@link ImageRecord#path()} (a relative path
 * or a name), so putting a key again replaces its document.
 *
 * <p>Nothing is visible to readers until {@link #commit()}; a commit is atomic, so a process killed at any
 * moment leaves the last commit intact. {@link #close()} commits what is pending, {@link #rollback()} drops it.
 * Each commit records the {@link IndexMetadata}; opening an index made with another model is refused
 * ({@link ModelMismatchException}) rather than mixing embedding spaces.
 */
public final class ImageIndexWriter implements AutoCloseable {
  /**
   * HNSW graph: by default ({@link GraphOptions#DEFAULT}) 32 neighbours per node and a 200-candidate build beam
   * over float32 vectors (Lucene's defaults are 16/100). CLIP tiles of one scene type sit very close together; the
   * denser graph keeps recall@10 above 0.99 there. Chosen per index ({@code index --index-quantize --m --beam}) and
   * recorded in its commits; Lucene reads each segment's format from the segment, but appends must use the same.
   */
  private final GraphOptions graph;

  private final Path indexDir;
  private final Directory directory;
  private final IndexWriter writer;
  private final IndexMetadata metadata;
  private final IndexMetadata previous;
  private boolean closed;
  /** The directory's entries before this writer opened it; null when the directory did not exist. */
  private final Set<Path> before;
  /** Lucene counts setting commit data as a change even when it is the same; this counts what we wrote. */
  private boolean dirty;
  /** A bulk writer's: the threads that build graphs in merges; null for a plain writer. */
  private final ExecutorService graphThreads;

  /**
   * How a bulk writer ({@link #openBulk}) works.
   *
   * @param threads threads that build the HNSW graph (Lucene's concurrent graph merge)
   * @param ramBufferMb documents buffered on the heap before Lucene flushes a segment (flat vectors, no graph)
   */
  public record Bulk(int threads, double ramBufferMb) {
    public Bulk {
      if (threads < 1 || !(ramBufferMb > 0)) {
        throw new IllegalArgumentException("bulk writer: " + threads + " threads, " + ramBufferMb + " MB buffer");
      }
    }

    /**
     * {@code threads} graph threads (0: one per core) and a buffer of an eighth of the heap, 32 MB to 1 GB: with
     * -Xmx4g, 512 MB, about 200,000 flat 512-dimensional documents, while the graph a merge builds (about 600 bytes
     * per vector at M 32) has the rest.
     */
    public static Bulk of(int threads) {
      long heapMb = Runtime.getRuntime().maxMemory() >> 20;
      return new Bulk(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
          Math.max(32, Math.min(1024, heapMb / 8)));
    }
  }

  private ImageIndexWriter(Path indexDir, Directory directory, IndexWriter writer, IndexMetadata metadata,
      IndexMetadata previous, GraphOptions graph, Set<Path> before, ExecutorService graphThreads) {
    this.graphThreads = graphThreads;
    this.graph = graph;
    this.before = before;
    this.indexDir = indexDir;
    this.directory = directory;
    this.writer = writer;
    this.metadata = metadata;
    this.previous = previous;
  }

  /**
   * Opens (creating if needed) the index in {@code indexDir} for writing documents of {@code metadata}'s model.
   * An existing index must hold the same model and dimension.
   */
  public static ImageIndexWriter open(Path indexDir, IndexMetadata metadata) throws IOException, RemoteClipException {
    return open(indexDir, metadata, null, null, null);
  }

  /**
   * As {@link #open(Path, IndexMetadata)}, with the graph's quantisation ({@code none}, {@code int8}, {@code int4}),
   * M and beam width; null ones are what the index records ({@link GraphOptions#DEFAULT} for a new index). An
   * existing index written with other values is refused ({@link ModelMismatchException}).
   */
  public static ImageIndexWriter open(Path indexDir, IndexMetadata metadata, String quantize, Integer m, Integer beam)
      throws IOException, RemoteClipException {
    return open(indexDir, metadata, quantize, m, beam, null);
  }

  /**
   * As {@link #open(Path, IndexMetadata, String, Integer, Integer)}, for loading many documents: segments are
   * flushed without a graph, and each {@link #commit()} first merges them into the largest graph segment
   * ({@link BulkMergePolicy}), extending its graph on {@code bulk.threads()} threads. A new index so holds one
   * segment after every commit, each vector inserted into a graph once; a commit costs that merge (a copy of the
   * segment plus the new vectors' insertions), so commit every many thousand documents, not every few.
   */
  public static ImageIndexWriter openBulk(Path indexDir, IndexMetadata metadata, String quantize, Integer m,
      Integer beam, Bulk bulk) throws IOException, RemoteClipException {
    return open(indexDir, metadata, quantize, m, beam, java.util.Objects.requireNonNull(bulk));
  }

  private static ImageIndexWriter open(Path indexDir, IndexMetadata metadata, String quantize, Integer m, Integer beam,
      Bulk bulk) throws IOException, RemoteClipException {
    Path dir = indexDir.toAbsolutePath().normalize();
    ImageIndex.requireDirectory(indexDir);
    Set<Path> before = Files.isDirectory(dir) ? entries(dir) : null;
    Files.createDirectories(dir);
    Directory d = FSDirectory.open(dir);
    try {
      IndexMetadata stored = null;
      Map<String, String> storedData = Map.of();
      if (DirectoryReader.indexExists(d)) {
        try {
          storedData = SegmentInfos.readLatestCommit(d).getUserData();
        } catch (IOException e) {
          throw ImageIndex.unreadable(indexDir, e);
        }
        stored = IndexMetadata.fromUserData(indexDir, storedData);
        check(indexDir, stored, metadata);
      }
      GraphOptions recorded = stored == null ? GraphOptions.DEFAULT : GraphOptions.fromUserData(indexDir, storedData);
      GraphOptions graph;
      try {
        graph = GraphOptions.merge(recorded, quantize, m, beam);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(indexDir + ": " + e.getMessage(), e);
      }
      if (stored != null) {
        String diff = graph.difference(recorded);
        if (diff != null) {
          throw new ModelMismatchException(indexDir + ": index built with " + diff
              + " (leave the option out to use the index's, or index into a new directory)");
        }
      }
      ExecutorService threads = bulk == null || bulk.threads() == 1 ? null
          : Executors.newFixedThreadPool(bulk.threads(), graphThread());
      IndexWriter w;
      try {
        w = openWriter(indexDir, d, graph, bulk, threads);
      } catch (IOException | RuntimeException e) {
        if (threads != null) {
          threads.shutdownNow();
        }
        throw e;
      }
      Map<String, String> userData = new java.util.LinkedHashMap<>(metadata.toUserData());
      userData.putAll(graph.toUserData());
      // Only a changed model reference or root makes a commit by itself; a run with nothing to do writes nothing
      // (an index from before the graph options were recorded gains them with its next commit).
      boolean newMetadata = !metadata.toUserData().equals(withoutGraph(storedData));
      w.setLiveCommitData(userData.entrySet(), newMetadata);
      ImageIndexWriter writer = new ImageIndexWriter(indexDir, d, w, metadata, stored, graph, before, threads);
      writer.dirty = newMetadata;
      return writer;
    } catch (IOException | RemoteClipException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  private static void check(Path indexDir, IndexMetadata stored, IndexMetadata wanted) throws ModelMismatchException {
    stored.check(indexDir, wanted.modelId());
    if (stored.dimension() != wanted.dimension()) {
      throw new ModelMismatchException(indexDir + ": index holds " + stored.dimension() + "-dimensional embeddings, this run "
          + wanted.dimension());
    }
  }

  private static Map<String, String> withoutGraph(Map<String, String> data) {
    Map<String, String> out = new java.util.LinkedHashMap<>(data);
    out.keySet().removeAll(GraphOptions.DEFAULT.toUserData().keySet());
    return out;
  }

  /** The index directory. */
  Path directory() {
    return indexDir;
  }

  /** The graph options this writer writes with (and records). */
  public GraphOptions graph() {
    return graph;
  }

  private static java.util.concurrent.ThreadFactory graphThread() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "remoteclip-graph-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static IndexWriter openWriter(Path indexDir, Directory dir, GraphOptions graph, Bulk bulk,
      ExecutorService threads) throws IOException {
    IndexWriterConfig cfg = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setCommitOnClose(false);
    if (bulk == null) {
      cfg.setCodec(IndexCodecs.plain(graph.format()));
    } else {
      // One merge at a time, in the committing thread; its graph is built on the bulk threads.
      cfg.setCodec(IndexCodecs.bulk(graph.format(bulk.threads(), threads))).setMergePolicy(new BulkMergePolicy())
          .setMergeScheduler(new SerialMergeScheduler()).setRAMBufferSizeMB(bulk.ramBufferMb())
          .setUseCompoundFile(false);
    }
    try {
      return new IndexWriter(dir, cfg);
    } catch (LockObtainFailedException e) {
      throw new IOException(indexDir + ": another process is writing this index (" + e.getMessage() + ")", e);
    }
  }

  /** What this writer records in each commit. */
  public IndexMetadata metadata() {
    return metadata;
  }

  /** The metadata of the last commit before this writer opened; null for a new index. */
  public IndexMetadata previous() {
    return previous;
  }

  /** Adds or replaces the document of {@code record.path()}. */
  public void put(ImageRecord record) throws IOException {
    if (!record.model().equals(metadata.modelId())) {
      throw new IllegalArgumentException(record.path() + ": embedding of model " + record.model() + ", the index holds "
          + metadata.modelId());
    }
    if (record.embedding() == null || record.embedding().length != metadata.dimension()) {
      throw new IllegalArgumentException(record.path() + ": embedding has "
          + (record.embedding() == null ? "no" : Integer.toString(record.embedding().length)) + " dimensions, the index "
          + metadata.dimension());
    }
    lucene(() -> writer.updateDocument(new Term(ImageRecord.PATH, record.path()), record.toDocument()));
    dirty = true;
  }

  /** Adds or replaces the document {@code key} with an embedding computed elsewhere (by this index's model). */
  public void put(String key, float[] embedding, List<String> labels) throws IOException {
    put(ImageRecord.of(key, metadata.modelId(), embedding, labels));
  }

  /** Removes the document {@code key}, if there is one. */
  public void delete(String key) throws IOException {
    lucene(() -> writer.deleteDocuments(new Term(ImageRecord.PATH, key)));
    dirty = true;
  }

  /**
   * Merges the index down to at most {@code segments} segments (one HNSW graph per segment: a search visits each),
   * waiting for the merge; commit to make it visible.
   */
  public void forceMerge(int segments) throws IOException {
    lucene(() -> writer.forceMerge(segments));
    dirty = true;
  }

  /**
   * Makes everything written so far visible, atomically; a bulk writer first merges what it flushed into the
   * graph, so that no commit holds vectors outside a graph.
   */
  public void commit() throws IOException {
    if (isBulk()) {
      lucene(() -> writer.forceMerge(BulkMergePolicy.FLAT_ONLY));
    }
    lucene(() -> writer.commit());
    dirty = false;
  }

  private boolean isBulk() {
    return writer.getConfig().getMergePolicy() instanceof BulkMergePolicy;
  }

  boolean hasUncommittedChanges() {
    return dirty;
  }

  /** True once the index has a commit (readers can open it). */
  boolean hasCommit() throws IOException {
    return DirectoryReader.indexExists(directory);
  }

  /** Documents in the index, pending ones included. */
  public int documents() {
    return writer.getDocStats().numDocs;
  }

  /** Drops everything since the last commit and closes. */
  public void rollback() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.rollback();
    } finally {
      stopThreads();
      directory.close();
    }
  }

  /**
   * Rolls back and, when this writer began the index, removes every file it wrote (and the directory it made):
   * a failed first run leaves no index that records its model. An index that existed is left as last committed.
   */
  public void abandon() throws IOException {
    rollback();
    if (previous != null) {
      return;
    }
    Path dir = indexDir.toAbsolutePath().normalize();
    for (Path p : entries(dir)) {
      if ((before == null || !before.contains(p)) && Files.isRegularFile(p)) {
        Files.deleteIfExists(p); // Lucene writes flat files only
      }
    }
    if (before == null && entries(dir).isEmpty()) {
      Files.deleteIfExists(dir);
    }
  }

  private interface LuceneWrite {
    void run() throws IOException;
  }

  /** Runs a write of Lucene's; its errors (a full disk) name no file, so they are made to name the index. */
  private void lucene(LuceneWrite write) throws IOException {
    try {
      write.run();
    } catch (IOException e) {
      throw FileErrors.naming(indexDir, null, e);
    }
  }

  private static Set<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toSet());
    }
  }

  /** Commits what is pending and closes. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (dirty || !hasCommit()) {
        commit();
      }
      writer.close();
    } catch (IOException e) {
      rollback();
      throw FileErrors.naming(indexDir, null, e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
    closed = true;
    stopThreads();
    directory.close();
  }

  private void stopThreads() {
    if (graphThreads != null) {
      graphThreads.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "ImageIndexWriter[" + indexDir + "]";
  }
}
