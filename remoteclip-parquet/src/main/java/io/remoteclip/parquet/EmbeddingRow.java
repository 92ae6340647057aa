package io.remoteclip.parquet;

import io.remoteclip.geo.Footprint;
import java.awt.Rectangle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One row of an embeddings table: an image or a window of a scene.
 *
 * @param uniqueId 64 hex digits ({@link #idOf})
 * @param source where the pixels came from: a path or URI
 * @param stac the STAC item, collection and asset the source came from, or null
 * @param timestamp acquisition time, or null when unknown
 * @param footprint the pixel window, with its native and WGS84 corners when the source is georeferenced
 * @param embedding the image embedding
 */
public record EmbeddingRow(String uniqueId, String source, Stac stac, Instant timestamp, Footprint footprint,
    float[] embedding) {
  /** Where a row's source sits in a STAC catalogue; any part may be null. */
  public record Stac(String item, String collection, String asset) {}

  public EmbeddingRow {
    if (uniqueId == null || source == null || footprint == null || embedding == null) {
      throw new IllegalArgumentException("a row needs an id, a source, a pixel window and an embedding");
    }
  }

  /** A row of {@code source} (its whole image or one window) without STAC provenance or time. */
  public static EmbeddingRow of(String source, boolean window, Footprint footprint, float[] embedding) {
    return new EmbeddingRow(idOf(source, window ? footprint.window() : null), source, null, null, footprint, embedding);
  }

  public Rectangle pixelWindow() {
    return footprint.window();
  }

  /**
   * The row id: lower-case hex SHA-256 of the source and, for a window, its pixel rectangle
   * ({@code source#x=..,y=..,w=..,h=..}), so the same window of the same source always gets the same id.
   */
  public static String idOf(String source, Rectangle window) {
    String key = window == null ? source
        : source + "#x=" + window.x + ",y=" + window.y + ",w=" + window.width + ",h=" + window.height;
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
