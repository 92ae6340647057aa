package io.remoteclip.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ModelNotFoundException;
import io.remoteclip.ProgressListener;
import io.remoteclip.testing.FixtureServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model of several files (a Hugging Face directory: config, weights, SentencePiece model, tokenizer config)
 * pulled from a local server standing in for Hugging Face: the directory appears whole or not at all.
 */
class ModelDirectoryPullTest {
  private static final String BASE = "/acme/tiny-siglip/resolve/0123abc/";

  @TempDir Path cache;
  private FixtureServer server;
  private byte[] weights;
  private byte[] spiece;
  private byte[] config;
  private byte[] tokenizerConfig;

  @BeforeEach
  void setUp() throws Exception {
    server = FixtureServer.start();
    weights = ModelResolverTest.bytes(300_000, 5);
    spiece = ModelResolverTest.bytes(20_000, 6);
    config = "{\"model_type\": \"siglip\"}".getBytes(StandardCharsets.UTF_8);
    tokenizerConfig = "{\"model_max_length\": 64}".getBytes(StandardCharsets.UTF_8);
    Files.writeString(cache.resolve(ModelRegistry.USER_FILE), """
        {"models": [{"name": "Tiny-SigLIP", "family": "siglip", "architecture": "ViT-T-SigLIP",
                     "layout": "huggingface", "activation": "gelu_pytorch_tanh", "image_size": 64,
                     "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "license": "Apache-2.0",
                     "files": [
                       {"url": "https://huggingface.co%1$sconfig.json", "role": "config"},
                       {"url": "https://huggingface.co%1$smodel.safetensors", "size": %2$d, "sha256": "%3$s",
                        "role": "weights"},
                       {"url": "https://huggingface.co%1$sspiece.model", "sha256": "%4$s", "role": "vocab"},
                       {"url": "https://huggingface.co%1$stokenizer_config.json"}]}]}
        """.formatted(BASE, weights.length, Checksums.sha256(weights), Checksums.sha256(spiece)));
    serveAll();
  }

  private void serveAll() {
    server.serve(BASE + "config.json", config);
    server.serve(BASE + "model.safetensors", weights);
    server.serve(BASE + "spiece.model", spiece);
    server.serve(BASE + "tokenizer_config.json", tokenizerConfig);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private ModelResolver resolver(boolean offline) throws Exception {
    HubSettings s = HubSettings.forCache(cache).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withAttempts(1, Duration.ZERO).withMirror(server.url("")).withOffline(offline);
    return new ModelResolver(ModelRegistry.load(s), s);
  }

  @Test
  void everyFileLandsInTheModelDirectoryAndResolvesOffline() throws Exception {
    List<ModelResolver.Pulled> pulled = resolver(false).pull("tiny-siglip", false, ProgressListener.NONE);
    assertEquals(List.of("weights", "config", "vocabulary", "file"),
        pulled.stream().map(ModelResolver.Pulled::role).toList(), "no registry vocabulary: the model brings its own");
    assertEquals(List.of(true, false, true, false), pulled.stream().map(p -> p.result().verified()).toList(),
        "SHA-256 checked where the registry has one");
    Path dir = cache.resolve("models/Tiny-SigLIP");
    assertEquals(List.of("config.json", "model.safetensors", "spiece.model", "tokenizer_config.json"), list(dir));
    assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));
    assertArrayEquals(spiece, Files.readAllBytes(dir.resolve("spiece.model")));
    assertArrayEquals(tokenizerConfig, Files.readAllBytes(dir.resolve("tokenizer_config.json")));
    assertFalse(Files.exists(cache.resolve("models/.Tiny-SigLIP.download")), "the staging directory became the model");
    assertEquals(4, server.requests().size());

    server.close();
    ResolvedModel m = resolver(true).resolve("Tiny-SigLIP");
    assertEquals(dir.resolve("model.safetensors"), m.weights());
    assertEquals(dir.resolve("config.json"), m.config());
    assertEquals(dir.resolve("spiece.model"), m.vocab());
    assertEquals(io.remoteclip.model.Activation.GELU_TANH, m.activation(), "gelu_pytorch_tanh, as the directory config says");
    assertEquals(new ResolvedModel.Traits("siglip", "huggingface", "siglip-hf", "squash", "bicubic",
        "gelu_pytorch_tanh", "Apache-2.0"), m.traits());
    assertEquals("Tiny-SigLIP@sha256:" + Checksums.sha256(weights), m.modelId());
  }

  @Test
  void checksumMismatchLeavesNoModelDirectoryAndTheNextPullFetchesOnlyWhatFailed() throws Exception {
    byte[] bad = weights.clone();
    bad[1234] ^= 1;
    server.serve(BASE + "model.safetensors", bad);
    ModelResolver r = resolver(false);
    DownloadException e = assertThrows(DownloadException.class, () -> r.pull("Tiny-SigLIP", false, ProgressListener.NONE));
    assertEquals("SHA-256 mismatch for " + server.url(BASE + "model.safetensors") + ": expected "
        + Checksums.sha256(weights) + ", got " + Checksums.sha256(bad) + "; the download was deleted", e.getMessage());
    assertFalse(Files.exists(cache.resolve("models/Tiny-SigLIP")), "no half model under the model's name");
    try (Stream<Path> all = Files.walk(cache)) {
      assertTrue(all.map(p -> p.getFileName().toString())
          .noneMatch(n -> n.equals("model.safetensors") || n.equals("model.safetensors.part")),
          "the corrupt bytes are gone, not kept as a .part to resume from");
    }
    ModelNotFoundException offline = assertThrows(ModelNotFoundException.class, () -> resolver(true).resolve("Tiny-SigLIP"));
    assertTrue(offline.getMessage().startsWith("Tiny-SigLIP is not in the cache and downloads are off"), offline.getMessage());

    server.serve(BASE + "model.safetensors", weights);
    int before = server.requests().size();
    List<ModelResolver.Pulled> again = r.pull("Tiny-SigLIP", false, ProgressListener.NONE);
    assertEquals(List.of(BASE + "model.safetensors"),
        server.requests().subList(before, server.requests().size()).stream().map(FixtureServer.Request::path).toList(),
        "the files verified by the first pull were kept for the second");
    assertTrue(again.get(0).result().verified());
    assertArrayEquals(weights, Files.readAllBytes(cache.resolve("models/Tiny-SigLIP/model.safetensors")));
    assertEquals(4, list(cache.resolve("models/Tiny-SigLIP")).size());
  }

  @Test
  void offlineNamesEveryMissingFileAndAnExistingDirectoryIsCompleted() throws Exception {
    Path dir = cache.resolve("models/Tiny-SigLIP");
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> resolver(true).resolve("Tiny-SigLIP"));
    String url = server.url(BASE);
    assertEquals("Tiny-SigLIP is not in the cache and downloads are off (REMOTECLIP_OFFLINE): download "
        + url + "model.safetensors by hand and save it as " + dir.resolve("model.safetensors") + ", and "
        + url + "config.json as " + dir.resolve("config.json") + ", and " + url + "spiece.model as "
        + dir.resolve("spiece.model") + ", and " + url + "tokenizer_config.json as " + dir.resolve("tokenizer_config.json"),
        e.getMessage());

    // Files saved by hand, as the message says: the next online pull brings only the others.
    Files.createDirectories(dir);
    Files.write(dir.resolve("model.safetensors"), weights);
    Files.write(dir.resolve("config.json"), config);
    List<ModelResolver.Pulled> pulled = resolver(false).pull("Tiny-SigLIP", false, ProgressListener.NONE);
    assertEquals(List.of(true, true, false, false), pulled.stream().map(p -> p.result().alreadyPresent()).toList());
    assertEquals(List.of(BASE + "spiece.model", BASE + "tokenizer_config.json"),
        server.requests().stream().map(FixtureServer.Request::path).toList());
    assertEquals(List.of("config.json", "model.safetensors", "spiece.model", "tokenizer_config.json"), list(dir));

    resolver(false).pull("Tiny-SigLIP", true, ProgressListener.NONE);
    assertEquals(6, server.requests().size(), "--force fetches all four again");
    assertEquals(List.of("config.json", "model.safetensors", "spiece.model", "tokenizer_config.json"), list(dir));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
    }
  }
}
