/**
 * Evaluation data sets: image folders with one sub-folder per class, label CSV files, Karpathy-style
 * caption JSON, and readable class names for prompts.
 */
package io.remoteclip.dataset;
