/**
 * Engine measurements against peer libraries (langchain4j) and this CPU's peak, run by benchmarks/run.sh, never in
 * CI: each a subcommand of {@link io.github.jareranker.benchmarks.Benchmarks}, the jar's entry. May import: the
 * engine, evaluation and the peers.
 */
package io.github.jareranker.benchmarks;
