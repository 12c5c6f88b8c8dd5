package io.github.jareranker.encoder;

import java.util.Locale;
import java.util.Objects;

/** Where ONNX Runtime executes the model: the CPU, or one CUDA GPU. Immutable. */
public final class ExecutionDevice {
    private static final ExecutionDevice CPU = new ExecutionDevice(false, -1);

    private final boolean cuda;
    private final int deviceId;

    private ExecutionDevice(boolean cuda, int deviceId) {
        this.cuda = cuda;
        this.deviceId = deviceId;
    }

    /** The CPU execution provider. */
    public static ExecutionDevice cpu() {
        return CPU;
    }

    /** The CUDA execution provider on GPU {@code deviceId} (0-based). */
    public static ExecutionDevice cuda(int deviceId) {
        if (deviceId < 0) {
            throw new IllegalArgumentException("CUDA device id must be >= 0, got " + deviceId);
        }
        return new ExecutionDevice(true, deviceId);
    }

    /**
     * Parses {@code cpu}, {@code cuda} (device 0) or {@code cuda:N}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ExecutionDevice parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("cpu")) {
            return cpu();
        }
        if (v.equals("cuda") || v.equals("gpu")) {
            return cuda(0);
        }
        if (v.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(v.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                "unknown device '" + value + "': expected cpu, cuda or cuda:N (N = GPU index)");
    }

    /** True for a CUDA GPU. */
    public boolean isCuda() {
        return cuda;
    }

    /** The CUDA device index; -1 for the CPU. */
    public int deviceId() {
        return deviceId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecutionDevice
                && ((ExecutionDevice) o).cuda == cuda
                && ((ExecutionDevice) o).deviceId == deviceId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cuda, deviceId);
    }

    @Override
    public String toString() {
        return cuda ? "cuda:" + deviceId : "cpu";
    }
}
