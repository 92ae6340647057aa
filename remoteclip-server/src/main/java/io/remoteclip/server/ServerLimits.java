package io.remoteclip.server;

import java.time.Duration;

/**
 * What one request may ask of the server.
 *
 * @param maxUploadBytes largest accepted request body (image uploads)
 * @param maxK largest number of results per search
 * @param maxQueryChars longest text query
 * @param maxLabels most labels per classification request
 * @param requestTimeout longest wait for the model
 * @param threads request-handling threads; requests beyond these and {@code queue} get 503
 * @param queue requests waiting for a thread
 * @param modelSlots requests encoding on the shared model at the same time
 * @param connections what a connection may hold before it has a request ready
 */
public record ServerLimits(long maxUploadBytes, int maxK, int maxQueryChars, int maxLabels, Duration requestTimeout,
    int threads, int queue, int modelSlots, Connections connections) {

  /**
   * Bounds on slow or idle clients. Connections are served by a few non-blocking I/O threads, so a client that
   * sends slowly holds a socket, never a request thread; these bound how long and how many.
   *
   * @param headers deadline for a request's line and headers, from their first byte (trickling does not renew it)
   * @param body deadline for an upload's body, from the end of its headers
   * @param idle a connection with nothing sent either way for this long is closed (kept-alive ones included)
   * @param max open connections; beyond them new ones wait in the OS backlog until some close
   */
  public record Connections(Duration headers, Duration body, Duration idle, int max) {
    public static Connections defaults() {
      return new Connections(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 4096);
    }
  }

  public ServerLimits(long maxUploadBytes, int maxK, int maxQueryChars, int maxLabels, Duration requestTimeout,
      int threads, int queue, int modelSlots) {
    this(maxUploadBytes, maxK, maxQueryChars, maxLabels, requestTimeout, threads, queue, modelSlots,
        Connections.defaults());
  }

  public static ServerLimits defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    // Text queries wait on their request thread for a batch of the text tower: the threads bound the batch
    // (measured with ViT-B-32 on 2 cores, 32 clients: 4 threads 32 queries/s, 16 threads 50). Image work
    // stays bounded by the model slots.
    return new ServerLimits(16L << 20, 200, 500, 100, Duration.ofSeconds(30), Math.max(16, 4 * cores), 64,
        Math.max(1, cores));
  }

  public ServerLimits withMaxUploadBytes(long bytes) {
    return new ServerLimits(bytes, maxK, maxQueryChars, maxLabels, requestTimeout, threads, queue, modelSlots, connections);
  }

  public ServerLimits withThreads(int n) {
    return new ServerLimits(maxUploadBytes, maxK, maxQueryChars, maxLabels, requestTimeout, n, queue, modelSlots, connections);
  }

  public ServerLimits withRequestTimeout(Duration d) {
    return new ServerLimits(maxUploadBytes, maxK, maxQueryChars, maxLabels, d, threads, queue, modelSlots, connections);
  }

  public ServerLimits withConnections(Connections c) {
    return new ServerLimits(maxUploadBytes, maxK, maxQueryChars, maxLabels, requestTimeout, threads, queue, modelSlots, c);
  }
}
