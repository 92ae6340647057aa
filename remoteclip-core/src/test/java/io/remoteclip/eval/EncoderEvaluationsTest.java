package io.remoteclip.eval;

import io.remoteclip.testing.TestEncoders;
import io.remoteclip.encode.CachedEncoder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.eval.protocol.Evaluator;
import io.remoteclip.eval.protocol.ZeroShotRequest;
import io.remoteclip.dataset.CaptionDataset;
import io.remoteclip.dataset.ClassNames;
import io.remoteclip.dataset.ClassificationDataset;
import io.remoteclip.dataset.KarpathyCaptions;
import io.remoteclip.dataset.LabelCsv;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-to-end seam on UCM-captions with a deterministic encoder, through the embedding cache. */
class EncoderEvaluationsTest {
  @Test
  void retrievalOnUcmTestSplitUsesCapitalisedCaptionsAndTheCache(@TempDir Path cache) throws Exception {
    CaptionDataset test = KarpathyCaptions.load(Fixtures.require("data/ucm-captions/dataset_ucm.json")).split("test");
    TestEncoders.Hashing model = new TestEncoders.Hashing("hashing-v1");
    CachedEncoder cached = new CachedEncoder(model, cache);
    RetrievalMetrics m = EncoderEvaluations.retrieval(cached, test, ProgressListener.NONE);
    assertEquals(210, m.images());
    assertEquals(1050, m.texts());
    assertEquals(210, model.imagesEncoded);
    // Same numbers from the protocol directly on the encoder's rows for the capitalised captions.
    List<String> caps = new ArrayList<>();
    test.captions().forEach(c -> caps.add(Captions.capitalize(c)));
    // The cache encodes each distinct caption once (UCM test captions repeat a lot).
    assertEquals(new java.util.HashSet<>(caps).size(), model.textsEncoded);
    TestEncoders.Hashing fresh = new TestEncoders.Hashing("hashing-v1");
    RetrievalMetrics direct = Retrieval.evaluate(fresh.encodeImages(test.imagePaths(), ProgressListener.NONE),
        fresh.encodeTexts(caps, ProgressListener.NONE), test.captionToImage());
    assertEquals(direct, m);

    // A second evaluation re-encodes nothing.
    int images = model.imagesEncoded;
    int texts = model.textsEncoded;
    assertEquals(m, EncoderEvaluations.retrieval(new CachedEncoder(model, cache), test, ProgressListener.NONE));
    assertEquals(images, model.imagesEncoded);
    assertEquals(texts, model.textsEncoded);
  }

  @Test
  void zeroShotFillsTemplatesWithReadableNames() throws Exception {
    ClassificationDataset ucm = LabelCsv.load(Fixtures.require("data/ucm-captions/labels.csv"));
    ClassificationDataset few = new ClassificationDataset(ucm.images().subList(0, 3), new int[] {0, 0, 0},
        ucm.classes(), null);
    List<String> seen = new ArrayList<>();
    TestEncoders.Hashing model = new TestEncoders.Hashing("h") {
      @Override
      public float[][] encodeTexts(List<String> texts, ProgressListener progress) {
        seen.addAll(texts);
        return super.encodeTexts(texts, progress);
      }
    };
    ClassificationMetrics m = new Evaluator(model, ProgressListener.NONE).zeroShot(
        ZeroShotRequest.of(few, ClassNames.builtIn(), PromptTemplates.REMOTE_SENSING, Ensemble.NORMALIZE_FIRST))
        .metrics();
    assertEquals(3, m.count());
    assertEquals(21 * PromptTemplates.REMOTE_SENSING.size(), seen.size());
    assertTrue(seen.contains("a satellite photo of dense residential."), seen.toString());
    assertTrue(seen.contains("an aerial image of the storage tanks."));
  }
}
