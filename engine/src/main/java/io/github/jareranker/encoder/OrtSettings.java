package io.github.jareranker.encoder;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The one copy of the engine's ONNX Runtime session settings on CPU, used by {@link OnnxModel} and by every
 * benchmark that times a session "as the engine runs it" (so a benchmark cannot drift from the engine). Stateless.
 */
public final class OrtSettings {
    private OrtSettings() {}

    /**
     * New CPU session options as the engine uses them: all graph optimizations, sequential execution, one inter-op
     * thread, {@code intraOpThreads} intra-op threads (0: ONNX Runtime's default), no spinning between runs (a search
     * server's query threads share the cores), and the CPU arena on or off. The caller owns and closes them.
     */
    public static OrtSession.SessionOptions cpuSessionOptions(int intraOpThreads, boolean cpuArena)
            throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            if (intraOpThreads > 0) {
                so.setIntraOpNumThreads(intraOpThreads);
            }
            // Only matters when intraOpThreads > 1; the default single-threaded runs have no pool to spin.
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            so.setCPUArenaAllocator(cpuArena);
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }
}
