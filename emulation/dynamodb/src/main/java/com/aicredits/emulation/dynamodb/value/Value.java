package com.aicredits.emulation.dynamodb.value;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB attribute value, in the ten types of the data model. Immutable. Numbers are exact decimals (DynamoDB's
 * 38 significant digits), never doubles; sets keep their insertion order (DynamoDB's order is unspecified) and hold
 * no duplicates.
 */
public sealed interface Value {
    /** DynamoDB's name of the type: S, N, B, BOOL, NULL, L, M, SS, NS, BS. */
    String type();

    record S(String value) implements Value {
        public String type() {
            return "S";
        }
    }

    /** A number, normalized as DynamoDB stores it (no trailing zeros, no exponent when written back). */
    record N(BigDecimal value) implements Value {
        public N {
            value = Numbers.normalize(value);
        }

        public String type() {
            return "N";
        }

        /** The number as DynamoDB writes it back on the wire. */
        public String text() {
            return Numbers.text(value);
        }
    }

    record B(Bytes value) implements Value {
        public String type() {
            return "B";
        }
    }

    record Bool(boolean value) implements Value {
        public String type() {
            return "BOOL";
        }
    }

    record Null() implements Value {
        public String type() {
            return "NULL";
        }
    }

    record L(List<Value> values) implements Value {
        public L {
            values = List.copyOf(values);
        }

        public String type() {
            return "L";
        }
    }

    /** A map; its entries keep the order they were given in (an unmodifiable LinkedHashMap copy). */
    record M(Map<String, Value> values) implements Value {
        public M {
            values = Values.orderedCopy(values);
        }

        public String type() {
            return "M";
        }
    }

    record SS(List<String> values) implements Value {
        public SS {
            values = List.copyOf(new java.util.LinkedHashSet<>(values));
        }

        public String type() {
            return "SS";
        }
    }

    record NS(List<BigDecimal> values) implements Value {
        public NS {
            values = Numbers.distinct(values);
        }

        public String type() {
            return "NS";
        }
    }

    record BS(List<Bytes> values) implements Value {
        public BS {
            values = List.copyOf(new java.util.LinkedHashSet<>(values));
        }

        public String type() {
            return "BS";
        }
    }

    static S s(String value) {
        return new S(value);
    }

    static N n(String value) {
        return new N(Numbers.parse(value));
    }

    static N n(long value) {
        return new N(BigDecimal.valueOf(value));
    }
}
