package io.remoteclip.hub;

import io.remoteclip.model.Activation;
import io.remoteclip.model.Architectures;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir Path dir;

  @Test
  void builtInRegistryListsTheKnownModels() throws Exception {
    ModelRegistry r = ModelRegistry.builtIn();
    assertEquals(List.of("remoteclip-mini", "RemoteCLIP-RN50", "RemoteCLIP-ViT-B-32", "RemoteCLIP-ViT-L-14",
        "CLIP-RN50-openai", "CLIP-ViT-B-32-openai", "CLIP-ViT-L-14-openai", "GeoRSCLIP-ViT-B-32", "GeoRSCLIP-ViT-H-14",
        "GeoRSCLIP-ViT-B-32-RET-2", "SkyCLIP-ViT-B-32", "SkyCLIP-ViT-L-14", "FarSLIP-ViT-B-32", "FarSLIP-ViT-B-16",
        "Git-RSCLIP-base", "Git-RSCLIP", "SigLIP-ViT-B-16-256", "SigLIP-SO400M-14-384"),
        r.models().stream().map(ModelEntry::name).toList());
    for (ModelEntry m : r.models()) {
      if (m.bundled()) {
        continue;
      }
      assertTrue(m.weights().url().startsWith("https://"), m.name());
      assertNotNull(m.source(), m.name() + ": every entry says where its facts come from");
      if (m.family().equals("clip")) {
        assertEquals("clip-bpe", m.tokenizer(), m.name());
        assertNotNull(r.vocabulary(m.vocab()).orElse(null), m.name());
        // Every CLIP entry is a named architecture: its checkpoint needs no --config (heads come from the name).
        assertNotNull(assertDoesNotThrow(() -> Architectures.parse(m.architecture(), 0)), m.name());
      } else {
        assertEquals("squash", m.resizeMode(), m.name());
        assertEquals(List.of(0.5, 0.5, 0.5), m.mean(), m.name());
        assertNotNull(m.vocabFile(), m.name() + ": a SigLIP model brings its own tokenizer file");
      }
    }
    ModelEntry b32 = r.model("remoteclip-vit-b-32").orElseThrow();
    assertEquals("https://huggingface.co/chendelong/RemoteCLIP/resolve/main/RemoteCLIP-ViT-B-32.pt", b32.weights().url());
    assertEquals(605208421L, b32.weights().size());
    assertEquals("60014e395d930a3f2963d1d89c8522bf4ad56775571e4356e866864789af85c4", b32.weights().sha256());
    assertEquals(Activation.QUICK_GELU, b32.towerActivation());
    // GeoRSCLIP's inference.py normalises with get_preprocess()'s default subset, OpenAI CLIP's statistics.
    assertEquals(HubDefaults.CLIP_MEAN, r.model("GeoRSCLIP-ViT-B-32").orElseThrow().mean());
    ModelEntry h14 = r.model("GeoRSCLIP-ViT-H-14").orElseThrow();
    assertEquals(Activation.GELU, h14.towerActivation());
    assertEquals(1024, Architectures.parse(h14.architecture(), 0).embedDim());
    assertEquals(Activation.GELU, r.model("SkyCLIP-ViT-B-32").orElseThrow().towerActivation(), "laion2b_e16 start");
    assertEquals(Activation.QUICK_GELU, r.model("SkyCLIP-ViT-L-14").orElseThrow().towerActivation(), "OpenAI start");
    assertEquals("open_clip_zip", r.model("SkyCLIP-ViT-L-14").orElseThrow().layout());
    assertEquals(Activation.QUICK_GELU, r.model("FarSLIP-ViT-B-16").orElseThrow().towerActivation(), "forced");
    ModelEntry git = r.model("Git-RSCLIP-base").orElseThrow();
    assertEquals("huggingface", git.layout());
    assertEquals("siglip-hf", git.tokenizer());
    assertEquals(Activation.GELU_TANH, git.towerActivation(), "gelu_pytorch_tanh, as the directory's config.json says");
    assertEquals("config.json", git.config().name());
    assertEquals("spiece.model", git.vocabFile().name());
    assertEquals(7, git.remoteFiles().size());
    assertEquals("f412d26aab23cf124c83216cbbeee848aac7e6a7afa0e2966101373cf30dc1ca", git.weights().sha256());
    assertEquals("siglip-open_clip", r.model("SigLIP-SO400M-14-384").orElseThrow().tokenizer());
  }

  @Test
  void clipVocabularyEntryMatchesTheGoldenCopy() throws IOException {
    Path golden = Fixtures.require("golden/tokenizer/bpe_simple_vocab_16e6.txt.gz");
    RemoteFile f = ModelRegistry.builtIn().vocabulary("clip-bpe").orElseThrow().file();
    assertEquals(Files.size(golden), f.size());
    assertEquals(Checksums.sha256(golden, ProgressListener.NONE), f.sha256());
    assertEquals(golden.getFileName().toString(), f.name());
  }

  @Test
  void malformedUserEntriesAreReportedWithFileAndKey() throws IOException {
    Path user = dir.resolve("models.json");
    Files.writeString(user, """
        {"models": [{"name": "x", "weights": {"url": "https://e.org/x.pt", "sha256": "abc"}}]}""");
    DataFormatException e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].weights.sha256: expected 64 hexadecimal digits", e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "activation": "relu", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].activation: \"relu\" is not \"quick_gelu\", \"gelu\" or \"gelu_pytorch_tanh\"",
        e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "../evil", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertTrue(e.getMessage().startsWith(user + ": models[0].name: \"../evil\" may contain only"), e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "vocab": "mine", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].vocab: no vocabulary named \"mine\"", e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "family": "siglip", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].files: tokenizer siglip-open_clip needs the model's own tokenizer file (a file"
        + " with \"role\": \"vocab\": spiece.model or tokenizer.json)", e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "files": [{"url": "https://e.org/a/x.pt", "role": "weights"},
                                            {"url": "https://e.org/b/x.pt"}]}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].files[1].name: \"x.pt\" is listed twice", e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "layout": "huggingface", "files": [{"url": "https://e.org/m.bin", "role": "weights"}]}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].files: a huggingface layout needs its config.json (a file with \"role\": \"config\")",
        e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "layout": "tar", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].layout: \"tar\" is not one of open_clip, open_clip_training, open_clip_zip,"
        + " huggingface", e.getMessage());

    Files.writeString(user, "{\"models\": [\n{\"name\": }]}");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertTrue(e.getMessage().startsWith(user + ":2: not valid JSON"), e.getMessage());
  }
}
