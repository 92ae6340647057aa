package io.remoteclip.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.npy.Npy;
import io.remoteclip.testing.Fixtures;
import io.remoteclip.testing.SiglipGolden;
import io.remoteclip.testing.Tolerances;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A SigLIP model opened as a user opens it (weights, config and tokenizer found by the resolver) turns the golden
 * texts into open_clip's text features: tokenizer and text tower together, not each against the fixture's ids.
 */
class SiglipTextThroughTokenizerTest {
  @Test
  void openClipLayoutWithItsSpieceModelGivesTheGoldenTextFeatures() throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    float[][] features = encodeTexts(dir.resolve("model.pt"), dir.resolve("spiece.model"), texts(dir));
    Tolerances.assertRelative("text features through open_clip's pipeline", SiglipGolden.flat(features),
        Npy.read(dir.resolve("text_features_gelu.npy")).floats(), Tolerances.FEATURES_FP32);
  }

  @Test
  void transformersFolderAloneGivesTheGoldenTextFeaturesWhereBothPipelinesAgree() throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    List<String> texts = texts(dir);
    // The fixture's features come from open_clip's ids; transformers' SiglipTokenizer differs on the last three
    // texts (no ftfy, no canonicalisation), so only the rows whose ids agree are comparable.
    long[][] openClip = SiglipGolden.tokens(dir.resolve("tokens.npy"));
    long[][] hf = SiglipGolden.tokens(dir.resolve("tokens_hf.npy"));
    float[][] features = encodeTexts(dir.resolve("hf"), null, texts);
    float[] expected = Npy.read(dir.resolve("text_features_gelutanh.npy")).floats();
    int width = features[0].length;
    int compared = 0;
    for (int r = 0; r < texts.size(); r++) {
      if (Arrays.equals(openClip[r], hf[r])) {
        Tolerances.assertRelative("text row " + r, features[r], Arrays.copyOfRange(expected, r * width, (r + 1) * width),
            Tolerances.FEATURES_FP32);
        compared++;
      }
    }
    assertEquals(11, compared, "rows where open_clip's and transformers' ids agree");
  }

  private static float[][] encodeTexts(Path model, Path vocab, List<String> texts) throws Exception {
    var resolved = ModelResolver.fromEnvironment().resolve(model.toString(), vocab, ProgressListener.NONE);
    try (ClipEncoder encoder = ClipEncoder.open(resolved, ClipEncoder.Options.defaults(), ProgressListener.NONE)) {
      return encoder.encodeTexts(texts);
    }
  }

  private static List<String> texts(Path dir) throws Exception {
    return Arrays.asList(new ObjectMapper().readValue(dir.resolve("texts.json").toFile(), String[].class));
  }
}
