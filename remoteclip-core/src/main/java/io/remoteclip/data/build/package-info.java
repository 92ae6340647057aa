/** Assembling caption data sets: sources, manifests, staging directory, report. */
package io.remoteclip.data.build;
