package io.remoteclip.hub;

import io.remoteclip.model.Activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ModelNotFoundException;
import io.remoteclip.ProgressListener;
import io.remoteclip.testing.FixtureServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {
  @TempDir Path cache;
  @TempDir Path work;
  private FixtureServer server;
  private byte[] weights;
  private byte[] vocab;

  @BeforeEach
  void setUp() throws IOException {
    server = FixtureServer.start();
    weights = bytes(200_000, 1);
    vocab = bytes(5_000, 2);
    // A user registry in the cache directory: the documented way to add models.
    Files.writeString(cache.resolve(ModelRegistry.USER_FILE), """
        {
          "vocabularies": [
            {"name": "tiny-bpe", "file": {"url": "https://raw.githubusercontent.com/acme/tok/main/tiny.txt.gz",
             "size": %d, "sha256": "%s"}}
          ],
          "models": [
            {"name": "Tiny-ViT", "architecture": "ViT-T", "activation": "gelu", "image_size": 64,
             "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "prompt_set": "test", "vocab": "tiny-bpe",
             "weights": {"url": "https://huggingface.co/acme/tiny/resolve/main/tiny.pt",
                         "size": %d, "sha256": "%s"}}
          ]
        }
        """.formatted(vocab.length, Checksums.sha256(vocab), weights.length, Checksums.sha256(weights)));
    server.serve("/acme/tiny/resolve/main/tiny.pt", weights);
    server.serve("/acme/tok/main/tiny.txt.gz", vocab);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private HubSettings settings() {
    return HubSettings.forCache(cache).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withAttempts(2, Duration.ZERO);
  }

  private ModelResolver resolver(HubSettings s) throws Exception {
    return new ModelResolver(ModelRegistry.load(s), s);
  }

  @Test
  void mirrorServesEveryFileAndTheCachedModelThenWorksOffline() throws Exception {
    ModelResolver r = resolver(settings().withMirror(server.url("/")));
    ResolvedModel m = r.resolve("tiny-vit", null, ProgressListener.NONE);
    assertEquals("Tiny-ViT", m.name());
    assertEquals(cache.resolve("models/Tiny-ViT/tiny.pt"), m.weights());
    assertEquals(cache.resolve("vocab/tiny.txt.gz"), m.vocab());
    assertArrayEquals(weights, Files.readAllBytes(m.weights()));
    assertArrayEquals(vocab, Files.readAllBytes(m.vocab()));
    assertEquals(Activation.GELU, m.activation());
    assertEquals(64, m.imageSize());
    assertEquals("test", m.promptSet());
    assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, m.stdArray());
    assertEquals("Tiny-ViT@sha256:" + Checksums.sha256(weights), m.modelId());
    assertEquals(2, server.requests().size(), "weights and vocabulary, once each: " + server.requests());

    server.close(); // no network from here on
    ResolvedModel again = resolver(settings().withOffline(true)).resolve("Tiny-ViT");
    assertEquals(m.weights(), again.weights());
    assertEquals(m.vocab(), again.vocab());
  }

  @Test
  void hfEndpointRewritesOnlyHuggingFaceUrls() throws Exception {
    Path localVocab = work.resolve("v.txt.gz");
    Files.write(localVocab, vocab);
    ModelResolver r = resolver(settings().withHfEndpoint(server.url("/")));
    assertEquals(server.url("/acme/tiny/resolve/main/tiny.pt"),
        r.downloadUrl(r.registry().model("Tiny-ViT").orElseThrow().weights()).toString());
    assertEquals("https://raw.githubusercontent.com/acme/tok/main/tiny.txt.gz",
        r.downloadUrl(r.registry().vocabulary("tiny-bpe").orElseThrow().file()).toString());
    ResolvedModel m = r.resolve("Tiny-ViT", localVocab, ProgressListener.NONE);
    assertEquals(localVocab, m.vocab(), "--vocab wins over the registry vocabulary");
    assertArrayEquals(weights, Files.readAllBytes(m.weights()));
    assertEquals(List.of("/acme/tiny/resolve/main/tiny.pt"),
        server.requests().stream().map(FixtureServer.Request::path).toList(), "the vocabulary was not fetched");
  }

  @Test
  void offlineNamesTheUrlsAndTheExactPathsOnOneLine() throws Exception {
    ModelResolver r = resolver(settings().withOffline(true));
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> r.resolve("RemoteCLIP-ViT-B-32"));
    String weightsPath = cache.resolve("models/RemoteCLIP-ViT-B-32/RemoteCLIP-ViT-B-32.pt").toString();
    String vocabPath = cache.resolve("vocab/bpe_simple_vocab_16e6.txt.gz").toString();
    assertEquals("RemoteCLIP-ViT-B-32 is not in the cache and downloads are off (REMOTECLIP_OFFLINE): download "
        + "https://huggingface.co/chendelong/RemoteCLIP/resolve/main/RemoteCLIP-ViT-B-32.pt by hand and save it as "
        + weightsPath + ", and https://raw.githubusercontent.com/mlfoundations/open_clip/main/src/open_clip/"
        + "bpe_simple_vocab_16e6.txt.gz as " + vocabPath, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(server.requests().isEmpty());
  }

  @Test
  void unreachableServerGivesTheByHandMessage() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String mirror = "http://127.0.0.1:" + closedPort;
    ModelResolver r = resolver(settings().withMirror(mirror));
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> r.resolve("Tiny-ViT"));
    assertTrue(e.getMessage().startsWith("cannot download Tiny-ViT: cannot reach 127.0.0.1:" + closedPort),
        e.getMessage());
    assertTrue(e.getMessage().contains("download " + mirror + "/acme/tiny/resolve/main/tiny.pt by hand and save it as "
        + cache.resolve("models/Tiny-ViT/tiny.pt")), e.getMessage());
  }

  @Test
  void pullFetchesWeightsAndVocabularyAndThenFindsThemCached() throws Exception {
    ModelResolver r = resolver(settings().withMirror(server.url("")));
    List<ModelResolver.Pulled> first = r.pull("Tiny-ViT", false, ProgressListener.NONE);
    assertEquals(List.of("weights", "vocabulary"), first.stream().map(ModelResolver.Pulled::role).toList());
    assertTrue(first.stream().allMatch(p -> p.result().verified() && !p.result().alreadyPresent()));
    List<ModelResolver.Pulled> second = r.pull("Tiny-ViT", false, ProgressListener.NONE);
    assertTrue(second.stream().allMatch(p -> p.result().alreadyPresent()));
    assertEquals(2, server.requests().size());
    r.pull("Tiny-ViT", true, ProgressListener.NONE);
    assertEquals(4, server.requests().size(), "--force downloads again");
  }

  @Test
  void cachedFileOfTheWrongSizeIsReported() throws Exception {
    Path target = cache.resolve("models/Tiny-ViT/tiny.pt");
    Files.createDirectories(target.getParent());
    Files.write(target, new byte[10]);
    ModelResolver r = resolver(settings().withOffline(true));
    DownloadException e = assertThrows(DownloadException.class, () -> r.resolve("Tiny-ViT"));
    assertEquals(target + " has 10 bytes but Tiny-ViT should have " + weights.length
        + ": delete it and download Tiny-ViT again", e.getMessage());
  }

  @Test
  void bundledModelIsFoundUnderTheRepositoryHome() throws Exception {
    Path dir = work.resolve("models/remoteclip-mini");
    Files.createDirectories(dir);
    byte[] w = bytes(1000, 3);
    Files.write(dir.resolve("model.safetensors"), w);
    Files.write(dir.resolve("vocab.txt.gz"), vocab);
    Files.writeString(dir.resolve("config.json"), "{}");
    ModelResolver r = resolver(settings().withOffline(true).withRepoHome(work));
    ResolvedModel m = r.resolve("remoteclip-mini");
    assertTrue(m.bundled());
    assertEquals(dir.resolve("model.safetensors"), m.weights());
    assertEquals(dir.resolve("vocab.txt.gz"), m.vocab());
    assertEquals(dir.resolve("config.json"), m.config());
    assertEquals("remoteclip-mini@sha256:" + Checksums.sha256(w), m.modelId());
    assertTrue(r.pull("remoteclip-mini", false, ProgressListener.NONE).isEmpty(), "nothing to download");
  }

  @Test
  void missingBundledModelSaysWhereItLooked() throws Exception {
    ModelResolver r = resolver(settings().withOffline(true).withRepoHome(work));
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> r.resolve("remoteclip-mini"));
    assertTrue(e.getMessage().startsWith("bundled model remoteclip-mini not found: expected "
        + work.resolve("models/remoteclip-mini/model.safetensors")), e.getMessage());
  }

  @Test
  void checkpointPathUsesTheVocabularyOptionOrTheCachedClipVocabulary() throws Exception {
    Path ckpt = work.resolve("my-finetune.pt");
    Files.write(ckpt, weights);
    Path v = work.resolve("v.txt.gz");
    Files.write(v, vocab);
    ModelResolver offline = resolver(settings().withOffline(true));
    ResolvedModel m = offline.resolve(ckpt.toString(), v, ProgressListener.NONE);
    assertEquals(ckpt.toAbsolutePath(), m.weights());
    assertEquals(v.toAbsolutePath(), m.vocab());
    assertNull(m.activation(), "a file's config or family decides (QuickGELU for CLIP, GELU for SigLIP)");
    assertTrue(m.userFiles());
    assertNull(m.imageSize());
    assertTrue(m.modelId().startsWith("file:" + ckpt.toAbsolutePath() + "@" + weights.length + ":"), m.modelId());

    ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> offline.resolve(ckpt.toString()));
    assertTrue(e.getMessage().contains("save it as " + cache.resolve("vocab/bpe_simple_vocab_16e6.txt.gz")),
        e.getMessage());
  }

  @Test
  void directoryLayoutIsAccepted() throws Exception {
    Path dir = work.resolve("snapshot");
    Files.createDirectories(dir);
    Files.write(dir.resolve("open_clip_model.safetensors"), weights);
    Files.writeString(dir.resolve("open_clip_config.json"), "{}");
    Path v = work.resolve("v.txt.gz");
    Files.write(v, vocab);
    ResolvedModel m = resolver(settings().withOffline(true)).resolve(dir.toString(), v, ProgressListener.NONE);
    assertEquals(dir.resolve("open_clip_model.safetensors").toAbsolutePath(), m.weights());
    assertEquals(dir.resolve("open_clip_config.json"), m.config());
  }

  @Test
  void unknownNamesAndMissingFilesAreExplained() throws Exception {
    ModelResolver r = resolver(settings().withOffline(true));
    ModelNotFoundException unknown = assertThrows(ModelNotFoundException.class, () -> r.resolve("RemoteCLIP-ViT-B-16"));
    assertTrue(unknown.getMessage().startsWith("unknown model \"RemoteCLIP-ViT-B-16\": not a file and not a registered"
        + " name (remoteclip-mini, RemoteCLIP-RN50, RemoteCLIP-ViT-B-32"), unknown.getMessage());
    ModelNotFoundException missing = assertThrows(ModelNotFoundException.class, () -> r.resolve("ckpt/nope.pt"));
    assertEquals("ckpt/nope.pt: model file not found", missing.getMessage());
    ModelNotFoundException badVocab = assertThrows(ModelNotFoundException.class,
        () -> r.resolve("Tiny-ViT", work.resolve("none.txt.gz"), ProgressListener.NONE));
    assertEquals(work.resolve("none.txt.gz") + ": vocabulary file not found", badVocab.getMessage());
  }

  @Test
  void userRegistryEntryReplacesTheBuiltInOne() throws Exception {
    Files.writeString(cache.resolve(ModelRegistry.USER_FILE), """
        {"models": [{"name": "remoteclip-vit-b-32", "weights": {"url": "https://example.org/b32.pt"}}]}
        """, StandardCharsets.UTF_8);
    ModelRegistry reg = ModelRegistry.load(settings());
    ModelEntry e = reg.model("RemoteCLIP-ViT-B-32").orElseThrow();
    assertEquals("https://example.org/b32.pt", e.weights().url());
    assertEquals("b32.pt", e.weights().name());
    assertNull(e.weights().sha256());
    assertEquals("clip-bpe", e.vocab());
    assertEquals(cache.resolve(ModelRegistry.USER_FILE).toString(), e.origin());
  }
}
