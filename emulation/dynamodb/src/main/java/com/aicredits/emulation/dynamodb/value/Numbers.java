package com.aicredits.emulation.dynamodb.value;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** DynamoDB's numbers: up to 38 significant digits, magnitudes from 1E-130 to 9.99…E+125, exact. */
public final class Numbers {
    private static final BigDecimal LARGEST = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal SMALLEST = new BigDecimal("1E-130");

    private Numbers() {
    }

    /** Parses a number as DynamoDB accepts it, or throws DynamoDB's ValidationException. */
    public static BigDecimal parse(String text) {
        BigDecimal number;
        try {
            if (text == null || text.isBlank() || text.strip().length() != text.length()) {
                throw new NumberFormatException();
            }
            number = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw DynamoDbError.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        return check(number);
    }

    /** Checks the precision and the range, as DynamoDB does for stored numbers and arithmetic results. */
    public static BigDecimal check(BigDecimal number) {
        BigDecimal normalized = normalize(number);
        if (normalized.signum() == 0) {
            return normalized;
        }
        if (normalized.precision() > 38) {
            throw DynamoDbError.validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal magnitude = normalized.abs();
        if (magnitude.compareTo(LARGEST) > 0) {
            throw DynamoDbError.validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (magnitude.compareTo(SMALLEST) < 0) {
            throw DynamoDbError.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return normalized;
    }

    public static BigDecimal normalize(BigDecimal number) {
        return number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
    }

    /** How DynamoDB writes a number back: plain notation, no trailing zeros. */
    public static String text(BigDecimal number) {
        return number.toPlainString();
    }

    static List<BigDecimal> distinct(List<BigDecimal> numbers) {
        List<BigDecimal> out = new ArrayList<>();
        for (BigDecimal number : numbers) {
            BigDecimal normalized = normalize(number);
            if (out.stream().noneMatch(n -> n.compareTo(normalized) == 0)) {
                out.add(normalized);
            }
        }
        return List.copyOf(out);
    }
}
