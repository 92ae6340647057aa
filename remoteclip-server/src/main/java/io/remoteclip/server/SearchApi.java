package io.remoteclip.server;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.EncoderBusyException;
import io.remoteclip.encode.TextQueryBatcher;
import io.remoteclip.eval.ClassLabels;
import io.remoteclip.image.ImageTooElongatedException;
import io.remoteclip.image.ImageTooLargeException;
import io.remoteclip.index.LabelScore;
import io.remoteclip.search.NoSuchImageException;
import io.remoteclip.index.SearchFilter;
import io.remoteclip.search.SearchRequest;
import io.remoteclip.search.SearchResult;
import io.remoteclip.search.SearchService;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The HTTP API's rules over a {@link SearchService}: what a request may ask ({@link ServerLimits}), how many
 * requests encode on the shared model at a time ({@link ServerLimits#modelSlots()}; waiting longer than the
 * request timeout gives 503; text queries wait in the service's bounded batching queue instead, and a full
 * queue gives 503 too), and which errors become which status. Paths in answers are those of the index
 * (relative to the indexed root), never absolute server paths.
 */
final class SearchApi implements AutoCloseable {
  /** Embedded-index ids are 16 hex digits (hash of the key); SolrCloud ids the 64 of the content SHA-256. */
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}|[0-9a-f]{64}");

  private final SearchService service;
  private final ServerLimits limits;
  private final Semaphore modelSlots;
  private final Thumbnails thumbnails = new Thumbnails();

  SearchApi(SearchService service, ServerLimits limits) {
    this.service = service;
    this.limits = limits;
    this.modelSlots = new Semaphore(limits.modelSlots(), true);
  }

  ServerLimits limits() {
    return limits;
  }

  /** How label probabilities are made: {@code softmax} over the labels (CLIP) or each label's {@code sigmoid} (SigLIP). */
  String scores() {
    return service.scores();
  }

  Map<String, Object> health() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("status", "ok");
    o.put("documents", service.documents());
    o.put("model", service.metadata().modelId());
    o.put("dimension", service.metadata().dimension());
    o.put("model_loaded", service.hasModel()); // false: by-example and vector queries only
    TextQueryBatcher.Stats t = service.textQueryStats();
    Map<String, Object> texts = new LinkedHashMap<>();
    texts.put("requests", t.requests());
    texts.put("cache_hits", t.cacheHits());
    texts.put("rejected", t.rejected());
    texts.put("batches", t.batches());
    texts.put("encoded", t.encoded());
    o.put("text_queries", texts);
    return o;
  }

  SearchResult searchText(String query, int k, SearchFilter filter, List<String> zeroShot) throws HttpError, IOException {
    if (query == null || query.isBlank()) {
      throw new HttpError(400, "empty query: give q=some text");
    }
    if (query.length() > limits.maxQueryChars()) {
      throw new HttpError(400, "query too long: " + query.length() + " characters (at most " + limits.maxQueryChars() + ")");
    }
    SearchRequest request = request(k, filter, zeroShot);
    // The query itself goes through the service's own bounded, batching text queue, not a model slot (a slot per
    // query would cap the batch at the slots); labelling the hits encodes the labels on a slot.
    return request.zeroShotLabels().isEmpty() ? call(() -> service.text(query, request))
        : withModel(() -> service.text(query, request));
  }

  SearchResult searchSimilar(String id, int k, SearchFilter filter, List<String> zeroShot) throws HttpError, IOException {
    checkId(id);
    SearchRequest request = request(k, filter, zeroShot);
    // Neighbours of a stored embedding need no model; labelling the hits encodes the labels.
    return request.zeroShotLabels().isEmpty() ? call(() -> service.similar(id, request))
        : withModel(() -> service.similar(id, request));
  }

  /**
   * Neighbours of an embedding of the index's model, sent as a JSON array of numbers or an object
   * {@code {"vector": [...]}}; needs no model.
   */
  SearchResult searchVector(byte[] body, int k, SearchFilter filter, List<String> zeroShot) throws HttpError, IOException {
    float[] vector = vector(body);
    SearchRequest request = request(k, filter, zeroShot);
    return request.zeroShotLabels().isEmpty() ? call(() -> service.nearest(vector, request))
        : withModel(() -> service.nearest(vector, request));
  }

  private float[] vector(byte[] body) throws HttpError {
    if (body == null || body.length == 0) {
      throw new HttpError(400, "no vector sent (send a JSON array of " + service.metadata().dimension()
          + " numbers, or {\"vector\": [...]}, as the body)");
    }
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = io.remoteclip.Json.mapper().readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpError(400, "the vector is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new HttpError(400, "the vector is not JSON");
    }
    if (node != null && node.isObject()) {
      node = node.get("vector");
    }
    if (node == null || !node.isArray()) {
      throw new HttpError(400, "expected a JSON array of numbers or {\"vector\": [...]}");
    }
    int dimension = service.metadata().dimension();
    if (node.size() != dimension) {
      throw new HttpError(400, "a vector of " + node.size() + " values; the index holds " + dimension
          + "-dimensional embeddings");
    }
    float[] v = new float[node.size()];
    for (int i = 0; i < v.length; i++) {
      com.fasterxml.jackson.databind.JsonNode x = node.get(i);
      if (!x.isNumber() || !Float.isFinite(x.floatValue())) {
        throw new HttpError(400, "vector value " + i + " is not a finite number: " + x);
      }
      v[i] = x.floatValue();
    }
    return v;
  }

  SearchResult searchImage(byte[] upload, int k, SearchFilter filter, List<String> zeroShot) throws HttpError, IOException {
    checkUpload(upload);
    SearchRequest request = request(k, filter, zeroShot);
    return withModel(() -> service.image(upload, "upload", request));
  }

  List<LabelScore> classify(byte[] upload, List<String> labels) throws HttpError, IOException {
    List<String> classes = classes(labels, "labels");
    checkUpload(upload);
    return withModel(() -> service.classify(upload, "upload", classes, SearchRequest.DEFAULT_TEMPLATE));
  }

  /** JPEG preview of an indexed image: only ids of the index are accepted, never client paths. */
  byte[] thumbnail(String id) throws HttpError, IOException {
    checkId(id);
    byte[] cached = thumbnails.cached(id);
    if (cached != null) {
      return cached;
    }
    try {
      byte[] jpeg = Thumbnails.jpeg(service.indexedImage(id));
      thumbnails.put(id, jpeg);
      return jpeg;
    } catch (NoSuchFileException e) {
      throw new HttpError(404, "image " + id + " is indexed but its file is gone");
    } catch (NoSuchImageException e) {
      throw new HttpError(404, e.getMessage());
    } catch (RemoteClipException e) {
      throw new HttpError(422, "image " + id + " can no longer be decoded");
    }
  }

  /** PNG quick-look of the scene of an indexed window (or GeoTIFF) with the window outlined; ids only, never paths. */
  byte[] quicklook(String id) throws HttpError, IOException {
    checkId(id);
    try {
      return service.quicklook(id, QUICKLOOK_SIDE);
    } catch (NoSuchFileException e) {
      throw new HttpError(404, "image " + id + " is indexed but its scene file is gone");
    } catch (NoSuchImageException e) {
      throw new HttpError(404, e.getMessage());
    } catch (RemoteClipException e) {
      throw new HttpError(422, "image " + id + " has no scene quick-look (not a readable TIFF)");
    }
  }

  /** Longer side of a served quick-look, in pixels. */
  static final int QUICKLOOK_SIDE = 512;

  private SearchRequest request(int k, SearchFilter filter, List<String> zeroShot) throws HttpError {
    if (k <= 0 || k > limits.maxK()) {
      throw new HttpError(400, "k=" + k + " (must be 1.." + limits.maxK() + ")");
    }
    SearchRequest r = SearchRequest.top(k).withFilter(filter);
    return zeroShot.isEmpty() ? r : r.withZeroShot(classes(zeroShot, "zero_shot"));
  }

  /**
   * Trimmed, non-blank labels within the limits; {@code param} names them in messages. A repeated label is refused,
   * as every command refuses it ({@link ClassLabels}), so that a request means the same here as on the command line.
   */
  private List<String> classes(List<String> labels, String param) throws HttpError {
    List<String> classes = new ArrayList<>();
    for (String l : labels) {
      if (!l.isBlank()) {
        classes.add(l.trim());
      }
    }
    String repeated = ClassLabels.firstDuplicate(classes);
    if (repeated != null) {
      throw new HttpError(400, ClassLabels.duplicateMessage(param, repeated));
    }
    if (classes.size() < 2) {
      throw new HttpError(400, "give at least two labels (" + param + "=a,b,...)");
    }
    if (classes.size() > limits.maxLabels()) {
      throw new HttpError(400, classes.size() + " labels (at most " + limits.maxLabels() + ")");
    }
    for (String c : classes) {
      if (c.length() > limits.maxQueryChars()) {
        throw new HttpError(400, "label too long: " + c.length() + " characters (at most " + limits.maxQueryChars() + ")");
      }
    }
    return classes;
  }

  private static void checkId(String id) throws HttpError {
    if (id == null || !ID.matcher(id).matches()) {
      throw new HttpError(400, "bad image id (expected 16 hex digits from a search result)");
    }
  }

  private static void checkUpload(byte[] bytes) throws HttpError {
    if (bytes == null || bytes.length == 0) {
      throw new HttpError(400, "no image uploaded (send it as the 'image' field of multipart/form-data or as the body)");
    }
  }

  interface Work<T> {
    T run() throws IOException, RemoteClipException;
  }

  /** Runs service work, turning the core's refusals into statuses. */
  private static <T> T call(Work<T> work) throws HttpError, IOException {
    try {
      return work.run();
    } catch (NoSuchImageException e) {
      throw new HttpError(404, e.getMessage());
    } catch (EncoderBusyException e) {
      throw new HttpError(503, "server busy: " + e.getMessage());
    } catch (ImageTooLargeException | ImageTooElongatedException e) {
      // A well-formed image beyond the decoder's bounds, refused from its header: not a media type problem.
      throw new HttpError(422, e.getMessage());
    } catch (DataFormatException e) {
      throw new HttpError(415, e.getMessage());
    } catch (RemoteClipException e) {
      throw new HttpError(422, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
  }

  private <T> T withModel(Work<T> work) throws HttpError, IOException {
    boolean acquired;
    try {
      acquired = modelSlots.tryAcquire(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "server shutting down");
    }
    if (!acquired) {
      throw new HttpError(503, "server busy: the model was not free within " + limits.requestTimeout().toSeconds() + " s");
    }
    try {
      return call(work);
    } finally {
      modelSlots.release();
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
