/**
 * Benchmark grids: a configuration of embedding sources × data sets × protocols is run through the
 * {@link io.remoteclip.eval.protocol.Evaluator} and written as {@code results.json} (one row per cell, the
 * figures in the schema of {@link io.remoteclip.eval.protocol.EvalResult#toJson()}) and a Markdown table
 * laid out like the RemoteCLIP paper's. Charts are drawn by the CLI.
 */
package io.remoteclip.eval.benchmark;
