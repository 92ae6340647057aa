package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.cli.eval.CliRun;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SampleImages;
import io.remoteclip.testing.Tolerances;
import io.remoteclip.testing.TrainingCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --model} in every layout: a transformers folder alone (config, weights and tokenizer found inside), an
 * open_clip state dict with {@code open_clip_config.json} beside it, a SkyCLIP-style zip of a training checkpoint;
 * and the layout mistakes, each one line naming the file with nothing written.
 */
class ModelLayoutsCommandTest {
  @TempDir Path tmp;

  /** The golden images, named so that the folder walk keeps the fixture's order. */
  private Path goldenImages() throws Exception {
    Path src = Fixtures.require("golden/preprocess");
    Path dir = Files.createDirectories(tmp.resolve("images"));
    List<String> names = List.of("ucm_airplane00.tif", "ucm_baseballdiamond45.tif", "nwpu_505.jpg", "rsscn7_d315.jpg");
    for (int i = 0; i < names.size(); i++) {
      Files.copy(src.resolve(names.get(i)), dir.resolve(i + "_" + names.get(i)));
    }
    return dir;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"hf, image_features_gelutanh.npy", "model.pt, image_features_gelu.npy"})
  void siglipModelsEmbedImagesAsOpenClipDoes(String model, String golden) throws Exception {
    Path fixture = Fixtures.require("golden/siglip-tiny");
    Path out = tmp.resolve("f.npy");
    CliRun r = CliRun.of("embed", "--model", fixture.resolve(model).toString(), "--images", goldenImages().toString(),
        "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Tolerances.assertRelative(model + " image features", Npy.read(out).floats(), Npy.read(fixture.resolve(golden)).floats(),
        Tolerances.FEATURES_FP32);
  }

  @Test
  void infoSaysFamilyLayoutPreprocessingAndTokenizer() throws Exception {
    Path hf = Fixtures.require("golden/siglip-tiny/hf");
    CliRun r = CliRun.of("info", "--model", hf.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode info = Json.mapper().readTree(r.out());
    assertEquals("siglip", info.path("family").asText());
    assertEquals("transformers", info.path("layout").path("format").asText());
    assertEquals("gelutanh", info.path("activation").asText());
    assertEquals("sigmoid", info.path("scores").asText());
    assertEquals("squash", info.path("preprocess").path("resize").asText());
    assertEquals(256, info.path("preprocess").path("image_size").asInt());
    assertEquals(0.5, info.path("preprocess").path("mean").path(0).asDouble(), 1e-7);
    assertEquals("sentencepiece-transformers", info.path("tokenizer").path("kind").asText());
    assertTrue(info.path("tokenizer").path("file").asText().endsWith("spiece.model"), r.out());
    assertEquals(4, info.path("vision").path("heads").asInt());
  }

  @Test
  void aSkyclipStyleZipEmbedsAsThePlainStateDict() throws Exception {
    Path zip = tmp.resolve("skyclip-mini.zip");
    Path pt = TrainingCheckpoints.write(Checkpoints.read(BundledModel.weights()), tmp.resolve("epoch_20.pt"), 20);
    TrainingCheckpoints.zip(zip, Map.of("skyclip_mini/epoch_20.pt", pt));
    Path images = tmp.resolve("ucm");
    SampleImages.ucmLike(images, 2, 2);
    String config = BundledModel.dir().resolve("config.json").toString();
    String vocab = BundledModel.vocab().toString();
    CliRun plain = CliRun.of("embed", "--model", BundledModel.dir().toString(), "--images", images.toString(),
        "--out", tmp.resolve("plain.npy").toString());
    CliRun zipped = CliRun.of("embed", "--model", zip.toString(), "--config", config, "--vocab", vocab, "--images",
        images.toString(), "--out", tmp.resolve("zip.npy").toString());
    assertEquals(0, plain.code(), plain.err());
    assertEquals(0, zipped.code(), zipped.err());
    assertArrayEquals(Npy.read(tmp.resolve("plain.npy")).floats(), Npy.read(tmp.resolve("zip.npy")).floats());
    CliRun info = CliRun.of("info", "--model", zip.toString(), "--config", config);
    JsonNode notes = Json.mapper().readTree(info.out()).path("layout").path("notes");
    assertEquals("checkpoint skyclip_mini/epoch_20.pt inside the zip archive", notes.path(0).asText(), info.out());
    assertEquals("training checkpoint: weights from entry 'state_dict' (epoch 20)", notes.path(1).asText());
    assertEquals("'module.' prefix removed (DistributedDataParallel)", notes.path(2).asText());
  }

  @Test
  void layoutMistakesAreOneLineNamingTheFileAndWriteNothing() throws Exception {
    Path images = tmp.resolve("ucm");
    SampleImages.ucmLike(images, 1, 1);
    Path out = tmp.resolve("out.npy");

    Path bert = Files.createDirectories(tmp.resolve("bert"));
    Files.writeString(bert.resolve("config.json"), "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"]}");
    Files.copy(BundledModel.weights(), bert.resolve("model.safetensors"));
    assertRefused(CliRun.of("embed", "--model", bert.toString(), "--images", images.toString(), "--out", out.toString()),
        65, bert.resolve("config.json"), "model_type 'bert' is not a model remoteclip reads", out);

    Path sharded = Files.createDirectories(tmp.resolve("sharded"));
    Files.writeString(sharded.resolve("config.json"), "{\"model_type\": \"siglip\"}");
    Files.copy(BundledModel.weights(), sharded.resolve("model-00001-of-00002.safetensors"));
    Files.writeString(sharded.resolve("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {"
        + "\"logit_scale\": \"model-00001-of-00002.safetensors\", \"text_projection\": \"model-00002-of-00002.safetensors\"}}");
    assertRefused(CliRun.of("embed", "--model", sharded.toString(), "--images", images.toString(), "--out", out.toString()),
        66, sharded.resolve("model-00002-of-00002.safetensors"), "shard listed in model.safetensors.index.json", out);

    Path zip = tmp.resolve("weights.zip");
    TrainingCheckpoints.zip(zip, Map.of("README.txt", Files.writeString(tmp.resolve("r.txt"), "weights elsewhere\n")));
    assertRefused(CliRun.of("embed", "--model", zip.toString(), "--vocab", BundledModel.vocab().toString(), "--images",
        images.toString(), "--out", out.toString()), 65, zip, "zip archive holds no checkpoint", out);
  }

  private static void assertRefused(CliRun r, int code, Path file, String problem, Path out) {
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("remoteclip: " + file + ": ") && lines.get(0).contains(problem), r.err());
    assertEquals(code, r.code(), r.err());
    assertFalse(Files.exists(out), "nothing written");
    assertFalse(Files.exists(Path.of(out.toString().replace(".npy", ".txt"))), "nothing written");
  }
}
