package io.remoteclip.server;

import io.remoteclip.ProgressListener;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.TextQueryBatcher;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.ImageIndexer;
import io.remoteclip.index.LabelSource;
import io.remoteclip.index.TinyModel;
import io.remoteclip.search.SearchService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** A small UCM index (4 classes x 6 images, labelled) served on 127.0.0.1 with the tiny model. */
final class ServedIndex implements AutoCloseable {
  static final ServerLimits LIMITS = new ServerLimits(1 << 20, 50, 200, 20, Duration.ofSeconds(20), 4, 16, 2);

  final Path root;
  final Path index;
  final SearchServer server;

  private ServedIndex(Path root, Path index, SearchServer server) {
    this.root = root;
    this.index = index;
    this.server = server;
  }

  static ServedIndex start(Path tmp) throws Exception {
    return start(tmp, null, LIMITS);
  }

  static ServedIndex start(Path tmp, ServerLimits limits) throws Exception {
    return start(tmp, null, limits);
  }

  static ServedIndex start(Path tmp, Function<ClipEncoder, TextQueryBatcher> textQueries) throws Exception {
    return start(tmp, textQueries, LIMITS);
  }

  /** As {@link #start(Path, ServerLimits)} with text queries through what {@code textQueries} makes of the model (null: the default). */
  static ServedIndex start(Path tmp, Function<ClipEncoder, TextQueryBatcher> textQueries, ServerLimits limits)
      throws Exception {
    Path root = tmp.resolve("images");
    TinyModel.copyUcm(root, TinyModel.ranges(6, 1, 101, 201, 1201));
    Path idx = tmp.resolve("index");
    try (ClipEncoder enc = TinyModel.open()) {
      new ImageIndexer(enc, new ImageIndexer.Options(100, LabelSource.of(false, TinyModel.labels(tmp)),
          TinyModel.weights().toString(), null)).update(root, idx, ProgressListener.NONE);
    }
    ClipEncoder model = TinyModel.open();
    SearchService service = textQueries == null ? new SearchService(ImageIndex.open(idx), model)
        : new SearchService(ImageIndex.open(idx), model, textQueries.apply(model));
    return new ServedIndex(root, idx, SearchServer.start(service, limits, "127.0.0.1", 0));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  @Override
  public void close() throws Exception {
    server.stop(1);
  }
}
