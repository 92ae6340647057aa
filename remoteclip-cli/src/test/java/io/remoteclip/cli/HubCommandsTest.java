package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.hub.Checksums;
import io.remoteclip.testing.FixtureServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pull} and {@code models} end to end, against a local HTTP server standing in for Hugging Face. */
class HubCommandsTest {
  private static final String[] PROPS = {"remoteclip.cache", "remoteclip.offline", "remoteclip.mirror",
      "remoteclip.home", "remoteclip.readTimeout", "remoteclip.downloadAttempts"};

  @TempDir Path cache;
  @TempDir Path repo;
  private FixtureServer server;
  private byte[] weights;
  private byte[] vocab;
  private String out;
  private String err;

  @BeforeEach
  void setUp() throws Exception {
    server = FixtureServer.start();
    weights = new byte[150_000];
    new Random(7).nextBytes(weights);
    vocab = "#version: test\nh e\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.writeString(cache.resolve("models.json"), """
        {"vocabularies": [{"name": "tiny-bpe", "file": {"url": "https://example.org/tok/tiny.txt.gz",
                           "size": %d, "sha256": "%s"}}],
         "models": [{"name": "Tiny-ViT", "architecture": "ViT-T", "vocab": "tiny-bpe",
                     "weights": {"url": "https://huggingface.co/acme/tiny/resolve/main/tiny.pt",
                                 "size": %d, "sha256": "%s"}},
                    {"name": "Broken", "vocab": "tiny-bpe",
                     "weights": {"url": "https://huggingface.co/acme/none/resolve/main/none.pt"}}]}
        """.formatted(vocab.length, Checksums.sha256(vocab), weights.length, Checksums.sha256(weights)));
    server.serve("/acme/tiny/resolve/main/tiny.pt", weights);
    server.serve("/tok/tiny.txt.gz", vocab);
    System.setProperty("remoteclip.cache", cache.toString());
    System.setProperty("remoteclip.mirror", server.url(""));
    System.setProperty("remoteclip.offline", "false");
    System.setProperty("remoteclip.home", repo.toString());
    System.setProperty("remoteclip.readTimeout", "2");
    System.setProperty("remoteclip.downloadAttempts", "1");
  }

  @AfterEach
  void tearDown() {
    server.close();
    for (String p : PROPS) {
      System.clearProperty(p);
    }
  }

  private int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(o));
    cmd.setErr(new PrintWriter(e));
    int code = cmd.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  @Test
  void pullDownloadsVerifiesAndThenReportsTheCache() throws Exception {
    assertEquals(0, run("pull", "--quiet", "Tiny-ViT"), err);
    Path w = cache.resolve("models/Tiny-ViT/tiny.pt");
    Path v = cache.resolve("vocab/tiny.txt.gz");
    assertArrayEquals(weights, Files.readAllBytes(w));
    assertArrayEquals(vocab, Files.readAllBytes(v));
    assertEquals(String.format("weights    %s  (downloaded 150.0 kB, SHA-256 verified)%n"
        + "vocabulary %s  (downloaded 19 B, SHA-256 verified)%n", w, v), out);

    assertEquals(0, run("pull", "-q", "tiny-vit"));
    assertTrue(out.startsWith("weights    " + w + "  (already in the cache, 150.0 kB)"), out);
    assertEquals(2, server.requests().size(), "the second pull used the cache");
  }

  @Test
  void pullOfAFileWithoutChecksumPrintsItsDigest() throws Exception {
    server.serve("/acme/none/resolve/main/none.pt", weights);
    assertEquals(0, run("pull", "-q", "Broken"), err);
    assertTrue(out.contains("not verified: the registry has no SHA-256; it is " + Checksums.sha256(weights)), out);
  }

  @Test
  void pullFailuresAreOneLineWithExitCodes() {
    assertEquals(66, run("pull", "No-Such-Model"));
    assertTrue(err.startsWith("remoteclip: unknown model \"No-Such-Model\" (remoteclip-mini, "), err);
    assertEquals(1, err.lines().count(), err);

    assertEquals(74, run("pull", "-q", "Broken"));
    assertEquals("remoteclip: HTTP 404 Not Found for " + server.url("/acme/none/resolve/main/none.pt")
        + " (the file is not there: check the URL, or set it in the user models.json)", err.strip());

    System.setProperty("remoteclip.offline", "1");
    assertEquals(66, run("pull", "RemoteCLIP-ViT-B-32"));
    assertTrue(err.startsWith("remoteclip: RemoteCLIP-ViT-B-32 is not in the cache and downloads are off"
        + " (REMOTECLIP_OFFLINE): download " + server.url("/chendelong/RemoteCLIP/resolve/main/RemoteCLIP-ViT-B-32.pt")
        + " by hand and save it as " + cache.resolve("models/RemoteCLIP-ViT-B-32/RemoteCLIP-ViT-B-32.pt")), err);
    assertEquals(1, err.lines().count(), "no stack trace: " + err);
    assertTrue(server.requests().stream().noneMatch(r -> r.path().contains("chendelong")));
  }

  @Test
  void corruptedDownloadExitsWithTheDigests() throws Exception {
    byte[] bad = weights.clone();
    bad[10] ^= 1;
    server.serve("/acme/tiny/resolve/main/tiny.pt", bad);
    assertEquals(74, run("pull", "-q", "Tiny-ViT"));
    assertEquals("remoteclip: SHA-256 mismatch for " + server.url("/acme/tiny/resolve/main/tiny.pt") + ": expected "
        + Checksums.sha256(weights) + ", got " + Checksums.sha256(bad) + "; the download was deleted", err.strip());
    assertFalse(Files.exists(cache.resolve("models/Tiny-ViT/tiny.pt")));
  }

  @Test
  void bundledModelNeedsNoDownload() throws Exception {
    Path dir = repo.resolve("models/remoteclip-mini");
    Files.createDirectories(dir);
    Files.write(dir.resolve("model.safetensors"), weights);
    Files.write(dir.resolve("vocab.txt.gz"), vocab);
    assertEquals(0, run("pull", "remoteclip-mini"), err);
    assertEquals("remoteclip-mini is bundled with remoteclip, nothing to download: " + dir + System.lineSeparator(), out);
    assertTrue(server.requests().isEmpty());
  }

  @Test
  void modelsListsKnownAndCachedModels() throws Exception {
    assertEquals(0, run("pull", "-q", "Tiny-ViT"));
    Files.createDirectories(cache.resolve("models/.RemoteCLIP-RN50.download"));
    Files.write(cache.resolve("models/.RemoteCLIP-RN50.download/RemoteCLIP-RN50.pt.part"), new byte[5000]);

    assertEquals(0, run("models"), err);
    assertTrue(out.startsWith("cache: " + cache + System.lineSeparator()), out);
    assertTrue(out.contains("RemoteCLIP-ViT-B-32"), out);
    String tiny = out.lines().filter(l -> l.startsWith("Tiny-ViT ")).findFirst().orElseThrow();
    assertTrue(tiny.matches("Tiny-ViT +clip +ViT-T +open_clip +quick_gelu +150\\.0 kB +cached +" + java.util.regex.Pattern.quote(
        cache.resolve("models/Tiny-ViT/tiny.pt").toString())), tiny);
    String rn50 = out.lines().filter(l -> l.startsWith("RemoteCLIP-RN50 ")).findFirst().orElseThrow();
    assertTrue(rn50.matches("RemoteCLIP-RN50 +clip +RN50 +open_clip +quick_gelu +5\\.0 kB/408\\.4 MB +partial +.*\\.pt"), rn50);
    String b32 = out.lines().filter(l -> l.startsWith("RemoteCLIP-ViT-B-32 ")).findFirst().orElseThrow();
    assertTrue(b32.matches("RemoteCLIP-ViT-B-32 +clip +ViT-B-32 +open_clip +quick_gelu +605\\.2 MB +not cached +-"), b32);
    assertTrue(out.lines().anyMatch(l -> l.matches("remoteclip-mini +clip +ViT-192x4-p32 +bundled +quick_gelu +\\? +missing +-")),
        out);
    assertTrue(out.lines().anyMatch(l -> l.matches(
        "Git-RSCLIP +siglip +ViT-L-16-SigLIP-256 +huggingface +gelu_pytorch_tanh +\\? +not cached +-")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("clip-bpe +- +\\(vocabulary\\) +- +- +1\\.4 MB +not cached +-")), out);

    assertEquals(0, run("models", "--json"), err);
    JsonNode root = new ObjectMapper().readTree(out);
    assertEquals(cache.toString(), root.get("cache").asText());
    JsonNode t = null;
    for (JsonNode m : root.get("models")) {
      if (m.get("name").asText().equals("Tiny-ViT")) {
        t = m;
      }
    }
    assertEquals("cached", t.get("status").asText());
    assertEquals(cache.resolve("models/Tiny-ViT/tiny.pt").toString(), t.get("path").asText());
    assertEquals(weights.length, t.get("size").asLong());
    assertEquals(Checksums.sha256(weights), t.get("sha256").asText());
    assertEquals(server.url("/acme/tiny/resolve/main/tiny.pt"), t.get("url").asText());
    assertEquals(cache.resolve("models.json").toString(), t.get("registry").asText());
    assertEquals(20, root.get("models").size(), "18 built-in models and the 2 of the user registry");
  }

  @Test
  void directoryModelIsPulledWholeAndAFailedForcedPullKeepsTheOldOne() throws Exception {
    byte[] config = "{\"model_type\": \"siglip\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.writeString(cache.resolve("models.json"), """
        {"models": [{"name": "Tiny-HF", "family": "siglip", "layout": "huggingface", "architecture": "ViT-T-SigLIP",
                     "activation": "gelu_pytorch_tanh", "files": [
          {"url": "https://huggingface.co/acme/hf/resolve/main/config.json", "role": "config"},
          {"url": "https://huggingface.co/acme/hf/resolve/main/model.safetensors", "size": %d, "sha256": "%s",
           "role": "weights"},
          {"url": "https://huggingface.co/acme/hf/resolve/main/spiece.model", "sha256": "%s", "role": "vocab"}]}]}
        """.formatted(weights.length, Checksums.sha256(weights), Checksums.sha256(vocab)));
    server.serve("/acme/hf/resolve/main/config.json", config);
    server.serve("/acme/hf/resolve/main/model.safetensors", weights);
    server.serve("/acme/hf/resolve/main/spiece.model", vocab);

    assertEquals(0, run("pull", "-q", "Tiny-HF"), err);
    Path dir = cache.resolve("models/Tiny-HF");
    assertEquals(String.format("weights    %s  (downloaded 150.0 kB, SHA-256 verified)%n"
        + "config     %s  (downloaded 24 B, not verified: the registry has no SHA-256; it is %s)%n"
        + "vocabulary %s  (downloaded 19 B, SHA-256 verified)%n", dir.resolve("model.safetensors"),
        dir.resolve("config.json"), Checksums.sha256(config), dir.resolve("spiece.model")), out);

    assertEquals(0, run("models", "--json"), err);
    JsonNode hf = null;
    for (JsonNode m : new ObjectMapper().readTree(out).get("models")) {
      if (m.get("name").asText().equals("Tiny-HF")) {
        hf = m;
      }
    }
    assertEquals("cached", hf.get("status").asText());
    assertEquals(dir.toString(), hf.get("path").asText());
    assertEquals("siglip-hf", hf.get("tokenizer").asText());
    assertEquals("squash", hf.get("resize_mode").asText());
    assertEquals(3, hf.get("files").size());
    assertEquals("vocabulary", hf.get("files").get(2).get("role").asText());

    byte[] bad = weights.clone();
    bad[0] ^= 1;
    server.serve("/acme/hf/resolve/main/model.safetensors", bad);
    assertEquals(74, run("pull", "-q", "--force", "Tiny-HF"));
    assertTrue(err.startsWith("remoteclip: SHA-256 mismatch for " + server.url("/acme/hf/resolve/main/model.safetensors")),
        err);
    assertEquals(1, err.lines().count(), err);
    assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")), "the cached model is untouched");
  }
}
