package io.remoteclip.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.ModelFamily;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** open_clip names back to transformers': the inverse of the reading map, against the golden SiglipModel file. */
class TransformersExportTest {
  /** open_clip's model.pt mapped to SiglipModel names gives hf/model.safetensors: same names, order, shapes and bytes. */
  @Test
  void goldenOpenClipSiglipMapsToTheGoldenTransformersFile() throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    StateDict mapped = HfKeys.toTransformers(Checkpoints.read(g.resolve("model.pt")), ModelFamily.SIGLIP);
    StateDict hf = Checkpoints.read(g.resolve("hf/model.safetensors"));
    List<String> keysTxt = new ArrayList<>();
    for (String line : Files.readAllLines(g.resolve("hf/keys.txt"))) {
      if (!line.startsWith("#") && !line.isBlank()) {
        keysTxt.add(line.split("\t")[0]);
      }
    }
    assertEquals(keysTxt, new ArrayList<>(mapped.keys()), "names in the official writer's order");
    for (String k : hf.keys()) {
      assertArrayEquals(hf.get(k).shape(), mapped.get(k).shape(), k);
      assertArrayEquals(hf.get(k).toFloats(), mapped.get(k).toFloats(), 0f, k);
    }
  }

  /** The folder written from open_clip's model.pt holds the golden SiglipModel file byte for byte, config and tokenizer. */
  @Test
  void writtenFolderHasTheGoldenFileBytes(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path g = Fixtures.require("golden/siglip-tiny");
    Path out = tmp.resolve("folder");
    TransformersFolder.write(out, Checkpoints.read(g.resolve("model.pt")), ModelFamily.SIGLIP, g.resolve("hf/config.json"), "test");
    assertArrayEquals(Files.readAllBytes(g.resolve("hf/model.safetensors")), Files.readAllBytes(out.resolve("model.safetensors")));
    for (String f : List.of("config.json", "spiece.model", "tokenizer_config.json", "special_tokens_map.json",
        "preprocessor_config.json")) {
      assertArrayEquals(Files.readAllBytes(g.resolve("hf").resolve(f)), Files.readAllBytes(out.resolve(f)), f);
    }
  }

  /** Without fixtures: the bundled CLIP ViT and back through both maps is the same state dict. */
  @Test
  void clipRoundTripsThroughTransformersNames() throws Exception {
    StateDict oc = Checkpoints.read(BundledModel.weights());
    StateDict back = HfKeys.toOpenClip(HfKeys.toTransformers(oc, ModelFamily.CLIP), ModelFamily.CLIP);
    assertEquals(new java.util.TreeSet<>(oc.keys()), new java.util.TreeSet<>(back.keys()));
    for (String k : oc.keys()) {
      assertArrayEquals(oc.get(k).shape(), back.get(k).shape(), k);
      assertArrayEquals(oc.get(k).toFloats(), back.get(k).toFloats(), 0f, k);
    }
  }
}
