package io.remoteclip.index;

import io.remoteclip.DataFormatException;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.document.LatLonShape;
import org.apache.lucene.document.ShapeField;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FileSwitchDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * A read-only, point-in-time view of an image index (the last commit when opened): approximate (HNSW) and
 * exact nearest-neighbour search by cosine similarity, optional label filters, and lookups by document id.
 * Thread-safe; concurrent searches share one reader.
 */
public final class ImageIndex implements SearchBackend {
  /** Default HNSW candidate list size at query time (Lucene's k for the graph search). */
  public static final int DEFAULT_EF_SEARCH = 100;

  private final Path dir;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final IndexMetadata metadata;

  /** How the graph was written (quantised graphs are searched then re-scored with the float vectors). */
  private GraphOptions graph = GraphOptions.DEFAULT;

  private ImageIndex(Path dir, Directory directory, DirectoryReader reader, IndexMetadata metadata) {
    this.dir = dir;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.metadata = metadata;
  }

  /** The graph options the index records ({@link GraphOptions#DEFAULT} for an index from before they were). */
  public GraphOptions graph() {
    return graph;
  }

  /** Opens the last commit of the index in {@code dir}. */
  public static ImageIndex open(Path dir) throws IOException, DataFormatException {
    requireDirectory(dir);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir + " (no index there)");
    }
    Directory d = FSDirectory.open(dir);
    try {
      if (!DirectoryReader.indexExists(d)) {
        throw new DataFormatException(dir + ": not an image index (no commit)");
      }
      DirectoryReader r;
      GraphOptions graph;
      try {
        // the graph options decide how the files are read, so they come from the commit before the reader opens
        // (all commits of an index share them)
        graph = GraphOptions.fromUserData(dir, SegmentInfos.readLatestCommit(d).getUserData());
        if (graph.quantized()) {
          d = floatCopyReadNotMapped(dir, d);
        }
        r = DirectoryReader.open(d);
      } catch (IOException e) {
        throw unreadable(dir, e);
      }
      try {
        ImageIndex index = new ImageIndex(dir, d, r, IndexMetadata.fromUserData(dir, r.getIndexCommit().getUserData()));
        index.graph = graph;
        return index;
      } catch (DataFormatException | RuntimeException e) {
        r.close();
        throw e;
      }
    } catch (IOException | DataFormatException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /**
   * {@code mapped} with the float vectors of the segments ({@code .vec}, Lucene99FlatVectorsFormat's data) read by
   * positional reads instead of a memory mapping. A quantised graph searches its int8/int4 copy ({@code .veq}) and
   * reads floats only to re-score its few dozen candidates per query; through a mapping, each of those reads maps
   * the pages around it too (the kernel's fault-around) until the whole float copy, four times the quantised one,
   * is resident in the process. Read this way it stays in the page cache, which the kernel can reclaim.
   */
  private static Directory floatCopyReadNotMapped(Path dir, Directory mapped) throws IOException {
    return new FileSwitchDirectory(Set.of("vec"), new NIOFSDirectory(dir), mapped, true);
  }

  /** An index is a directory: a file given as one is refused here, not taken for a missing index. */
  static void requireDirectory(Path dir) throws DataFormatException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": is a file, not an index directory");
    }
  }

  /**
   * Lucene's own message for a damaged or foreign directory ("Format version is not supported (resource
   * BufferedChecksumIndexInput(...)): 1786080875 ...") as one line naming the index; other I/O errors rethrown.
   */
  static DataFormatException unreadable(Path dir, IOException e) throws IOException {
    String why;
    if (e instanceof org.apache.lucene.index.IndexFormatTooNewException) {
      why = "written by a newer Lucene than this remoteclip's";
    } else if (e instanceof org.apache.lucene.index.IndexFormatTooOldException) {
      why = "unknown format version: damaged, or not written by remoteclip";
    } else if (e instanceof org.apache.lucene.index.CorruptIndexException) {
      why = "damaged (" + e.getClass().getSimpleName() + ")";
    } else {
      throw e;
    }
    return new DataFormatException(dir + ": not a readable image index (" + why + ")", e);
  }

  public Path directory() {
    return dir;
  }

  @Override
  public IndexMetadata metadata() {
    return metadata;
  }

  /** Number of documents (images). */
  @Override
  public int size() {
    return reader.numDocs();
  }

  @Override
  public long withoutFootprint() throws IOException {
    return reader.numDocs() - searcher.count(new TermQuery(new Term(ImageRecord.HAS_GEO, "1")));
  }

  @Override
  public List<SearchHit> nearest(float[] query, int k, SearchFilter filter, boolean exact, int ef) throws IOException {
    return exact ? exactSearch(query, k, filter) : search(query, k, filter, ef);
  }

  /** The Lucene form of a filter; null when it admits every document. */
  private static Query luceneFilter(SearchFilter filter) {
    if (filter == null || filter.matchesAll()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String l : filter.labels()) {
      b.add(new TermQuery(new Term(ImageRecord.LABEL, l)), BooleanClause.Occur.FILTER);
    }
    if (filter.geo() != null) {
      b.add(LatLonShape.newGeometryQuery(ImageRecord.GEO, ShapeField.QueryRelation.INTERSECTS, filter.geo().geometries()),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  /** Approximate k nearest neighbours by HNSW (candidate list {@link #DEFAULT_EF_SEARCH}), best first. */
  public List<SearchHit> search(float[] query, int k, SearchFilter filter) throws IOException {
    return search(query, k, filter, DEFAULT_EF_SEARCH);
  }

  /**
   * Approximate k nearest neighbours by HNSW, best first, exploring {@code max(k, ef)} candidates per segment
   * (HNSW's ef_search: more costs time, gains recall).
   */
  public List<SearchHit> search(float[] query, int k, SearchFilter filter, int ef) throws IOException {
    checkQuery(query, k);
    Query luceneFilter = luceneFilter(filter);
    if (luceneFilter != null && fewerThanAGraphSearchVisits(admittedEstimate(luceneFilter), Math.max(k, ef))) {
      return exactSearch(query, k, filter);
    }
    float[] q = Vectors.normalized(query);
    StoredFields stored = reader.storedFields();
    if (graph.quantized()) {
      // The graph's scores are of the quantised vectors: re-score its max(k, ef) candidates with the float ones.
      TopDocs candidates = approximate(q, Math.max(k, ef), luceneFilter, ef);
      int n = candidates.scoreDocs.length;
      int[] docs = new int[n];
      for (int i = 0; i < n; i++) {
        docs[i] = candidates.scoreDocs[i].doc;
      }
      java.util.Arrays.sort(docs);
      float[] scores = rescore(q, docs);
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(docs[a], docs[b]));
      List<SearchHit> out = new ArrayList<>(Math.min(k, n));
      for (int i = 0; i < Math.min(k, n); i++) {
        out.add(hit(stored, docs[order[i]], scores[order[i]]));
      }
      return out;
    }
    TopDocs top = approximate(q, k, luceneFilter, ef);
    List<SearchHit> out = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      // DOT_PRODUCT scores are (1 + cos) / 2; report the cosine itself, as exact search does.
      out.add(hit(stored, sd.doc, 2.0 * sd.score - 1.0));
    }
    return out;
  }

  /**
   * Whether scoring every one of {@code admitted} documents costs less than a filtered graph search would. A graph
   * search that admits a share s of the documents visits roughly {@code v / s} of them, v being what it visits
   * unfiltered (taken as 40·ef), and Lucene 9.12 gives up after {@code admitted} visits and then scores every admitted
   * one anyway; so below sqrt(40·ef·N) admitted documents the graph is only a detour (at 1 M and ef 100: 63,000, a
   * box of 6 % of the archive). Measured on the 1 M archive of docs/performance.md: a box admitting 10,000 tiles took
   * 66 ms through the graph and then exact, 11 ms scored directly (under load); a box of 25 % took 2.3 ms through the
   * graph.
   */
  private boolean fewerThanAGraphSearchVisits(long admitted, int ef) {
    return admitted <= Math.sqrt(40.0 * ef * reader.maxDoc());
  }

  /**
   * About how many documents {@code filter} admits, from the index structures' own estimates (a geographic filter's
   * from its point tree's cell counts) without collecting them: the search that follows runs the filter anyway, and
   * counting first would run it twice per query.
   */
  private long admittedEstimate(Query filter) throws IOException {
    Weight w = searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    long total = 0;
    for (LeafReaderContext ctx : reader.leaves()) {
      ScorerSupplier s = w.scorerSupplier(ctx);
      total += s == null ? 0 : s.cost();
    }
    return total;
  }

  /** Exact k nearest neighbours by brute force over every vector, best first (ties by document order). */
  public List<SearchHit> exactSearch(float[] query, int k, SearchFilter filter) throws IOException {
    checkQuery(query, k);
    float[] q = Vectors.normalized(query);
    int[] docs = exactTopDocs(q, k, luceneFilter(filter));
    List<SearchHit> out = new ArrayList<>(docs.length);
    StoredFields stored = reader.storedFields();
    for (int doc : docs) {
      out.add(hit(stored, doc, VectorUtil.dotProduct(q, vector(doc))));
    }
    return out;
  }

  private void checkQuery(float[] query, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k=" + k + " (must be positive)");
    }
    if (query.length != metadata.dimension()) {
      throw new IllegalArgumentException("query has " + query.length + " dimensions, the index " + metadata.dimension());
    }
  }

  private TopDocs approximate(float[] q, int k, Query filter, int ef) throws IOException {
    if (ef <= 0) {
      throw new IllegalArgumentException("ef=" + ef + " (must be positive)");
    }
    // Lucene sizes its heaps by k and ef before it looks at the index: cap both at the documents there are
    int most = Math.max(1, reader.maxDoc());
    int n = Math.min(k, most);
    return searcher.search(new KnnFloatVectorQuery(ImageRecord.EMBEDDING, q, Math.min(Math.max(k, ef), most), filter), n);
  }

  private record Scored(int doc, float score) {}

  private int[] exactTopDocs(float[] q, int k, Query filter) throws IOException {
    Comparator<Scored> worstFirst = Comparator.comparingDouble(Scored::score).thenComparing(Scored::doc, Comparator.reverseOrder());
    PriorityQueue<Scored> heap = new PriorityQueue<>(worstFirst);
    Weight filterWeight = filter == null ? null
        : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      FloatVectorValues values = leaf.getFloatVectorValues(ImageRecord.EMBEDDING);
      if (values == null) {
        continue;
      }
      Bits live = leaf.getLiveDocs();
      Bits accepted = filterWeight == null ? null : bits(filterWeight, ctx);
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        if ((live != null && !live.get(doc)) || (accepted != null && !accepted.get(doc))) {
          continue;
        }
        Scored s = new Scored(ctx.docBase + doc, VectorUtil.dotProduct(q, values.vectorValue()));
        if (heap.size() < k) {
          heap.add(s);
        } else if (worstFirst.compare(s, heap.peek()) > 0) {
          heap.poll();
          heap.add(s);
        }
      }
    }
    int[] out = new int[heap.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = heap.poll().doc();
    }
    return out;
  }

  private static Bits bits(Weight w, LeafReaderContext ctx) throws IOException {
    FixedBitSet set = new FixedBitSet(ctx.reader().maxDoc());
    Scorer s = w.scorer(ctx);
    if (s != null) {
      DocIdSetIterator it = s.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        set.set(d);
      }
    }
    return set;
  }

  private SearchHit hit(StoredFields stored, int doc, double score) throws IOException {
    ImageRecord r = ImageRecord.fromDocument(stored.document(doc), null);
    return new SearchHit(r.id(), r.path(), score, r.labels(), r.width(), r.height(), r.footprint());
  }

  /**
   * Dot products of {@code q} with the float vectors of {@code sortedDocs} (ascending doc numbers): one forward pass
   * per segment, scoring each vector where the reader holds it. A search re-scores up to ef candidates, and a copy
   * of each vector plus a reader per candidate was most of what a quantised search allocated.
   */
  private float[] rescore(float[] q, int[] sortedDocs) throws IOException {
    float[] scores = new float[sortedDocs.length];
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext ctx = null;
    FloatVectorValues values = null;
    for (int i = 0; i < sortedDocs.length; i++) {
      int doc = sortedDocs[i];
      if (ctx == null || doc >= ctx.docBase + ctx.reader().maxDoc()) {
        ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
        values = ctx.reader().getFloatVectorValues(ImageRecord.EMBEDDING);
      }
      scores[i] = VectorUtil.dotProduct(q, vectorAt(values, ctx, doc));
    }
    return scores;
  }

  /** The (normalised) embedding of a document by Lucene doc number in this view. */
  float[] vector(int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
    return vectorAt(ctx.reader().getFloatVectorValues(ImageRecord.EMBEDDING), ctx, doc).clone();
  }

  /**
   * {@code doc}'s vector, read by advancing {@code values} (of {@code ctx}'s segment, not yet past it) to it; the
   * array is the reader's own, overwritten by its next read.
   */
  private static float[] vectorAt(FloatVectorValues values, LeafReaderContext ctx, int doc) throws IOException {
    int local = doc - ctx.docBase;
    if (values == null || values.advance(local) != local) {
      throw new IllegalStateException("document " + doc + " has no embedding");
    }
    return values.vectorValue();
  }

  private int docOf(String id) throws IOException {
    TopDocs top = searcher.search(new TermQuery(new Term(ImageRecord.ID, id)), 1);
    return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
  }

  /** The record (with its embedding) of a document id, if indexed. */
  @Override
  public Optional<ImageRecord> record(String id) throws IOException {
    int doc = docOf(id);
    if (doc < 0) {
      return Optional.empty();
    }
    Document d = reader.storedFields().document(doc);
    return Optional.of(ImageRecord.fromDocument(d, vector(doc)));
  }

  /** Every record, embeddings included, in document order. */
  public List<ImageRecord> records() throws IOException {
    return records(true);
  }

  /** Every record in document order; without embeddings ({@code null}) unless asked. */
  public List<ImageRecord> records(boolean withEmbeddings) throws IOException {
    List<ImageRecord> out = new ArrayList<>(reader.numDocs());
    StoredFields stored = reader.storedFields();
    for (LeafReaderContext ctx : reader.leaves()) {
      Bits live = ctx.reader().getLiveDocs();
      for (int d = 0; d < ctx.reader().maxDoc(); d++) {
        if (live == null || live.get(d)) {
          out.add(ImageRecord.fromDocument(stored.document(ctx.docBase + d), withEmbeddings ? vector(ctx.docBase + d) : null));
        }
      }
    }
    return out;
  }

  /**
   * Recall@k of HNSW against exact search, with {@code queries} indexed embeddings (sampled with
   * {@code seed}) as queries.
   */
  public RecallReport recall(int k, int queries, long seed) throws IOException {
    return recall(k, queries, seed, DEFAULT_EF_SEARCH);
  }

  /** As {@link #recall(int, int, long)} with HNSW candidate list {@code ef}. */
  public RecallReport recall(int k, int queries, long seed, int ef) throws IOException {
    List<Integer> live = new ArrayList<>();
    for (LeafReaderContext ctx : reader.leaves()) {
      Bits bits = ctx.reader().getLiveDocs();
      for (int d = 0; d < ctx.reader().maxDoc(); d++) {
        if (bits == null || bits.get(d)) {
          live.add(ctx.docBase + d);
        }
      }
    }
    if (live.isEmpty()) {
      throw new IllegalArgumentException(dir + ": the index is empty");
    }
    java.util.Collections.shuffle(live, new Random(seed));
    k = Math.min(k, live.size());
    int n = Math.min(queries, live.size());
    double sum = 0;
    double min = 1;
    long hnswNanos = 0;
    long exactNanos = 0;
    for (int i = 0; i < n; i++) {
      float[] q = vector(live.get(i));
      long t0 = System.nanoTime();
      TopDocs approx = approximate(q, k, null, ef);
      long t1 = System.nanoTime();
      int[] exact = exactTopDocs(q, k, null);
      long t2 = System.nanoTime();
      hnswNanos += t1 - t0;
      exactNanos += t2 - t1;
      Set<Integer> truth = new HashSet<>();
      for (int d : exact) {
        truth.add(d);
      }
      int found = 0;
      for (ScoreDoc sd : approx.scoreDocs) {
        found += truth.contains(sd.doc) ? 1 : 0;
      }
      double r = exact.length == 0 ? 1 : (double) found / exact.length;
      sum += r;
      min = Math.min(min, r);
    }
    return new RecallReport(k, ef, n, sum / n, min, hnswNanos / 1e6 / n, exactNanos / 1e6 / n);
  }

  /** The index directory, as messages name it. */
  @Override
  public String toString() {
    return dir.toString();
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
