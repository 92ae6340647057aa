package io.remoteclip.solr;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.client.solrj.impl.BaseHttpSolrClient;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;

/**
 * Sends documents to a collection in batches. A batch that fails for a transient reason (a node down, a
 * timeout, a 5xx) is retried with exponential back-off, at most {@code maxRetries} times; because document
 * ids are content hashes a retried batch replaces itself and never duplicates. Ids already in the collection
 * are skipped (real-time get, so uncommitted ones count too), so re-running over the same inputs adds nothing.
 * Commits every {@code commitInterval} and on {@link #close}. Not thread-safe.
 */
public final class SolrIngester implements AutoCloseable {
  /** Batching, retry and commit settings. */
  public record Options(int batchSize, int maxRetries, Duration initialBackoff, Duration commitInterval) {
    public Options {
      if (batchSize < 1 || maxRetries < 0) {
        throw new IllegalArgumentException("batch size must be >= 1 and retries >= 0 (got " + batchSize + ", " + maxRetries + ")");
      }
    }

    public static Options defaults() {
      return new Options(256, 5, Duration.ofMillis(250), Duration.ofSeconds(15));
    }
  }

  /** What an ingest did. */
  public record Summary(long added, long alreadyPresent, long batches, long retries, long commits) {}

  private final SolrClient client;
  private final String collection;
  private final Options options;
  private final Clock clock;
  private final Map<String, ImageDocument> pending = new LinkedHashMap<>();
  private long added;
  private long present;
  private long batches;
  private long retries;
  private long commits;
  private long uncommitted;
  private long lastCommit;

  public SolrIngester(SolrClient client, String collection, Options options) {
    this(client, collection, options, Clock.systemUTC());
  }

  SolrIngester(SolrClient client, String collection, Options options, Clock clock) {
    this.client = client;
    this.collection = collection;
    this.options = options;
    this.clock = clock;
    this.lastCommit = clock.millis();
  }

  /** Queues one document; sends a batch when enough are queued. */
  public void add(ImageDocument doc) throws IOException, SolrBackendException {
    pending.put(doc.id(), doc); // the same image twice in one batch is one document
    if (pending.size() >= options.batchSize()) {
      flush();
    }
  }

  /** True when a document with this id is already stored (or queued here). */
  public boolean contains(String id) throws IOException, SolrBackendException {
    return pending.containsKey(id) || !existing(List.of(id)).isEmpty();
  }

  /** Sends what is queued, then commits if the commit interval has passed. */
  public void flush() throws IOException, SolrBackendException {
    if (!pending.isEmpty()) {
      List<ImageDocument> batch = new ArrayList<>(pending.values());
      pending.clear();
      Set<String> have = existing(batch.stream().map(ImageDocument::id).toList());
      Date now = new Date(clock.millis());
      List<SolrInputDocument> docs = new ArrayList<>(batch.size());
      for (ImageDocument d : batch) {
        if (have.contains(d.id())) {
          present++;
        } else {
          docs.add(d.toSolr(now));
        }
      }
      if (!docs.isEmpty()) {
        withRetries("sending " + docs.size() + " documents", () -> client.add(collection, docs));
        batches++;
        added += docs.size();
        uncommitted += docs.size();
      }
    }
    if (uncommitted > 0 && clock.millis() - lastCommit >= options.commitInterval().toMillis()) {
      commit();
    }
  }

  /** Makes everything sent durable and visible to searches. */
  public void commit() throws IOException, SolrBackendException {
    withRetries("committing", () -> client.commit(collection));
    commits++;
    uncommitted = 0;
    lastCommit = clock.millis();
  }

  public Summary summary() {
    return new Summary(added, present, batches, retries, commits);
  }

  /** Sends what is queued and commits; the ingester can go on being used (close is idempotent). */
  @Override
  public void close() throws IOException, SolrBackendException {
    flush();
    if (uncommitted > 0) {
      commit();
    }
  }

  /** The ids among {@code ids} the collection already holds. */
  public Set<String> existing(List<String> ids) throws IOException, SolrBackendException {
    Set<String> out = new HashSet<>();
    if (ids.isEmpty()) {
      return out;
    }
    // Real-time get sees documents sent but not yet committed; POSTed, so a batch of ids fits no URL limit.
    ModifiableSolrParams params = new ModifiableSolrParams().set("ids", String.join(",", ids)).set("fl", ImageDocument.ID);
    QueryRequest get = new QueryRequest(params, SolrRequest.METHOD.POST);
    get.setPath("/get");
    withRetries("looking up " + ids.size() + " ids", () -> {
      out.clear();
      for (SolrDocument d : get.process(client, collection).getResults()) {
        out.add((String) d.getFirstValue(ImageDocument.ID));
      }
      return null;
    });
    return out;
  }

  @FunctionalInterface
  private interface SolrCall {
    Object call() throws SolrServerException, IOException;
  }

  private void withRetries(String what, SolrCall call) throws IOException, SolrBackendException {
    long backoff = options.initialBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      try {
        call.call();
        return;
      } catch (SolrServerException | IOException | SolrException e) {
        if (!transientFailure(e) || attempt >= options.maxRetries()) {
          String message = "collection " + collection + ": " + what + " failed"
              + (attempt > 0 ? " after " + (attempt + 1) + " attempts" : "") + ": " + rootMessage(e);
          // a request Solr refuses (4xx) is the data's fault; one that never got an answer is I/O
          if (transientFailure(e)) {
            throw new SolrUnreachableException(message, e);
          }
          throw new SolrBackendException(message, e);
        }
        retries++;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new SolrBackendException("collection " + collection + ": interrupted while " + what, ie);
        }
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /** A bad request (4xx) will fail the same way again; anything else may pass on the next try. */
  static boolean transientFailure(Exception e) {
    int code = e instanceof SolrException se ? se.code()
        : e instanceof BaseHttpSolrClient.RemoteSolrException re ? re.code() : -1;
    return code < 400 || code >= 500;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
