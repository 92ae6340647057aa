package io.remoteclip.hub;

import java.net.ProxySelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the hub caches files and how it talks to the network. {@link #fromEnvironment()} reads the
 * settings below; a JVM system property wins over the environment variable next to it.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>environment</th><th>system property</th><th>meaning (default)</th></tr>
 *   <tr><td>REMOTECLIP_HOME</td><td>remoteclip.cache</td><td>cache directory (~/.cache/remoteclip)</td></tr>
 *   <tr><td>REMOTECLIP_OFFLINE=1</td><td>remoteclip.offline</td><td>never touch the network (off)</td></tr>
 *   <tr><td>HF_ENDPOINT</td><td>remoteclip.hfEndpoint</td><td>replaces https://huggingface.co in URLs</td></tr>
 *   <tr><td>REMOTECLIP_MIRROR</td><td>remoteclip.mirror</td><td>replaces scheme://host of every URL</td></tr>
 *   <tr><td>REMOTECLIP_CONNECT_TIMEOUT</td><td>remoteclip.connectTimeout</td><td>seconds (30)</td></tr>
 *   <tr><td>REMOTECLIP_READ_TIMEOUT</td><td>remoteclip.readTimeout</td><td>seconds without data (60)</td></tr>
 *   <tr><td>REMOTECLIP_DOWNLOAD_ATTEMPTS</td><td>remoteclip.downloadAttempts</td><td>tries per file (3)</td></tr>
 *   <tr><td>https_proxy, http_proxy, no_proxy</td><td>https.proxyHost, http.proxyHost, http.nonProxyHosts</td>
 *       <td>proxy (none)</td></tr>
 * </table>
 *
 * <p>{@code remoteclip.home} (set by {@code bin/remoteclip} to the installation root; default: found from the
 * location of the library's classes, never the working directory) is where bundled
 * models are looked up, under {@code models/<name>/}; it is not the cache.
 *
 * @param cacheDir cache root; downloads go to {@code models/<name>/} and {@code vocab/} below it
 * @param repoHome repository root holding bundled models, or {@code null}
 * @param offline when true no network request is ever made
 * @param hfEndpoint replacement for {@code https://huggingface.co}, or {@code null}
 * @param mirror replacement for the scheme and host of every URL, or {@code null}
 * @param proxy proxy selector for the HTTP client
 * @param connectTimeout TCP/TLS connect timeout
 * @param readTimeout longest wait for the response headers or for the next bytes of the body
 * @param attempts tries per file; interrupted and stalled transfers resume from the partial file
 * @param retryDelay pause before the second try (doubled for each later one)
 */
public record HubSettings(
    Path cacheDir,
    Path repoHome,
    boolean offline,
    String hfEndpoint,
    String mirror,
    ProxySelector proxy,
    Duration connectTimeout,
    Duration readTimeout,
    int attempts,
    Duration retryDelay) {

  public HubSettings {
    if (cacheDir == null) {
      throw new IllegalArgumentException("cache directory not set");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("download attempts must be at least 1, got " + attempts);
    }
  }

  /** Settings of this process: environment variables and system properties. */
  public static HubSettings fromEnvironment() {
    return from(System.getenv(), System.getProperties());
  }

  /** Settings from the given environment and properties (tests pass their own). */
  public static HubSettings from(Map<String, String> env, Properties props) {
    String home = props.getProperty("remoteclip.home");
    return new HubSettings(
        io.remoteclip.fs.CacheDirectory.of(env, props),
        home == null || home.isBlank() ? null : Path.of(home).toAbsolutePath().normalize(),
        truthy(setting(env, props, "REMOTECLIP_OFFLINE", "remoteclip.offline")),
        trimSlash(setting(env, props, "HF_ENDPOINT", "remoteclip.hfEndpoint")),
        trimSlash(setting(env, props, "REMOTECLIP_MIRROR", "remoteclip.mirror")),
        EnvironmentProxySelector.choose(env, props),
        seconds(env, props, "REMOTECLIP_CONNECT_TIMEOUT", "remoteclip.connectTimeout", 30),
        seconds(env, props, "REMOTECLIP_READ_TIMEOUT", "remoteclip.readTimeout", 60),
        (int) Math.round(number(env, props, "REMOTECLIP_DOWNLOAD_ATTEMPTS", "remoteclip.downloadAttempts", 3)),
        Duration.ofSeconds(1));
  }

  /** Defaults with the given cache directory and no proxy: the starting point of tests. */
  public static HubSettings forCache(Path cacheDir) {
    return new HubSettings(cacheDir.toAbsolutePath().normalize(), null, false, null, null,
        ProxySelector.of(null), Duration.ofSeconds(30), Duration.ofSeconds(60), 3, Duration.ofSeconds(1));
  }

  public HubSettings withOffline(boolean value) {
    return new HubSettings(cacheDir, repoHome, value, hfEndpoint, mirror, proxy, connectTimeout, readTimeout,
        attempts, retryDelay);
  }

  public HubSettings withRepoHome(Path value) {
    return new HubSettings(cacheDir, value, offline, hfEndpoint, mirror, proxy, connectTimeout, readTimeout,
        attempts, retryDelay);
  }

  public HubSettings withHfEndpoint(String value) {
    return new HubSettings(cacheDir, repoHome, offline, trimSlash(value), mirror, proxy, connectTimeout,
        readTimeout, attempts, retryDelay);
  }

  public HubSettings withMirror(String value) {
    return new HubSettings(cacheDir, repoHome, offline, hfEndpoint, trimSlash(value), proxy, connectTimeout,
        readTimeout, attempts, retryDelay);
  }

  public HubSettings withTimeouts(Duration connect, Duration read) {
    return new HubSettings(cacheDir, repoHome, offline, hfEndpoint, mirror, proxy, connect, read, attempts,
        retryDelay);
  }

  public HubSettings withAttempts(int value, Duration delay) {
    return new HubSettings(cacheDir, repoHome, offline, hfEndpoint, mirror, proxy, connectTimeout, readTimeout,
        value, delay);
  }

  private static String setting(Map<String, String> env, Properties props, String envKey, String propKey) {
    String v = props.getProperty(propKey);
    if (v == null || v.isBlank()) {
      v = env.get(envKey);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static boolean truthy(String v) {
    return v != null && switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      default -> false;
    };
  }

  private static String trimSlash(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String s = v.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw new InvalidSettingException("mirror/endpoint \"" + v + "\" must start with http:// or https://");
    }
    return s;
  }

  private static double number(Map<String, String> env, Properties props, String envKey, String propKey,
      double fallback) {
    String v = setting(env, props, envKey, propKey);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(envKey + "=" + v + ": expected a positive number");
    }
  }

  private static Duration seconds(Map<String, String> env, Properties props, String envKey, String propKey,
      double fallback) {
    return Duration.ofMillis(Math.round(number(env, props, envKey, propKey, fallback) * 1000));
  }
}
