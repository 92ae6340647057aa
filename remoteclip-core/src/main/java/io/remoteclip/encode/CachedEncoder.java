package io.remoteclip.encode;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Encoder} that reuses embeddings computed before and encodes only what is missing or stale.
 *
 * <p>Layout: {@code cacheDir/<first 16 hex of sha256(modelId)>/} holds {@code model.txt} (the model id: for a
 * {@link ClipEncoder} its {@link EncoderId}, so rows of another band selection or vocabulary are never served),
 * {@code images.npy}+{@code images.txt} and {@code texts.npy}+{@code texts.txt} ({@link EmbeddingTable}
 * files). An image entry's key is {@code <size>\t<mtime ms>\t<absolute path>}, so an image is re-encoded
 * when it was replaced or touched; a text entry's key is the text. A cache of another model id, or whose
 * files disagree, is ignored and rewritten. Not safe for concurrent writers on the same cache directory.
 */
public final class CachedEncoder implements Encoder {
  private final Encoder delegate;
  private final Path dir;
  private long hits;
  private long misses;

  public CachedEncoder(Encoder delegate, Path cacheDir) {
    this.delegate = delegate;
    this.dir = cacheDir.resolve(shortHash(delegate.modelId()));
  }

  @Override
  public String modelId() {
    return delegate.modelId();
  }

  @Override
  public LogitScale logitScale() {
    return delegate.logitScale();
  }

  /** Rows served from the cache since this object was created. */
  public long hits() {
    return hits;
  }

  /** Rows the wrapped encoder had to compute since this object was created. */
  public long misses() {
    return misses;
  }

  @Override
  public float[][] encodeImages(List<Path> images, ProgressListener progress) throws IOException, RemoteClipException {
    List<String> keys = new ArrayList<>(images.size());
    for (Path p : images) {
      keys.add(imageKey(p));
    }
    return lookup("images", keys, missing -> {
      List<Path> paths = new ArrayList<>();
      for (int i : missing) {
        paths.add(images.get(i));
      }
      return delegate.encodeImages(paths, progress);
    });
  }

  @Override
  public float[][] encodeTexts(List<String> texts, ProgressListener progress) throws IOException, RemoteClipException {
    return lookup("texts", texts, missing -> {
      List<String> todo = new ArrayList<>();
      for (int i : missing) {
        todo.add(texts.get(i));
      }
      return delegate.encodeTexts(todo, progress);
    });
  }

  private interface Compute {
    float[][] rows(List<Integer> missingIndices) throws IOException, RemoteClipException;
  }

  private float[][] lookup(String table, List<String> keys, Compute compute) throws IOException, RemoteClipException {
    Map<String, float[]> cached = load(table);
    float[][] out = new float[keys.size()][];
    List<Integer> missing = new ArrayList<>();
    Map<String, Integer> firstMissing = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      float[] row = cached.get(keys.get(i));
      if (row != null) {
        out[i] = row;
        hits++;
      } else if (!firstMissing.containsKey(keys.get(i))) {
        firstMissing.put(keys.get(i), missing.size());
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    float[][] computed = compute.rows(missing);
    if (computed.length != missing.size()) {
      throw new IllegalStateException("encoder returned " + computed.length + " rows for " + missing.size() + " inputs");
    }
    misses += missing.size();
    for (int i = 0; i < keys.size(); i++) {
      Integer m = firstMissing.get(keys.get(i));
      if (out[i] == null && m != null) {
        out[i] = computed[m];
      }
    }
    for (int m = 0; m < missing.size(); m++) {
      String key = keys.get(missing.get(m));
      if (table.equals("images")) {
        // A stale entry of the same file (other size or mtime) is dropped.
        String path = key.substring(key.indexOf('\t', key.indexOf('\t') + 1) + 1);
        cached.keySet().removeIf(k -> k.endsWith("\t" + path));
      }
      cached.put(key, computed[m]);
    }
    save(table, cached);
    return out;
  }

  private Map<String, float[]> load(String table) throws IOException {
    Map<String, float[]> map = new LinkedHashMap<>();
    Path npy = dir.resolve(table + ".npy");
    Path model = dir.resolve("model.txt");
    if (!Files.exists(npy) || !Files.exists(model)
        || !Files.readString(model, StandardCharsets.UTF_8).strip().equals(delegate.modelId())) {
      return map;
    }
    try {
      EmbeddingTable t = EmbeddingTable.read(npy);
      for (int i = 0; i < t.rows().length; i++) {
        map.put(t.keys().get(i), t.rows()[i]);
      }
    } catch (DataFormatException | IOException e) {
      map.clear(); // an unreadable cache is a cache miss, not an error: it is rebuilt below
    }
    return map;
  }

  private void save(String table, Map<String, float[]> entries) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve("model.txt"), delegate.modelId() + "\n");
    int dim = entries.values().iterator().next().length;
    List<String> keys = new ArrayList<>(entries.keySet());
    float[][] rows = new float[keys.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = entries.get(keys.get(i));
      if (rows[i].length != dim) {
        throw new IllegalStateException("embedding dimension changed within model " + delegate.modelId());
      }
    }
    new EmbeddingTable(keys, rows).write(dir.resolve(table + ".npy"));
  }

  static String imageKey(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
    return a.size() + "\t" + a.lastModifiedTime().toMillis() + "\t" + abs;
  }

  static String shortHash(String s) {
    return io.remoteclip.fs.CacheDirectory.key(s);
  }
}
