package io.remoteclip.parquet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DuckDB (JDBC, in memory, no extension): the independent reader tests check the tables against. Public for the
 * CLI's and Spark's tests (this module's test-jar).
 */
public final class DuckDb implements AutoCloseable {
  private final Connection connection;

  public DuckDb() throws SQLException {
    connection = DriverManager.getConnection("jdbc:duckdb:");
  }

  /** Rows of {@code sql}, each column by name (BLOBs as byte arrays). */
  public List<Map<String, Object>> query(String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          row.put(md.getColumnLabel(i), v instanceof java.sql.Blob b ? b.getBytes(1, (int) b.length()) : v);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  public void execute(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }

  /** The footer's key-value metadata of one file (or a glob), as DuckDB's parquet_kv_metadata reads it. */
  public Map<String, String> footer(String fileOrGlob) throws SQLException {
    Map<String, String> kv = new LinkedHashMap<>();
    for (Map<String, Object> r : query("SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata("
        + literal(fileOrGlob) + ")")) {
      kv.put((String) r.get("k"), (String) r.get("v"));
    }
    return kv;
  }

  /** A SQL array column's values as ints. */
  public static int[] ints(Object sqlArray) throws SQLException {
    Object[] a = (Object[]) ((java.sql.Array) sqlArray).getArray();
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = ((Number) a[i]).intValue();
    }
    return out;
  }

  /** A SQL array column's values as floats. */
  public static float[] floats(Object sqlArray) throws SQLException {
    Object[] a = (Object[]) ((java.sql.Array) sqlArray).getArray();
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = ((Number) a[i]).floatValue();
    }
    return out;
  }

  /** A TIMESTAMP or TIMESTAMPTZ column's value as an instant (UTC for a timestamp without zone). */
  public static java.time.Instant instant(Object value) {
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.time.LocalDateTime l) {
      return l.toInstant(java.time.ZoneOffset.UTC);
    }
    throw new AssertionError("timestamp as " + (value == null ? "null" : value.getClass()));
  }

  public static String literal(Path p) {
    return literal(p.toString());
  }

  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
