package io.remoteclip.solr;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.EmbeddingBatch;
import io.remoteclip.hub.Checksums;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.image.ImageSource;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.LabelSource;
import io.remoteclip.vector.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Fills a collection from a folder of images (encoded here, only those whose content hash the collection
 * does not hold yet) or from embeddings computed elsewhere (a Spark embeddings table), through a
 * {@link SolrIngester}. The collection's model is checked first, so vectors of two models never mix.
 */
public final class SolrIndexer {
  /** What a run did. */
  public record Summary(long inputs, long added, long alreadyPresent, List<Failure> failures, long commits) {
    @Override
    public String toString() {
      return inputs + " inputs: " + added + " added, " + alreadyPresent + " already present, " + failures.size()
          + " unreadable; " + commits + " commits";
    }
  }

  /** An input that could not be used, with the reason. */
  public record Failure(String name, String message) {}

  private final SolrIngester ingester;
  private final String modelId;

  public SolrIndexer(SolrIngester ingester, String modelId) {
    this.ingester = ingester;
    this.modelId = modelId;
  }

  /** Encodes and sends every image under {@code root} that the collection lacks; keys are paths relative to it. */
  public Summary indexFolder(ClipEncoder encoder, Path root, LabelSource labels, ProgressListener progress)
      throws IOException, RemoteClipException {
    List<Path> files = ImageFiles.listSome(root, null);
    // First pass: content hashes, so images already in the collection are never decoded or encoded again.
    List<Job> todo = new ArrayList<>();
    long present = 0;
    progress.start("hashing", files.size());
    try {
      for (int start = 0; start < files.size(); start += 256) {
        List<Job> chunk = new ArrayList<>();
        for (Path f : files.subList(start, Math.min(files.size(), start + 256))) {
          chunk.add(new Job(f, root.relativize(f).toString().replace('\\', '/'), Checksums.sha256(f, ProgressListener.NONE)));
        }
        Set<String> have = ingester.existing(chunk.stream().map(Job::id).toList());
        for (Job j : chunk) {
          if (have.contains(j.id)) {
            present++;
          } else {
            todo.add(j);
          }
        }
        progress.update(Math.min(files.size(), start + 256));
      }
    } finally {
      progress.finish();
    }
    String rootName = root.toAbsolutePath().normalize().toString();
    List<Failure> failures = new ArrayList<>();
    long before = ingester.summary().added();
    progress.start("indexing", todo.size());
    try {
      long[] done = {0};
      encoder.embed(todo.iterator(), Job::key, j -> encoder.decode(ImageSource.of(j.key, Files.readAllBytes(j.file))),
          encoder.batchSize(), batch -> {
            for (EmbeddingBatch.Failure<Job> f : batch.failures()) {
              failures.add(new Failure(f.input().key, f.message()));
            }
            for (EmbeddingBatch.Row<Job> row : batch.rows()) {
              Job j = row.input();
              GeoFootprint fp = GeoFootprint.read(j.file).orElse(null);
              ingester.add(new ImageDocument(j.id, j.key, labels.labelsOf(root, j.file), modelId, row.width(), row.height(),
                  Files.size(j.file), fp, Wgs84Bounds.of(fp), Vectors.normalized(row.embedding()), rootName));
            }
            done[0] += batch.rows().size() + batch.failures().size();
            progress.update(done[0]);
          });
      ingester.close();
    } finally {
      progress.finish();
    }
    return new Summary(files.size(), ingester.summary().added() - before, present + ingester.summary().alreadyPresent(),
        failures, ingester.summary().commits());
  }

  /**
   * Sends embeddings computed elsewhere without re-encoding them. A record's id is its content hash
   * ({@link ImageRecord#sha256()}), else the hash of its key.
   */
  public Summary indexRecords(Iterator<ImageRecord> records) throws IOException, RemoteClipException {
    long n = 0;
    while (records.hasNext()) {
      ImageRecord r = records.next();
      n++;
      if (!modelId.equals(r.model())) {
        throw new io.remoteclip.index.ModelMismatchException(r.path() + ": embedded with " + r.model()
            + ", but the collection holds embeddings of " + modelId);
      }
      String id = r.sha256() != null ? r.sha256() : ImageRecord.idOf(r.path());
      ingester.add(new ImageDocument(id, r.path(), r.labels(), r.model(), r.width(), r.height(), r.bytes(), r.footprint(),
          Wgs84Bounds.of(r.footprint()), Vectors.normalized(r.embedding()), null));
    }
    ingester.close();
    SolrIngester.Summary s = ingester.summary();
    return new Summary(n, s.added(), s.alreadyPresent(), List.of(), s.commits());
  }

  private record Job(Path file, String key, String id) {}
}
