/**
 * Benchmark reports: a configuration of embedding sources × data sets × protocols is run and written as
 * {@code results.json}, a Markdown table laid out like the RemoteCLIP paper's, and PNG charts.
 */
package io.remoteclip.eval.benchmark;
