package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one parser of typed setting values: what it accepts, and its one wording of what it refuses. */
class TypedValuesTest {
    @Test
    void booleansAreExactlyTrueOrFalseInAnyCase() {
        assertThat(TypedValues.bool(" TRUE ")).isTrue();
        assertThat(TypedValues.bool("false")).isFalse();
        for (String bad : new String[] {"yes", "1", "", "truee"}) {
            assertThatThrownBy(() -> TypedValues.bool(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("must be true or false, got '" + bad + "'");
        }
    }

    @Test
    void integersAreCheckedAgainstTheirRangeAndSayWhereTheBoundComesFrom() {
        assertThat(TypedValues.integer(" 42 ")).isEqualTo(42);
        assertThat(TypedValues.integer("-3")).isEqualTo(-3);
        assertThat(TypedValues.integer("0", 0)).isZero();
        assertThat(TypedValues.integer("100", 1, 100, "")).isEqualTo(100);
        assertThatThrownBy(() -> TypedValues.integer("x")).hasMessage("must be an integer, got 'x'");
        assertThatThrownBy(() -> TypedValues.integer("-1", 0)).hasMessage("must be an integer >= 0, got '-1'");
        assertThatThrownBy(() -> TypedValues.integer("3000000000", 0))
                .hasMessage("must be an integer >= 0, got '3000000000'");
        assertThatThrownBy(() -> TypedValues.integer("101", 1, 100, " (maxReRankDocs in solrconfig.xml)"))
                .hasMessage("must be an integer from 1 to 100 (maxReRankDocs in solrconfig.xml), got '101'");
        assertThatThrownBy(() -> TypedValues.integer("1.5", 1)).hasMessage("must be an integer >= 1, got '1.5'");
    }

    @Test
    void finiteNumbersRefuseNaNAndInfinity() {
        assertThat(TypedValues.finite("-2.5")).isEqualTo(-2.5f);
        for (String bad : new String[] {"NaN", "Infinity", "1e40", "abc"}) {
            assertThatThrownBy(() -> TypedValues.finite(bad)).hasMessage("must be a finite number, got '" + bad + "'");
        }
    }
}
