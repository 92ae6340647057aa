package io.remoteclip.spark;

/** Spark's exception messages span many lines (plans, SQL states); users see the first. */
final class SparkErrors {
  private SparkErrors() {}

  /**
   * A query Spark refused to plan (missing path, unreadable table) as the project's data error; Scala throws
   * AnalysisException unchecked, so callers catch Exception and pass it here. Anything else is rethrown.
   */
  static io.remoteclip.DataFormatException analysis(String location, Exception e) {
    if (e instanceof org.apache.spark.sql.AnalysisException) {
      return new io.remoteclip.DataFormatException(location + ": " + firstLine(e), e);
    }
    if (e instanceof RuntimeException re) {
      throw re;
    }
    throw new IllegalStateException(e);
  }

  /** An executor that ran out of memory: the job's settings, not the data, need changing (exit 65). */
  static final class ExecutorMemoryException extends io.remoteclip.RemoteClipException {
    ExecutorMemoryException(String message) {
      super(message);
    }
  }

  /**
   * A failed Spark job as what a user can act on, for the error reporter: the task's own exception (a file's
   * I/O or data error keeps its message and exit code), an executor out of memory (Spark's exit code 52 on a
   * cluster, an OutOfMemoryError in local mode) as one line saying which settings to change, else the task's
   * exception as the internal error it is. Anything but a Spark failure is returned as is.
   */
  static Exception job(Exception ex) {
    if (ex instanceof io.remoteclip.RemoteClipException || ex instanceof java.io.IOException) {
      return ex; // already says what is wrong
    }
    boolean spark = false;
    boolean memory = false;
    Throwable root = ex;
    for (Throwable t = ex; t != null; t = t.getCause()) {
      spark |= t instanceof org.apache.spark.SparkException;
      String m = String.valueOf(t.getMessage());
      memory |= t instanceof OutOfMemoryError || m.contains("OutOfMemoryError") || m.contains("executor out of memory")
          || EXIT_52.matcher(m).find();
      root = t;
    }
    if (!spark) {
      return ex;
    }
    if (memory) {
      return new ExecutorMemoryException("Spark job failed: an executor ran out of memory; give executors more memory "
          + "(spark.executor.memory; in local mode the JVM's -Xmx, REMOTECLIP_JAVA_OPTS) or use a smaller --batch-size");
    }
    if (root instanceof java.io.IOException || root instanceof io.remoteclip.RemoteClipException) {
      return (Exception) root;
    }
    return root instanceof Exception e && !(root instanceof org.apache.spark.SparkException) ? e : ex;
  }

  /** How YARN, Kubernetes and standalone masters report an executor that Spark's OOM handler ended. */
  private static final java.util.regex.Pattern EXIT_52 =
      java.util.regex.Pattern.compile("(?i)exit (?:code|status)[:=]? ?52\\b|exited with code 52\\b");

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }

  /** One line naming {@code location}: the failure's first line, prefixed with it unless it already names it. */
  static String named(String location, Throwable e) {
    String msg = firstLine(e);
    return msg.startsWith(location) ? msg : location + ": " + msg;
  }
}
