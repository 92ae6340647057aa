package io.remoteclip.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class HubSettingsTest {
  private static Properties props(String... kv) {
    Properties p = new Properties();
    p.setProperty("user.home", "/home/u");
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void defaultsAndOverrides() {
    HubSettings d = HubSettings.from(Map.of(), props());
    assertEquals(Path.of("/home/u/.cache/remoteclip"), d.cacheDir());
    assertFalse(d.offline());
    assertNull(d.mirror());
    assertEquals(Duration.ofSeconds(30), d.connectTimeout());
    assertEquals(Duration.ofSeconds(60), d.readTimeout());
    assertEquals(3, d.attempts());

    HubSettings e = HubSettings.from(Map.of("REMOTECLIP_HOME", "/data/rc", "REMOTECLIP_OFFLINE", "1",
        "HF_ENDPOINT", "https://hf-mirror.com/", "REMOTECLIP_READ_TIMEOUT", "0.5"), props("remoteclip.home", "/repo"));
    assertEquals(Path.of("/data/rc"), e.cacheDir());
    assertTrue(e.offline());
    assertEquals("https://hf-mirror.com", e.hfEndpoint());
    assertEquals(Duration.ofMillis(500), e.readTimeout());
    assertEquals(Path.of("/repo"), e.repoHome());

    HubSettings p = HubSettings.from(Map.of("REMOTECLIP_HOME", "/data/rc", "REMOTECLIP_OFFLINE", "1"),
        props("remoteclip.cache", "/tmp/c", "remoteclip.offline", "false"));
    assertEquals(Path.of("/tmp/c"), p.cacheDir(), "the system property wins");
    assertFalse(p.offline());

    InvalidSettingException bad = assertThrows(InvalidSettingException.class,
        () -> HubSettings.from(Map.of("REMOTECLIP_CONNECT_TIMEOUT", "soon"), props()));
    assertEquals("REMOTECLIP_CONNECT_TIMEOUT=soon: expected a positive number", bad.getMessage());
  }

  @Test
  void mirrorsRewriteUrls() {
    HubSettings s = HubSettings.forCache(Path.of("/c"));
    String hf = "https://huggingface.co/chendelong/RemoteCLIP/resolve/main/RemoteCLIP-RN50.pt";
    String gh = "https://raw.githubusercontent.com/mlfoundations/open_clip/main/src/open_clip/v.txt.gz";
    assertEquals(URI.create(hf), Mirrors.apply(hf, s));
    assertEquals(URI.create("https://hf-mirror.com/chendelong/RemoteCLIP/resolve/main/RemoteCLIP-RN50.pt"),
        Mirrors.apply(hf, s.withHfEndpoint("https://hf-mirror.com/")));
    assertEquals(URI.create(gh), Mirrors.apply(gh, s.withHfEndpoint("https://hf-mirror.com")));
    assertEquals(URI.create("http://10.0.0.5:8080/models/mlfoundations/open_clip/main/src/open_clip/v.txt.gz"),
        Mirrors.apply(gh, s.withMirror("http://10.0.0.5:8080/models")));
  }

  @Test
  void proxyFromEnvironmentHonoursNoProxy() {
    Properties none = new Properties();
    ProxySelector sel = EnvironmentProxySelector.choose(
        Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "no_proxy", "localhost,.internal.corp, mirror.lan:8080"), none);
    Proxy corp = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.corp", 3128));
    assertEquals(List.of(corp), sel.select(URI.create("https://huggingface.co/x")));
    assertEquals(List.of(Proxy.NO_PROXY), sel.select(URI.create("https://files.internal.corp/x")));
    assertEquals(List.of(Proxy.NO_PROXY), sel.select(URI.create("http://mirror.lan:8080/x")));
    assertEquals(List.of(Proxy.NO_PROXY), sel.select(URI.create("http://127.0.0.1:9000/x")));
    assertEquals(List.of(Proxy.NO_PROXY), sel.select(URI.create("http://plain.example/x")),
        "https_proxy alone does not proxy http");

    ProxySelector fallback = EnvironmentProxySelector.choose(Map.of("http_proxy", "proxy.corp:8080"), none);
    assertEquals(List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.corp", 8080))),
        fallback.select(URI.create("https://huggingface.co/x")), "http_proxy also serves https");

    ProxySelector java = EnvironmentProxySelector.choose(Map.of("https_proxy", "http://proxy.corp:3128"),
        props("https.proxyHost", "jproxy", "https.proxyPort", "8443"));
    assertSame(ProxySelector.getDefault(), java, "-Dhttps.proxyHost takes precedence over the environment");
  }
}
