package io.remoteclip.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Layout of the download cache ({@code $REMOTECLIP_HOME}, default {@code ~/.cache/remoteclip}):
 *
 * <pre>
 * models.json                          user registry entries (optional)
 * models/&lt;model name&gt;/&lt;file&gt;          every file of a registry model (weights, config, tokenizer...)
 * models/.&lt;model name&gt;.download/      files of a pull under way, moved into models/&lt;model name&gt;/ together
 * models/.&lt;model name&gt;.lock            lock taken while a model is being pulled
 * vocab/&lt;file&gt;                         vocabularies (bpe_simple_vocab_16e6.txt.gz)
 * &lt;any file&gt;.part                      partial download, resumed by the next pull
 * &lt;any file&gt;.lock                      lock taken while the file is being downloaded
 * </pre>
 *
 * A file at its final name is complete and was verified when it arrived; it is never written in place. A model
 * directory appears only once every file of the model is there (see {@link ModelDownload}).
 */
public final class ModelCache {
  private final Path root;

  public ModelCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Where a file of a registry model lives. */
  public Path modelFile(ModelEntry model, RemoteFile file) {
    return modelDirectory(model).resolve(file.name());
  }

  /** The directory holding every file of a registry model. */
  public Path modelDirectory(ModelEntry model) {
    return root.resolve("models").resolve(model.name());
  }

  /** Where the files of a pull under way wait until all of them are there (a name no model can have). */
  Path stagingDirectory(ModelEntry model) {
    return root.resolve("models").resolve("." + model.name() + ".download");
  }

  /** Lock file of a model's pull. */
  Path modelLock(ModelEntry model) {
    return root.resolve("models").resolve("." + model.name() + ".lock");
  }

  /** Where a vocabulary lives. */
  public Path vocabularyFile(VocabularyEntry vocab) {
    return root.resolve("vocab").resolve(vocab.file().name());
  }

  /** The file when it is in the cache, regardless of its size. */
  public Optional<Path> present(Path file) {
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Bytes of the file on disk, or 0 when absent. */
  public static long sizeOf(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Bytes of a file of {@code model} received by a pull that has not finished: the staged file, complete or not
   * ({@link ModelDownload}), or 0.
   */
  public long stagedBytes(ModelEntry model, RemoteFile file) {
    Path staged = stagingDirectory(model).resolve(file.name());
    return Files.isRegularFile(staged) ? sizeOf(staged) : partialBytes(staged);
  }

  /** Bytes already received of an interrupted download of {@code target}, or 0. */
  public static long partialBytes(Path target) {
    return sizeOf(partFile(target));
  }

  static Path partFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  static Path lockFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".lock");
  }
}
