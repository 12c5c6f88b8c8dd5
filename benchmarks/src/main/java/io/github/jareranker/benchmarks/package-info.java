/**
 * Engine measurements against peer libraries (langchain4j) and this CPU's peak, run by benchmarks/run.sh, never in
 * CI. May import: the engine, evaluation and the peers.
 */
package io.github.jareranker.benchmarks;
