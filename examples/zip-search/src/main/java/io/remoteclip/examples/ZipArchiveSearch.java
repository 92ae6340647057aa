package io.remoteclip.examples;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.EmbeddingBatch;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.image.ImageSource;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexWriter;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.SearchHit;
import io.remoteclip.search.SearchRequest;
import io.remoteclip.search.SearchResult;
import io.remoteclip.search.SearchService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * remoteclip as a library, nothing else: the images inside a zip archive are embedded from their bytes
 * (never unpacked to disk), put into a search index keyed by their entry names, and searched by text.
 *
 * <pre>java io.remoteclip.examples.ZipArchiveSearch ARCHIVE.zip MODEL INDEX_DIR "query text"</pre>
 *
 * MODEL is a registered name (e.g. RemoteCLIP-ViT-B-32, downloaded once) or a checkpoint file or directory.
 * As a check on itself, it also queries with each image's own bytes, which must come back first.
 */
public final class ZipArchiveSearch {
  private ZipArchiveSearch() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: ZipArchiveSearch ARCHIVE.zip MODEL INDEX_DIR \"query text\"");
      System.exit(2);
    }
    Path archive = Path.of(args[0]);
    Path indexDir = Path.of(args[2]);
    String query = args[3];
    deleteTree(indexDir); // the example builds its index afresh each run

    ModelResolver resolver = ModelResolver.fromEnvironment();
    try (ClipEncoder encoder = ClipEncoder.open(resolver.resolve(args[1], null, ProgressListener.NONE),
        ClipEncoder.Options.defaults(), ProgressListener.NONE);
        ZipFile zip = new ZipFile(archive.toFile())) {
      // 1. Images in as bytes, embeddings out in input order.
      List<ImageSource> images = new ArrayList<>();
      for (ZipEntry e : zip.stream().filter(e -> !e.isDirectory()).toList()) {
        try (InputStream in = zip.getInputStream(e)) {
          images.add(ImageSource.of(e.getName(), in));
        }
      }
      IndexMetadata metadata = IndexMetadata.of(encoder.modelId(), encoder.towers().embedDim());
      try (ImageIndexWriter writer = ImageIndexWriter.open(indexDir, metadata)) {
        encoder.embed(images.iterator(), (EmbeddingBatch<ImageSource> batch) -> {
          for (EmbeddingBatch.Failure<ImageSource> f : batch.failures()) {
            System.err.println("skipped " + f.input().name() + ": " + f.message());
          }
          for (EmbeddingBatch.Row<ImageSource> row : batch.rows()) {
            // 2. Into the index under the entry's name.
            writer.put(row.input().name(), row.embedding(), List.of());
          }
        });
      }
      // 3. Search by text (and, as a self-check, by each image's own bytes).
      try (SearchService search = new SearchService(ImageIndex.open(indexDir), encoder)) {
        SearchResult result = search.text(query, SearchRequest.top(3));
        System.out.printf(Locale.ROOT, "%d images from %s; \"%s\":%n", search.documents(), archive.getFileName(), query);
        for (SearchHit h : result.hits()) {
          System.out.printf(Locale.ROOT, "  %.4f  %s%n", h.score(), h.path());
        }
        for (ImageSource image : images) {
          byte[] bytes = ((ImageSource.Bytes) image).bytes();
          SearchHit top = search.image(bytes, image.name(), SearchRequest.top(1).withExact(true)).hits().get(0);
          if (!top.path().equals(image.name()) || top.score() < 0.9999) {
            throw new IllegalStateException(image.name() + ": its own bytes found " + top.path() + " (" + top.score() + ")");
          }
        }
        if (search.documents() != images.size()) {
          throw new IllegalStateException(search.documents() + " documents for " + images.size() + " images");
        }
        System.out.println("each image's own bytes find it first: ok");
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
