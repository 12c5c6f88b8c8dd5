package io.github.jareranker.cli;

import io.github.jareranker.evaluation.TieBreak;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --tie-break MODE}: the order of equal scores when a run is evaluated (a picocli mixin). */
final class TieBreakOption {
    @Option(
            names = "--tie-break",
            paramLabel = "MODE",
            converter = TieBreakOption.Converter.class,
            description =
                    "Order of equal scores: ranx (default: exactly as ranx/Numba sorts), input (file order) or docid.")
    TieBreak tieBreak = TieBreak.RANX;

    /** The mode given, or ranx's. */
    TieBreak value() {
        return tieBreak;
    }

    static final class Converter implements CommandLine.ITypeConverter<TieBreak> {
        @Override
        public TieBreak convert(String value) {
            return TieBreak.parse(value);
        }
    }
}
