package io.remoteclip.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.image.BandSelection;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexer;
import io.remoteclip.index.LabelSource;
import io.remoteclip.testing.BundledModel;
import io.remoteclip.testing.SampleImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "The model this index was built with" includes the band selection it was built with. */
class IndexedModelBandsTest {
  @TempDir Path tmp;

  @Test
  void openUsesTheRecordedBands() throws Exception {
    SampleImages.ucmLike(tmp.resolve("img"), 101, 701);
    ModelResolver resolver = ModelResolver.fromEnvironment();
    var resolved = resolver.resolve(BundledModel.dir().toString(), null, ProgressListener.NONE);
    try (ClipEncoder enc = ClipEncoder.open(resolved, ClipEncoder.Options.defaults().withBands(
        BandSelection.parse("2,1,0:0:255")), ProgressListener.NONE)) {
      new ImageIndexer(enc, new ImageIndexer.Options(10, LabelSource.NONE, BundledModel.dir().toString(), null))
          .update(tmp.resolve("img"), tmp.resolve("idx"), ProgressListener.NONE);
    }
    try (ClipEncoder reopened = IndexedModel.open(tmp.resolve("idx"), resolver);
        ImageIndex idx = ImageIndex.open(tmp.resolve("idx"))) {
      assertEquals(idx.metadata().modelId(), reopened.modelId());
    }
  }
}
