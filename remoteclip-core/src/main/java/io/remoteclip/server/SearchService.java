package io.remoteclip.server;

import io.remoteclip.DataFormatException;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.QueryVectors;
import io.remoteclip.index.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What the HTTP API does, independent of HTTP: searches and classification on one loaded model and one
 * index snapshot. The model is shared by all requests, at most {@link ServerLimits#modelSlots()} encoding
 * at a time; waiting longer than the request timeout gives 503.
 */
public final class SearchService implements AutoCloseable {
  static final String DEFAULT_TEMPLATE = "a satellite photo of {}.";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final int CLASSIFIER_CACHE = 64;

  private final ImageIndex index;
  private final ClipEncoder encoder;
  private final ServerLimits limits;
  private final Semaphore modelSlots;
  private final Map<List<String>, ZeroShotClassifier> classifiers = new ConcurrentHashMap<>();
  private final Thumbnails thumbnails = new Thumbnails();

  /** Takes ownership of both: {@link #close()} closes them. */
  public SearchService(ImageIndex index, ClipEncoder encoder, ServerLimits limits) {
    if (!encoder.modelId().equals(index.metadata().modelId())) {
      throw new IllegalArgumentException("the index was built with model " + index.metadata().modelId()
          + ", not " + encoder.modelId());
    }
    this.index = index;
    this.encoder = encoder;
    this.limits = limits;
    this.modelSlots = new Semaphore(limits.modelSlots(), true);
  }

  public ServerLimits limits() {
    return limits;
  }

  public ImageIndex index() {
    return index;
  }

  Map<String, Object> health() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("status", "ok");
    o.put("documents", index.size());
    o.put("model", index.metadata().modelId());
    o.put("dimension", index.metadata().dimension());
    return o;
  }

  List<SearchHit> searchText(String query, int k, List<String> labels) throws HttpError, IOException {
    if (query == null || query.isBlank()) {
      throw new HttpError(400, "empty query: give q=some text");
    }
    if (query.length() > limits.maxQueryChars()) {
      throw new HttpError(400, "query too long: " + query.length() + " characters (at most " + limits.maxQueryChars() + ")");
    }
    checkK(k);
    float[] q = withModel(() -> QueryVectors.text(encoder, query));
    return index.search(q, k, ImageIndex.labelFilter(labels));
  }

  List<SearchHit> searchSimilar(String id, int k, List<String> labels) throws HttpError, IOException {
    checkK(k);
    ImageRecord r = record(id);
    return index.search(r.embedding(), k, ImageIndex.labelFilter(labels));
  }

  List<SearchHit> searchImage(byte[] upload, int k, List<String> labels) throws HttpError, IOException {
    checkK(k);
    DecodedImage image = decodeUpload(upload);
    float[] q = withModel(() -> QueryVectors.image(encoder, image));
    return index.search(q, k, ImageIndex.labelFilter(labels));
  }

  List<Map<String, Object>> classify(byte[] upload, List<String> labels) throws HttpError {
    List<String> classes = new ArrayList<>();
    for (String l : labels) {
      if (!l.isBlank() && !classes.contains(l.trim())) {
        classes.add(l.trim());
      }
    }
    if (classes.size() < 2) {
      throw new HttpError(400, "give at least two labels (labels=a,b,...)");
    }
    if (classes.size() > limits.maxLabels()) {
      throw new HttpError(400, classes.size() + " labels (at most " + limits.maxLabels() + ")");
    }
    for (String c : classes) {
      if (c.length() > limits.maxQueryChars()) {
        throw new HttpError(400, "label too long: " + c.length() + " characters (at most " + limits.maxQueryChars() + ")");
      }
    }
    DecodedImage image = decodeUpload(upload);
    float[] probs = withModel(() -> {
      ZeroShotClassifier zs = classifiers.get(classes);
      if (zs == null) {
        try {
          zs = ZeroShotClassifier.build(encoder, classes, List.of(DEFAULT_TEMPLATE), (float) Math.exp(encoder.model().logitScale()));
        } catch (IOException | RemoteClipException e) {
          throw new HttpError(500, "could not encode the labels");
        }
        if (classifiers.size() >= CLASSIFIER_CACHE) {
          classifiers.clear();
        }
        classifiers.put(List.copyOf(classes), zs);
      }
      return zs.probabilities(encoder.encodePixels(List.of(encoder.preprocess(image)))[0]);
    });
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < classes.size(); i++) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("label", classes.get(i));
      o.put("probability", (double) probs[i]);
      out.add(o);
    }
    out.sort(Comparator.comparingDouble((Map<String, Object> o) -> (double) o.get("probability")).reversed());
    return out;
  }

  /** JPEG preview of an indexed image: only ids of the index are accepted, never client paths. */
  byte[] thumbnail(String id) throws HttpError, IOException {
    byte[] cached = thumbnails.cached(id);
    if (cached != null) {
      return cached;
    }
    ImageRecord r = record(id);
    try {
      byte[] jpeg = Thumbnails.jpeg(encoder.decode(Path.of(r.path())));
      thumbnails.put(id, jpeg);
      return jpeg;
    } catch (NoSuchFileException e) {
      throw new HttpError(404, "image " + id + " is indexed but its file is gone");
    } catch (RemoteClipException e) {
      throw new HttpError(422, "image " + id + " can no longer be decoded");
    }
  }

  private ImageRecord record(String id) throws HttpError, IOException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new HttpError(400, "bad image id (expected 16 hex digits from a search result)");
    }
    Optional<ImageRecord> r = index.record(id);
    if (r.isEmpty()) {
      throw new HttpError(404, "no indexed image with id " + id);
    }
    return r.get();
  }

  private void checkK(int k) throws HttpError {
    if (k <= 0 || k > limits.maxK()) {
      throw new HttpError(400, "k=" + k + " (must be 1.." + limits.maxK() + ")");
    }
  }

  private DecodedImage decodeUpload(byte[] bytes) throws HttpError {
    if (bytes == null || bytes.length == 0) {
      throw new HttpError(400, "no image uploaded (send it as the 'image' field of multipart/form-data or as the body)");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile("remoteclip-upload", ".img");
      Files.write(tmp, bytes);
      return ImageDecoder.decode(tmp, null);
    } catch (DataFormatException e) {
      String msg = e.getMessage() == null ? "unreadable" : e.getMessage().replace(tmp.toString(), "upload");
      throw new HttpError(415, msg.startsWith("upload") ? msg : "upload: " + msg);
    } catch (IOException e) {
      throw new HttpError(500, "could not buffer the upload");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  interface ModelWork<T> {
    T run() throws HttpError;
  }

  private <T> T withModel(ModelWork<T> work) throws HttpError {
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
      return work.run();
    } finally {
      modelSlots.release();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      encoder.close();
    } finally {
      index.close();
    }
  }
}
