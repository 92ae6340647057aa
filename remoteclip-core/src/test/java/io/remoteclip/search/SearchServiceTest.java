package io.remoteclip.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.eval.ZeroShotClassifier;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexWriter;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.LabelScore;
import io.remoteclip.index.ModelMismatchException;
import io.remoteclip.index.QueryVectors;
import io.remoteclip.index.SearchHit;
import io.remoteclip.index.TinyModel;
import io.remoteclip.model.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search service on an index a library caller filled from its own embeddings (no folder, keys are entry
 * names): every query kind agrees with the index's own nearest-neighbour search and the zero-shot classifier.
 */
class SearchServiceTest {
  private static final List<String> SCENES = List.of("farmland", "an airport", "a baseball field");

  @TempDir static Path tmp;
  private static Path images;
  private static Path idx;
  private static SearchService search;
  private static ImageIndex reference;
  private static ClipEncoder encoder;

  @BeforeAll
  static void build() throws Exception {
    images = tmp.resolve("images");
    List<Path> files = TinyModel.copyUcm(images, TinyModel.ranges(4, 1, 101, 201));
    idx = tmp.resolve("index");
    encoder = TinyModel.open();
    float[][] rows = encoder.encodeImageFiles(files, true, ProgressListener.NONE).embeddings();
    IndexMetadata meta = IndexMetadata.of(encoder.modelId(), encoder.model().embedDim())
        .withModelRef(TinyModel.weights().toAbsolutePath().toString(), TinyModel.vocab().toAbsolutePath().toString());
    try (ImageIndexWriter writer = ImageIndexWriter.open(idx, meta)) {
      for (int i = 0; i < files.size(); i++) {
        writer.put("scenes.zip!/" + files.get(i).getFileName(), rows[i], List.of(i < 4 ? "agricultural" : i < 8 ? "airplane" : "baseballdiamond"));
      }
    }
    search = new SearchService(ImageIndex.open(idx), TinyModel.open());
    reference = ImageIndex.open(idx);
  }

  @AfterAll
  static void close() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {search, reference, encoder}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::id).toList();
  }

  @Test
  void textSearchIsTheIndexNearestNeighboursOfTheTextEmbedding() throws Exception {
    for (String q : SCENES) {
      SearchResult r = search.text(q, SearchRequest.top(5));
      assertEquals(12, r.documents());
      assertEquals(ids(reference.search(QueryVectors.text(encoder, q), 5, null)), ids(r.hits()), q);
      assertTrue(r.hits().get(0).path().startsWith("scenes.zip!/"), "keys as the caller gave them");
      SearchResult exact = search.text(q, SearchRequest.top(5).withExact(true));
      assertEquals(ids(reference.exactSearch(QueryVectors.text(encoder, q), 5, null)), ids(exact.hits()));
    }
    SearchResult planes = search.text("a farm", SearchRequest.top(10).withLabels(List.of("airplane")));
    assertEquals(4, planes.hits().size());
    assertTrue(planes.hits().stream().allMatch(h -> h.labels().equals(List.of("airplane"))));
  }

  @Test
  void kAndEfBeyondTheIndexReturnEveryDocumentInsteadOfSizingHeapsByThem() throws Exception {
    SearchRequest huge = SearchRequest.top(Integer.MAX_VALUE).withEf(Integer.MAX_VALUE);
    assertEquals(ids(search.text("a farm", SearchRequest.top(12).withExact(true)).hits()),
        ids(search.text("a farm", huge.withExact(true)).hits()));
    assertEquals(12, search.text("a farm", huge).hits().size());
    float[] q = QueryVectors.text(encoder, "a farm");
    assertEquals(12, reference.search(q, Integer.MAX_VALUE, null, Integer.MAX_VALUE).size());
  }

  @Test
  void imageBytesAndSimilarToIdFindTheImageItself() throws Exception {
    byte[] jpg = Files.readAllBytes(images.resolve("102.jpg"));
    SearchResult byBytes = search.image(jpg, "102.jpg", SearchRequest.top(3));
    assertTrue(byBytes.hits().stream().anyMatch(h -> h.path().equals("scenes.zip!/102.jpg") && h.score() > 1 - 1e-5), byBytes.toString());
    SearchResult byFile = search.image(images.resolve("102.jpg"), SearchRequest.top(3));
    assertEquals(ids(byBytes.hits()), ids(byFile.hits()));

    String id = ImageRecord.idOf("scenes.zip!/202.jpg");
    SearchResult similar = search.similar(id, SearchRequest.top(4));
    assertEquals(ids(reference.search(reference.record(id).orElseThrow().embedding(), 4, null)), ids(similar.hits()));
    assertEquals(1.0, similar.hits().stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow().score(), 1e-5);
  }

  @Test
  void zeroShotLabelsOfHitsAreTheClassifierProbabilitiesOfTheirEmbeddings() throws Exception {
    SearchResult r = search.text("an airport", SearchRequest.top(6).withZeroShot(SCENES));
    ZeroShotClassifier zs = ZeroShotClassifier.build(encoder, SCENES, List.of(SearchRequest.DEFAULT_TEMPLATE),
        (float) Math.exp(encoder.model().logitScale()));
    for (SearchHit h : r.hits()) {
      float[] expected = zs.probabilities(reference.record(h.id()).orElseThrow().embedding());
      assertEquals(SCENES.size(), h.zeroShot().size());
      double sum = 0;
      for (LabelScore s : h.zeroShot()) {
        assertEquals(expected[SCENES.indexOf(s.label())], s.probability(), 1e-6, h.path() + " " + s.label());
        sum += s.probability();
      }
      assertEquals(1.0, sum, 1e-5);
      assertTrue(h.zeroShot().get(0).probability() >= h.zeroShot().get(1).probability(), "most probable first");
    }
    List<LabelScore> direct = search.classify(Files.readAllBytes(images.resolve("1.jpg")), "1.jpg", SCENES, null);
    float[] expected = zs.probabilities(QueryVectors.image(encoder, encoder.decode(images.resolve("1.jpg"))));
    for (LabelScore s : direct) {
      assertEquals(expected[SCENES.indexOf(s.label())], s.probability(), 1e-6);
    }
  }

  @Test
  void refusals() throws Exception {
    assertThrows(NoSuchImageException.class, () -> search.similar("0123456789abcdef", SearchRequest.top(3)));
    NoSuchImageException noFile = assertThrows(NoSuchImageException.class,
        () -> search.indexedImage(ImageRecord.idOf("scenes.zip!/1.jpg")));
    assertTrue(noFile.getMessage().contains("no file on this machine"), noFile.getMessage());
    DataFormatException junk = assertThrows(DataFormatException.class,
        () -> search.image("not an image".getBytes(), "junk.bin", SearchRequest.top(3)));
    assertTrue(junk.getMessage().startsWith("junk.bin"), junk.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SearchRequest.top(0));
    assertThrows(IllegalArgumentException.class, () -> search.text("  ", SearchRequest.top(3)));
    try (ClipEncoder gelu = TinyModel.open(Activation.GELU); ImageIndex index = ImageIndex.open(idx)) {
      ModelMismatchException e = assertThrows(ModelMismatchException.class, () -> new SearchService(index, gelu));
      assertTrue(e.getMessage().contains(encoder.modelId()), e.getMessage());
    }
  }

  @Test
  void indexedModelOpensTheModelTheIndexRecorded() throws Exception {
    try (ClipEncoder opened = IndexedModel.open(idx, ModelResolver.fromEnvironment())) {
      assertEquals(encoder.modelId(), opened.modelId());
    }
    try (SearchService service = SearchService.open(idx, ModelResolver.fromEnvironment())) {
      assertEquals(ids(search.text("a farm", SearchRequest.top(4)).hits()), ids(service.text("a farm", SearchRequest.top(4)).hits()));
    }
    Path bare = tmp.resolve("bare");
    try (ImageIndexWriter w = ImageIndexWriter.open(bare, IndexMetadata.of(encoder.modelId(), encoder.model().embedDim()))) {
      float[] unit = new float[encoder.model().embedDim()];
      unit[0] = 1;
      w.put("x", unit, List.of());
      assertThrows(IllegalArgumentException.class, () -> w.put("y", new float[3], List.of()), "dimension checked");
    }
    assertThrows(ModelNotFoundException.class, () -> IndexedModel.open(bare, ModelResolver.fromEnvironment()));
    assertThrows(ModelMismatchException.class, () -> ImageIndexWriter.open(bare, IndexMetadata.of("other-model", 32)));
  }
}
