package io.remoteclip.hub;

import io.remoteclip.model.Activation;

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
  void builtInRegistryListsTheKnownModels() {
    ModelRegistry r = ModelRegistry.builtIn();
    assertEquals(List.of("remoteclip-mini", "RemoteCLIP-RN50", "RemoteCLIP-ViT-B-32", "RemoteCLIP-ViT-L-14",
        "CLIP-RN50-openai", "CLIP-ViT-B-32-openai", "CLIP-ViT-L-14-openai", "GeoRSCLIP-ViT-B-32"),
        r.models().stream().map(ModelEntry::name).toList());
    for (ModelEntry m : r.models()) {
      assertEquals(Activation.QUICK_GELU, m.activation(), m.name() + ": every listed model is OpenAI-initialised");
      if (!m.bundled()) {
        assertTrue(m.weights().url().startsWith("https://huggingface.co/"), m.name());
        assertNotNull(r.vocabulary(m.vocab()).orElse(null), m.name());
      }
    }
    ModelEntry b32 = r.model("remoteclip-vit-b-32").orElseThrow();
    assertEquals("https://huggingface.co/chendelong/RemoteCLIP/resolve/main/RemoteCLIP-ViT-B-32.pt", b32.weights().url());
    assertEquals(605208421L, b32.weights().size());
    assertEquals("60014e395d930a3f2963d1d89c8522bf4ad56775571e4356e866864789af85c4", b32.weights().sha256());
    assertEquals(List.of(0.406, 0.423, 0.390), r.model("GeoRSCLIP-ViT-B-32").orElseThrow().mean());
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
    assertEquals(user + ": models[0].activation: \"relu\" is not \"quick_gelu\" or \"gelu\"", e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "../evil", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertTrue(e.getMessage().startsWith(user + ": models[0].name: \"../evil\" may contain only"), e.getMessage());

    Files.writeString(user, """
        {"models": [{"name": "x", "vocab": "mine", "weights": {"url": "https://e.org/x.pt"}}]}""");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertEquals(user + ": models[0].vocab: no vocabulary named \"mine\"", e.getMessage());

    Files.writeString(user, "{\"models\": [\n{\"name\": }]}");
    e = assertThrows(DataFormatException.class, () -> ModelRegistry.load(user));
    assertTrue(e.getMessage().startsWith(user + ":2: not valid JSON"), e.getMessage());
  }
}
