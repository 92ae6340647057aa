package io.remoteclip.cli;

import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.EncoderId;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.index.ModelMismatchException;
import io.remoteclip.search.IndexedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command-line side of {@link IndexedModel}: {@code search}, {@code serve} and re-runs of {@code index}
 * default {@code --model}/{@code --vocab} to what the index recorded; an explicit one must be the same model.
 */
final class IndexModels {
  private IndexModels() {}

  /** What to store so the model can be loaded again: an absolute path for files, else the registry name. */
  static String reference(ModelOptions options) throws RemoteClipException, IOException {
    return IndexedModel.reference(options.model());
  }

  static String vocabReference(ModelOptions options) {
    Path vocab = options.choice().vocab();
    return vocab == null ? null : vocab.toAbsolutePath().normalize().toString();
  }

  /** Uses the index's model (and band selection) unless the command line names one. */
  static void defaultTo(IndexMetadata stored, ModelOptions options, CommandSpec spec) {
    if (stored == null) {
      return;
    }
    var parse = spec.commandLine().getParseResult();
    EncoderId id = stored.encoderId();
    if (id != null && !id.bands().equals(EncoderId.NONE) && !parse.hasMatchedOption("--bands")) {
      options.useBands(id.bands());
    }
    if (stored.modelRef() == null) {
      return;
    }
    if (!parse.hasMatchedOption("--model")) {
      options.choice().use(stored.modelRef(),
          !parse.hasMatchedOption("--vocab") && stored.vocab() != null ? Path.of(stored.vocab()) : null);
    }
  }

  /** Opens the model for querying an index, refusing one that did not make it. */
  static ClipEncoder openFor(IndexMetadata stored, Object index, ModelOptions options, CommandSpec spec)
      throws IOException, RemoteClipException {
    defaultTo(stored, options, spec);
    ClipEncoder encoder = options.open();
    try {
      IndexedModel.check(stored, index, encoder);
    } catch (ModelMismatchException e) {
      encoder.close();
      throw new ModelMismatchException(e.getMessage() + " (--model " + options.model() + "; omit --model)");
    }
    return encoder;
  }
}
