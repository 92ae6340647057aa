package io.remoteclip.cli.eval;

import io.remoteclip.hub.HubSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where end-to-end evaluations keep their embeddings, so a second run re-encodes nothing. */
public final class CacheOptions {
  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Embedding cache (default: $REMOTECLIP_HOME/embeddings, else ~/.cache/remoteclip/embeddings).")
  Path cacheDir;

  @Option(names = "--no-cache", description = "Encode everything and write no cache.")
  boolean noCache;

  /** The cache folder, or {@code null} with {@code --no-cache}. */
  Path directory() {
    if (noCache) {
      return null;
    }
    return cacheDir != null ? cacheDir : HubSettings.fromEnvironment().cacheDir().resolve("embeddings");
  }
}
