package io.remoteclip.encode;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * An {@link Encoder} whose {@link #modelId()} also names what else changes its output (the vocabulary
 * file, the band selection), so a {@link CachedEncoder} never serves rows computed under other settings.
 */
public final class KeyedEncoder implements Encoder {
  private final Encoder delegate;
  private final String id;

  public KeyedEncoder(Encoder delegate, String extraKey) {
    this.delegate = delegate;
    this.id = extraKey == null || extraKey.isEmpty() ? delegate.modelId() : delegate.modelId() + "|" + extraKey;
  }

  /** {@code vocab=<absolute path>@<size>:<mtime ms>} plus {@code |bands=<spec>} when bands are selected. */
  public static String settingsKey(Path vocab, String bands) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (vocab != null) {
      Path abs = vocab.toAbsolutePath().normalize();
      BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
      sb.append("vocab=").append(abs).append('@').append(a.size()).append(':').append(a.lastModifiedTime().toMillis());
    }
    if (bands != null && !bands.isBlank()) {
      sb.append(sb.length() == 0 ? "" : "|").append("bands=").append(bands.strip());
    }
    return sb.toString();
  }

  @Override
  public String modelId() {
    return id;
  }

  @Override
  public float[][] encodeImages(List<Path> images, ProgressListener progress) throws IOException, RemoteClipException {
    return delegate.encodeImages(images, progress);
  }

  @Override
  public float[][] encodeTexts(List<String> texts, ProgressListener progress) throws IOException, RemoteClipException {
    return delegate.encodeTexts(texts, progress);
  }
}
