package io.remoteclip.search;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.UnsupportedFormatException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.TextQueryBatcher;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageTooElongatedException;
import io.remoteclip.image.ImageTooLargeException;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.LabelScore;
import io.remoteclip.index.QueryVectors;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.index.SearchHit;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.geo.Quicklook;
import io.remoteclip.geo.Scene;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.vector.Vectors;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Search over one index with the model that built it: by text, by an example image (a file or bytes), by an
 * indexed image's id; with label filters and, if asked, zero-shot labels of every hit. Also zero-shot
 * classification of an image against labels. Thread-safe: requests share the model and the index; concurrent
 * text queries are encoded together and repeated ones come from a cache ({@link TextQueryBatcher}).
 *
 * <pre>{@code
 * try (SearchService search = SearchService.open(Path.of("ucm-index"), ModelResolver.fromEnvironment())) {
 *   for (SearchHit h : search.text("airplanes at a terminal", SearchRequest.top(5)).hits()) {
 *     System.out.println(h.score() + " " + h.path());
 *   }
 * }
 * }</pre>
 */
public final class SearchService implements AutoCloseable {
  private static final int CLASSIFIER_CACHE = 64;

  private final SearchBackend backend;
  /** Null for an index whose model remoteclip cannot load ({@link #withoutModel}), with {@code textQueries}. */
  private final ClipEncoder encoder;
  private final TextQueryBatcher textQueries;
  /** Without a model: the refusal of what needs it, naming the index and how this transport searches by example. */
  private final Object where;
  private final String byExample;
  private final Map<List<String>, ZeroShotClassifier> classifiers = new ConcurrentHashMap<>();

  /**
   * Search {@code backend} with {@code encoder}, which must be the model that built it. Takes ownership of both:
   * {@link #close()} closes them.
   */
  public SearchService(SearchBackend backend, ClipEncoder encoder) throws RemoteClipException {
    this(backend, encoder, TextQueryBatcher.Options.defaults());
  }

  /** As {@link #SearchService(SearchBackend, ClipEncoder)}, text queries batched and cached as {@code textQueries} says. */
  public SearchService(SearchBackend backend, ClipEncoder encoder, TextQueryBatcher.Options textQueries)
      throws RemoteClipException {
    IndexedModel.check(backend.metadata(), backend, encoder);
    this.backend = backend;
    this.encoder = encoder;
    this.textQueries = TextQueryBatcher.start(encoder, encoder.batchSize(), textQueries);
    this.where = null;
    this.byExample = null;
  }

  private SearchService(SearchBackend backend, Object where, String byExample) {
    this.backend = backend;
    this.encoder = null;
    this.textQueries = null;
    this.where = where;
    this.byExample = byExample;
  }

  /**
   * Search {@code backend} without a model, for an index whose model remoteclip cannot load (filled from a
   * third-party table, {@link IndexedModel#loadable}): by an indexed image or a vector, with label and area
   * filters. What needs the model (text and image queries, zero-shot labels, previews) is refused with one line
   * ({@link IndexedModel#cannotEmbed}) naming {@code where} and {@code byExample}, how the caller's transport
   * searches by example. Takes ownership of the backend.
   */
  public static SearchService withoutModel(SearchBackend backend, Object where, String byExample) {
    return new SearchService(backend, where, byExample);
  }

  /**
   * As {@link #SearchService(SearchBackend, ClipEncoder)} with text queries through {@code textQueries} (its encoder
   * may wrap {@code encoder}, e.g. with a disk cache, but must give the same rows: the same model id). Takes
   * ownership of it too.
   */
  public SearchService(SearchBackend backend, ClipEncoder encoder, TextQueryBatcher textQueries) throws RemoteClipException {
    IndexedModel.check(backend.metadata(), backend, encoder);
    if (!textQueries.modelId().equals(encoder.modelId())) {
      throw new IllegalArgumentException("text queries go through model " + textQueries.modelId() + ", not the index's "
          + encoder.modelId());
    }
    this.backend = backend;
    this.encoder = encoder;
    this.textQueries = textQueries;
    this.where = null;
    this.byExample = null;
  }

  /** Opens the local index in {@code indexDir} and the model it was built with. */
  public static SearchService open(Path indexDir, ModelResolver resolver) throws IOException, RemoteClipException {
    return open(indexDir, resolver, ClipEncoder.Options.defaults());
  }

  /** As {@link #open(Path, ModelResolver)} with encoder options (threads, batch size, bands). */
  public static SearchService open(Path indexDir, ModelResolver resolver, ClipEncoder.Options options)
      throws IOException, RemoteClipException {
    ImageIndex index = ImageIndex.open(indexDir);
    try {
      ClipEncoder encoder = IndexedModel.open(index.metadata(), indexDir, resolver, options, io.remoteclip.ProgressListener.NONE);
      return new SearchService(index, encoder);
    } catch (IOException | RemoteClipException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  public IndexMetadata metadata() {
    return backend.metadata();
  }

  /** Documents in the index. */
  public int documents() {
    return backend.size();
  }

  /** The model the queries are embedded with; null without one ({@link #withoutModel}). */
  public ClipEncoder encoder() {
    return encoder;
  }

  /**
   * How zero-shot label probabilities are made: {@code softmax} over the labels (CLIP) or each label's
   * {@code sigmoid} (SigLIP), as transports report them next to those probabilities; null for a service
   * {@link #withoutModel}, which makes none.
   */
  public String scores() {
    return encoder == null ? null : encoder.towers().family().scores();
  }

  /** False for a service {@link #withoutModel}: only queries by example are answered. */
  public boolean hasModel() {
    return encoder != null;
  }

  /** Counters of the text queries so far (cache hits, batches, refusals). */
  public TextQueryBatcher.Stats textQueryStats() {
    return textQueries == null ? new TextQueryBatcher.Stats(0, 0, 0, 0, 0) : textQueries.stats();
  }

  /** Refuses, in one line, what needs the model of an index searched without one. */
  private ClipEncoder model(String what) throws io.remoteclip.ModelNotFoundException {
    if (encoder == null) {
      throw IndexedModel.cannotEmbed(where, backend.metadata(), what, byExample);
    }
    return encoder;
  }

  /**
   * Images most similar to a text query.
   *
   * @throws io.remoteclip.encode.EncoderBusyException when too many text queries wait for the model
   */
  public SearchResult text(String query, SearchRequest request) throws IOException, RemoteClipException {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("the query is empty");
    }
    model("a text query");
    long t0 = System.nanoTime();
    float[] q = Vectors.normalized(textQueries.embed(query)); // as QueryVectors.text, batched with concurrent queries
    return search(q, request, t0, System.nanoTime());
  }

  /** Images most similar to an example image file (decoded with the model's band selection). */
  public SearchResult image(Path file, SearchRequest request) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    float[] q = embed(model("an image query").decode(file));
    return search(q, request, t0, System.nanoTime());
  }

  /** Images most similar to an example image given as bytes; {@code name} is what messages call it. */
  public SearchResult image(byte[] image, String name, SearchRequest request) throws IOException, RemoteClipException {
    model("an image query");
    long t0 = System.nanoTime();
    float[] q = embed(decode(image, name));
    return search(q, request, t0, System.nanoTime());
  }

  /** Images most similar to the indexed image {@code id} (the image itself first). */
  public SearchResult similar(String id, SearchRequest request) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    return search(record(id).embedding(), request, t0, t0);
  }

  /** Images most similar to {@code vector}, an embedding of the index's model (normalised here). */
  public SearchResult nearest(float[] vector, SearchRequest request) throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    return search(VectorSearch.normalizedQuery(backend, vector), request, t0, t0);
  }

  /** Zero-shot probabilities of {@code labels} (at least two) for an image given as bytes, most probable first. */
  public List<LabelScore> classify(byte[] image, String name, List<String> labels, String template)
      throws IOException, RemoteClipException {
    ZeroShotClassifier zs = classifier(labels, template);
    return scores(labels, zs.probabilities(embed(decode(image, name))));
  }

  /** The indexed record of {@code id}, embedding included. */
  public ImageRecord record(String id) throws IOException, NoSuchImageException {
    Optional<ImageRecord> r = backend.record(id);
    if (r.isEmpty()) {
      throw new NoSuchImageException("no indexed image with id " + id);
    }
    return r.get();
  }

  /**
   * The image file of an indexed id, decoded (for previews). Refused for ids not in the index, and for indexes
   * filled from embeddings with no local files.
   */
  public DecodedImage indexedImage(String id) throws IOException, RemoteClipException {
    ImageRecord r = record(id);
    if (encoder == null) {
      throw new NoSuchImageException("image " + id + " has no preview: the index's model " + metadata().modelId()
          + " (its band selection) cannot be loaded");
    }
    Optional<SceneWindowIndexer.WindowKey> window = SceneWindowIndexer.parse(r.path());
    if (window.isPresent()) {
      try (Scene scene = Scene.open(sceneFile(id, r, window.get()))) {
        return scene.readImage(window.get().window(), encoder.bands());
      }
    }
    Optional<Path> file = backend.file(r.path());
    if (file.isEmpty()) {
      throw new NoSuchImageException("image " + id + " (" + r.path() + ") has no file on this machine");
    }
    return encoder.decode(file.get());
  }

  /**
   * A PNG quick-look of the scene an indexed window (or whole GeoTIFF) belongs to, longer side at most
   * {@code maxSide}, with the indexed window outlined.
   */
  public byte[] quicklook(String id, int maxSide) throws IOException, RemoteClipException {
    ImageRecord r = record(id);
    if (encoder == null) {
      throw new NoSuchImageException("image " + id + " has no quick-look: the index's model " + metadata().modelId()
          + " (its band selection) cannot be loaded");
    }
    Optional<SceneWindowIndexer.WindowKey> window = SceneWindowIndexer.parse(r.path());
    try (Scene scene = Scene.open(sceneFile(id, r, window.orElse(null)))) {
      Rectangle outline = window.map(SceneWindowIndexer.WindowKey::window)
          .orElse(new Rectangle(0, 0, scene.width(), scene.height()));
      return Quicklook.png(scene, encoder.bands(), List.of(new Quicklook.Outline(outline, 0, null)), maxSide);
    }
  }

  /** The scene of an indexed window (or whole GeoTIFF): its URI for a remote scene, else its file here. */
  private RasterLocation sceneFile(String id, ImageRecord r, SceneWindowIndexer.WindowKey window)
      throws NoSuchImageException {
    String key = window == null ? r.path() : window.scene();
    if (RasterLocation.isRemote(key)) {
      return RasterLocation.parse(key);
    }
    return RasterLocation.of(backend.file(key).orElseThrow(() -> new NoSuchImageException("image " + id + " (" + key
        + ") has no file on this machine")));
  }

  /** The local file of a hit, if the index was built from a folder on this machine. */
  public Optional<Path> file(SearchHit hit) {
    return backend.file(hit.path());
  }

  private float[] embed(DecodedImage image) {
    return QueryVectors.image(encoder, image);
  }

  private SearchResult search(float[] q, SearchRequest request, long t0, long t1) throws IOException, RemoteClipException {
    SearchResult found = VectorSearch.search(backend, q, request, t0, t1);
    List<SearchHit> hits = found.hits();
    if (!request.zeroShotLabels().isEmpty()) {
      ZeroShotClassifier zs = classifier(request.zeroShotLabels(), request.template());
      List<SearchHit> labelled = new ArrayList<>(hits.size());
      for (SearchHit h : hits) {
        labelled.add(h.withZeroShot(scores(request.zeroShotLabels(), zs.probabilities(record(h.id()).embedding()))));
      }
      hits = labelled;
    }
    long t2 = System.nanoTime();
    return new SearchResult(hits, found.documents(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, found.withoutFootprint());
  }

  private ZeroShotClassifier classifier(List<String> labels, String template) throws IOException, RemoteClipException {
    if (labels.size() < 2 || labels.stream().distinct().count() != labels.size()) {
      throw new IllegalArgumentException("zero-shot labels need at least two distinct labels, got " + labels);
    }
    model("labels");
    String prompt = template == null ? SearchRequest.DEFAULT_TEMPLATE : template;
    List<String> key = new ArrayList<>(labels);
    key.add(prompt);
    ZeroShotClassifier zs = classifiers.get(key);
    if (zs == null) {
      zs = ZeroShotClassifier.build(encoder, labels, List.of(prompt), encoder.towers());
      if (classifiers.size() >= CLASSIFIER_CACHE) {
        classifiers.clear();
      }
      classifiers.put(List.copyOf(key), zs);
    }
    return zs;
  }

  private static List<LabelScore> scores(List<String> labels, float[] probabilities) {
    List<LabelScore> out = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.add(new LabelScore(labels.get(i), probabilities[i]));
    }
    out.sort(Comparator.comparingDouble(LabelScore::probability).reversed());
    return out;
  }

  /** Decodes image bytes through a temporary file, the decoders' input, naming {@code name} in messages. */
  private DecodedImage decode(byte[] bytes, String name) throws IOException, RemoteClipException {
    if (bytes == null || bytes.length == 0) {
      throw new DataFormatException(name + ": no image bytes");
    }
    Path tmp = Files.createTempFile("remoteclip-query", ".img");
    try {
      Files.write(tmp, bytes);
      return encoder.decode(tmp);
    } catch (ImageTooLargeException e) {
      // The size refusals keep their type (the server answers them 422), named after the upload.
      throw new ImageTooLargeException(name, e.width(), e.height(), e.limit());
    } catch (ImageTooElongatedException e) {
      throw new ImageTooElongatedException(name, e.width(), e.height(), e.limit());
    } catch (DataFormatException | UnsupportedFormatException e) {
      String msg = e.getMessage() == null ? "unreadable image" : e.getMessage().replace(tmp.toString(), name);
      throw new DataFormatException(msg.startsWith(name) ? msg : name + ": " + msg);
    } catch (NoSuchFileException e) {
      throw new IOException("could not buffer " + name, e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (encoder != null) {
        textQueries.close();
        encoder.close();
      }
    } finally {
      backend.close();
    }
  }
}
