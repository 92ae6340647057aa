package io.remoteclip.fs;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The cache root of this process: the {@code remoteclip.cache} system property, else the {@code REMOTECLIP_HOME}
 * environment variable, else {@code ~/.cache/remoteclip}. Downloads (the hub) and what is derived from models
 * (checkpoints extracted from zip archives) live below it.
 */
public final class CacheDirectory {
  private CacheDirectory() {}

  /** The cache root from the given environment and properties, absolute and normalised. */
  public static Path of(Map<String, String> env, Properties props) {
    String cache = props.getProperty("remoteclip.cache");
    if (cache == null || cache.isBlank()) {
      cache = env.get("REMOTECLIP_HOME");
    }
    Path dir = cache != null && !cache.isBlank() ? Path.of(cache.trim())
        : Path.of(props.getProperty("user.home", "."), ".cache", "remoteclip");
    return dir.toAbsolutePath().normalize();
  }

  /** The cache root of this process. */
  public static Path fromEnvironment() {
    return of(System.getenv(), System.getProperties());
  }

  /** A short stable name for a cache entry: the first 16 hex digits of the SHA-256 of {@code text}. */
  public static String key(String text) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
