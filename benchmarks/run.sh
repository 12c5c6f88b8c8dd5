#!/usr/bin/env bash
# Runs the JMH rerank benchmark (ours vs langchain4j-onnx-scoring, same model and threads).
# Usage: benchmarks/run.sh [JMH options], e.g.
#   benchmarks/run.sh                                   # test model, 100 candidates, 2 threads
#   benchmarks/run.sh -p model=models/japanese-reranker-xsmall-v2 -p onnxFile=onnx/model_qint8_avx2.onnx
#   benchmarks/run.sh -p model=models/bench-xsmall-v2 -p onnxFile=model.onnx -wi 1 -i 4 -w 3s -r 5s
#       (random-weight xsmall shape: generate_test_model.py --preset xsmall-v2; see docs/performance.md)
#   ... -p maxBatchSize=1,32 -e 'OnePaddedBatch|langchain4j'   # int8: one pair per run vs batches
# Reads JSQuAD from ../shared/data (or -Dja-reranker.data via JAVA_OPTS). Not part of CI.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -q -B -DskipTests -pl benchmarks -am package
exec java ${JAVA_OPTS:-} -Dja-reranker.home="$ROOT" -jar benchmarks/target/benchmarks.jar RerankBenchmark \
  -jvmArgsAppend "-Dja-reranker.home=$ROOT" -rf json -rff benchmarks/target/results.json "$@"
