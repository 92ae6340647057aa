/**
 * What every command package shares: the model options mixin ({@link io.remoteclip.cli.common.ModelOptions},
 * {@link io.remoteclip.cli.common.ModelChoice}), the verbosity flag, console progress, engine threads and the
 * ranges of numeric options ({@link io.remoteclip.cli.common.Ranges}).
 * It sits below {@code io.remoteclip.cli} and {@code io.remoteclip.cli.eval} and imports neither.
 */
package io.remoteclip.cli.common;
