package io.remoteclip.hub;

import io.remoteclip.ProgressListener;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.fs.StagingDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Brings every file of a registered model into its cache directory, {@code models/<name>/}, so that the directory
 * never holds part of a model it did not hold before:
 *
 * <ul>
 *   <li>missing files are downloaded into {@code models/.<name>.download/} ({@link Downloader}: resumed, size and
 *       SHA-256 checked, a mismatch deleted); a file that fails does not stop the others, and the verified ones
 *       wait there for the next pull, which then fetches only what failed;
 *   <li>when all are there, a new model's staging directory is renamed to {@code models/<name>/} in one step; an
 *       existing directory (files put there by hand, {@code --force}) receives each file by an atomic rename;
 *   <li>{@code models/.<name>.lock} serialises pulls of the same model across threads and processes.
 * </ul>
 */
final class ModelDownload {
  private final ModelCache cache;
  private final HubSettings settings;
  private final Supplier<Downloader> downloader;

  ModelDownload(ModelCache cache, HubSettings settings, Supplier<Downloader> downloader) {
    this.cache = cache;
    this.settings = settings;
    this.downloader = downloader;
  }

  /** The files of {@code m} not in its cache directory. */
  List<RemoteFile> missing(ModelEntry m) {
    List<RemoteFile> out = new ArrayList<>();
    for (RemoteFile f : m.remoteFiles()) {
      if (!Files.isRegularFile(cache.modelFile(m, f))) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Every remote file of {@code m} in its cache directory, downloading the missing ones (all of them with
   * {@code force}); results in {@link ModelEntry#remoteFiles()} order, each naming the file's final path.
   *
   * @throws DownloadException when a cached file has another size than the registry's, or a download fails
   * @throws NetworkUnavailableException when the server cannot be reached (the staged files are kept)
   */
  List<Downloader.Result> ensure(ModelEntry m, boolean force, ProgressListener progress) throws IOException {
    Path dir = cache.modelDirectory(m);
    Files.createDirectories(dir.getParent());
    try (FileLocks.Held lock = FileLocks.acquire(cache.modelLock(m))) {
      List<RemoteFile> files = m.remoteFiles();
      List<RemoteFile> fetch = force ? files : missing(m);
      List<Downloader.Result> results = new ArrayList<>();
      if (!fetch.isEmpty()) {
        Path staging = cache.stagingDirectory(m);
        if (force) {
          StagingDirectory.deleteTree(staging);
        }
        Files.createDirectories(staging);
        DownloadException failure = null;
        for (RemoteFile f : fetch) {
          try {
            Downloader.Result r = downloader.get().fetch(Mirrors.apply(f.url(), settings), staging.resolve(f.name()),
                f.size(), f.sha256(), false, progress);
            results.add(new Downloader.Result(cache.modelFile(m, f), r.bytesTransferred(), r.alreadyPresent(),
                r.verified()));
          } catch (NetworkUnavailableException e) {
            throw e;
          } catch (DownloadException e) {
            // the other files are still worth having: the next pull then fetches only what failed
            failure = failure == null ? e : failure;
            results.add(null);
          }
        }
        if (failure != null) {
          throw failure;
        }
        publish(staging, dir, fetch);
      }
      List<Downloader.Result> ordered = new ArrayList<>();
      for (RemoteFile f : files) {
        Path target = cache.modelFile(m, f);
        int i = fetch.indexOf(f);
        if (i >= 0) {
          ordered.add(results.get(i));
        } else {
          checkSize(m, f, target);
          ordered.add(new Downloader.Result(target, 0, true, false));
        }
      }
      return ordered;
    }
  }

  /** Moves the staged files into place: the whole directory at once when the model is new. */
  private static void publish(Path staging, Path dir, List<RemoteFile> fetched) throws IOException {
    Set<String> keep = new HashSet<>();
    fetched.forEach(f -> keep.add(f.name()));
    try (Stream<Path> entries = Files.list(staging)) {
      for (Path p : entries.toList()) {
        if (!keep.contains(p.getFileName().toString())) {
          StagingDirectory.deleteTree(p); // lock files of the downloads, leftovers of files no longer listed
        }
      }
    }
    if (!Files.exists(dir)) {
      AtomicFiles.moveAtomically(staging, dir);
      return;
    }
    for (RemoteFile f : fetched) {
      AtomicFiles.moveAtomically(staging.resolve(f.name()), dir.resolve(f.name()));
    }
    StagingDirectory.deleteTree(staging);
  }

  private static void checkSize(ModelEntry m, RemoteFile f, Path target) throws IOException {
    long size = Files.size(target);
    if (f.size() != null && size != f.size()) {
      throw new DownloadException(target + " has " + size + " bytes but " + m.name() + " should have " + f.size()
          + ": delete it and download " + m.name() + " again");
    }
  }
}
