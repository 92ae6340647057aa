package io.remoteclip.stac;

import io.remoteclip.hub.HubSettings;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the STAC client talks to servers.
 *
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout longest wait for a response's headers
 * @param proxy proxy selector
 * @param headers sent with every request (e.g. {@code Authorization}); a {@code next} link's own headers win
 * @param attempts tries per request: 5xx, 429 and broken connections are retried, other errors are not
 * @param retryDelay pause before the second try, doubled for each later one
 */
public record StacClientSettings(Duration connectTimeout, Duration requestTimeout, ProxySelector proxy,
    Map<String, String> headers, int attempts, Duration retryDelay) {
  public StacClientSettings {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    headers = Map.copyOf(headers);
  }

  /** 30 s to connect, 60 s for an answer, no proxy, no extra headers, 3 tries 1 s apart (doubling). */
  public static StacClientSettings defaults() {
    return new StacClientSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), ProxySelector.of(null), Map.of(), 3,
        Duration.ofSeconds(1));
  }

  /**
   * The network settings of this process, those {@code pull} uses: {@code REMOTECLIP_CONNECT_TIMEOUT},
   * {@code REMOTECLIP_READ_TIMEOUT}, {@code REMOTECLIP_DOWNLOAD_ATTEMPTS}, {@code https_proxy}/{@code no_proxy}.
   */
  public static StacClientSettings fromEnvironment() {
    HubSettings hub = HubSettings.fromEnvironment();
    return new StacClientSettings(hub.connectTimeout(), hub.readTimeout(), hub.proxy(), Map.of(), hub.attempts(),
        hub.retryDelay());
  }

  public StacClientSettings withAttempts(int value, Duration delay) {
    return new StacClientSettings(connectTimeout, requestTimeout, proxy, headers, value, delay);
  }

  /** These settings with {@code name: value} added to every request. */
  public StacClientSettings withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new StacClientSettings(connectTimeout, requestTimeout, proxy, h, attempts, retryDelay);
  }
}
