package io.remoteclip.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Proxy choice from the conventional environment variables, as curl and pip read them:
 * {@code https_proxy}/{@code HTTPS_PROXY} for https (falling back to {@code http_proxy}),
 * {@code http_proxy}/{@code HTTP_PROXY} for http, and {@code no_proxy}/{@code NO_PROXY} (comma-separated
 * host names, {@code .domain} suffixes, or {@code *}) for exceptions. Loopback addresses never go
 * through a proxy.
 *
 * <p>Java's own {@code -Dhttps.proxyHost}/{@code -Dhttp.proxyHost} (with {@code http.nonProxyHosts})
 * take precedence: {@link #choose} then returns the JDK's default selector, which reads them.
 */
final class EnvironmentProxySelector extends ProxySelector {
  private final Proxy httpsProxy;
  private final Proxy httpProxy;
  private final List<String> noProxy;

  private EnvironmentProxySelector(Proxy httpsProxy, Proxy httpProxy, List<String> noProxy) {
    this.httpsProxy = httpsProxy;
    this.httpProxy = httpProxy;
    this.noProxy = noProxy;
  }

  /** The selector to use given the environment and the JVM system properties. */
  static ProxySelector choose(Map<String, String> env, Properties props) {
    if (props.getProperty("https.proxyHost") != null || props.getProperty("http.proxyHost") != null
        || ProxySelector.getDefault() == null) {
      return ProxySelector.getDefault();
    }
    Proxy http = parse(first(env, "http_proxy", "HTTP_PROXY"));
    Proxy https = parse(first(env, "https_proxy", "HTTPS_PROXY"));
    if (https == null) {
      https = http;
    }
    if (https == null && http == null) {
      return ProxySelector.getDefault();
    }
    List<String> exceptions = new ArrayList<>();
    String np = first(env, "no_proxy", "NO_PROXY");
    if (np != null) {
      for (String s : np.split(",")) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          exceptions.add(t);
        }
      }
    }
    return new EnvironmentProxySelector(https, http, exceptions);
  }

  @Override
  public List<Proxy> select(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
    if (p == null || isLoopback(host) || excluded(host)) {
      return List.of(Proxy.NO_PROXY);
    }
    return List.of(p);
  }

  @Override
  public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
    // Nothing to learn: the download reports the failure itself.
  }

  private boolean excluded(String host) {
    for (String rule : noProxy) {
      String r = rule;
      int colon = r.lastIndexOf(':');
      if (colon > 0 && r.indexOf(':') == colon) {
        r = r.substring(0, colon); // "host:port": the port does not matter here
      }
      if (r.equals("*") || host.equals(r) || (r.startsWith(".") ? host.endsWith(r) : host.endsWith("." + r))
          || (r.startsWith("*.") && host.endsWith(r.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }

  private static String first(Map<String, String> env, String... keys) {
    for (String k : keys) {
      String v = env.get(k);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /** {@code http://host:port}, {@code http://user:pw@host:port/} or {@code host:port}. */
  static Proxy parse(String spec) {
    if (spec == null) {
      return null;
    }
    String s = spec.contains("://") ? spec : "http://" + spec;
    URI u;
    try {
      u = URI.create(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("proxy setting \"" + spec + "\" is not a URL such as http://proxy:3128");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("proxy setting \"" + spec + "\" names no host (expected http://proxy:3128)");
    }
    int port = u.getPort() > 0 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(), port));
  }
}
