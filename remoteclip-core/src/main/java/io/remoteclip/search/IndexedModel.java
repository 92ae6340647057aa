package io.remoteclip.search;

import io.remoteclip.ModelNotFoundException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.image.BandSelection;
import io.remoteclip.encode.EncoderId;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.ModelMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model an index was built with: an index records how its model was given (a registry name or an absolute
 * path, and the vocabulary), so a query needs only the index. A model given explicitly must be the same one.
 */
public final class IndexedModel {
  private IndexedModel() {}

  /** Opens the model the index in {@code indexDir} was built with, resolving names with {@code resolver}. */
  public static ClipEncoder open(Path indexDir, ModelResolver resolver) throws IOException, RemoteClipException {
    IndexMetadata metadata;
    try (ImageIndex index = ImageIndex.open(indexDir)) {
      metadata = index.metadata();
    }
    return open(metadata, indexDir, resolver, ClipEncoder.Options.defaults(), ProgressListener.NONE);
  }

  /** As {@link #open(Path, ModelResolver)} for metadata already read, with encoder options and download progress. */
  public static ClipEncoder open(IndexMetadata metadata, Object indexDir, ModelResolver resolver, ClipEncoder.Options options,
      ProgressListener progress) throws IOException, RemoteClipException {
    if (metadata.modelRef() == null) {
      throw new ModelNotFoundException(indexDir + ": the index does not record how to load its model " + metadata.modelId()
          + " (it was filled from embeddings); open that model and pass it explicitly");
    }
    Path vocab = metadata.vocab() == null ? null : Path.of(metadata.vocab());
    EncoderId recorded = metadata.encoderId();
    if (options.bands() == null && recorded != null && !recorded.bands().equals(EncoderId.NONE)) {
      options = options.withBands(BandSelection.parse(recorded.bands())); // the index's own band selection
    }
    ClipEncoder encoder = ClipEncoder.open(resolver.resolve(metadata.modelRef(), vocab, progress), options, progress);
    try {
      check(metadata, indexDir, encoder);
    } catch (ModelMismatchException e) {
      encoder.close();
      throw e;
    }
    return encoder;
  }

  /**
   * Whether remoteclip can load the model of an index: one filled from a third-party table records neither an
   * encoder identity nor a reference, and is searched by example only.
   */
  public static boolean loadable(IndexMetadata metadata) {
    return metadata.modelRef() != null || metadata.encoderId() != null;
  }

  /**
   * The one-line refusal of a query that needs the model of an index whose model cannot be loaded
   * ({@link #loadable}): {@code what} is what cannot be embedded ("a text query"), {@code byExample} how the
   * transport searches by example instead.
   */
  public static ModelNotFoundException cannotEmbed(Object where, IndexMetadata metadata, String what, String byExample) {
    return new ModelNotFoundException(where + ": holds embeddings of " + metadata.modelId() + ", a model remoteclip "
        + "cannot load (the table came from another tool), so it cannot embed " + what + " for it; search by example: "
        + byExample);
  }

  /** Refuses an encoder whose embeddings are not those the index ({@code where}, for the message) holds. */
  public static void check(IndexMetadata metadata, Object where, ClipEncoder encoder) throws ModelMismatchException {
    try {
      metadata.check(where, encoder.modelId());
    } catch (ModelMismatchException e) {
      throw new ModelMismatchException(e.getMessage() + "; query with the index's own model");
    }
  }

  /**
   * What an index stores so its model can be loaded again: an existing file or directory as an absolute path
   * (so the index works from any working directory), anything else as given (a registry name).
   */
  public static String reference(String nameOrPath) {
    Path p = Path.of(nameOrPath);
    return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : nameOrPath;
  }
}
