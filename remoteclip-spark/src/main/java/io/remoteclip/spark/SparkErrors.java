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

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }
}
