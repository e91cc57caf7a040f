package org.ablate.cli;

import picocli.CommandLine.Option;

/**
 * Which trials of an experiment folder a results command covers (a picocli mixin): the latest
 * invocation's, as sweep.json records it, or with --all every trial folder, whichever run wrote it.
 */
final class InvocationScope {

    @Option(names = "--all", description = "Every trial in the experiment's folder, not only the latest invocation's "
            + "(an override sweep into the same folder is a new invocation; its parameters that differ become columns).")
    boolean all;
}
