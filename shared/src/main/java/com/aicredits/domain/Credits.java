package com.aicredits.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of AI credits, exact to the hundredth: a whole number of hundredths, never binary floating point. Prices
 * may be fractional (a gemini-1-pro task costs 0.25), so every amount is one of these, in the domain and, as its
 * hundredths, in DynamoDB. In JSON it is a number with no trailing zeros ({@code 1}, {@code 0.25}, {@code 12.5},
 * {@code -3.75}): a whole amount is written exactly as before fractions existed, so stored bodies replay unchanged.
 */
public record Credits(long hundredths) implements Comparable<Credits> {
    public static final Credits ZERO = new Credits(0);

    /** A whole number of credits. */
    public static Credits of(long whole) {
        return new Credits(Math.multiplyExact(whole, 100L));
    }

    public static Credits ofHundredths(long hundredths) {
        return new Credits(hundredths);
    }

    /** The amount {@code value} names; more than two decimal places is an error (nothing is rounded away). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Credits of(BigDecimal value) {
        try {
            return new Credits(value.movePointRight(2).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("credits are exact to the hundredth (at most two decimal places); got "
                    + value.toPlainString(), e);
        }
    }

    public static Credits parse(String text) {
        return of(new BigDecimal(text));
    }

    /** As JSON writes it: the fewest digits that say the amount, no exponent. */
    @JsonValue
    public BigDecimal decimal() {
        return hundredths % 100 == 0 ? BigDecimal.valueOf(hundredths / 100) : BigDecimal.valueOf(hundredths, 2).stripTrailingZeros();
    }

    public Credits plus(Credits other) {
        return new Credits(Math.addExact(hundredths, other.hundredths));
    }

    public Credits minus(Credits other) {
        return new Credits(Math.subtractExact(hundredths, other.hundredths));
    }

    public Credits negated() {
        return new Credits(Math.negateExact(hundredths));
    }

    public Credits times(long factor) {
        return new Credits(Math.multiplyExact(hundredths, factor));
    }

    /** {@code percent}% of this amount, rounded down to the hundredth (the hard limit: 200% of 333 is 666). */
    public Credits percent(long percent) {
        return new Credits(Math.floorDiv(Math.multiplyExact(hundredths, percent), 100L));
    }

    /** This amount over {@code whole}, in percent, rounded half up to one decimal (81.3). */
    public BigDecimal percentOf(Credits whole) {
        if (whole.hundredths <= 0) {
            return BigDecimal.ZERO.setScale(1);
        }
        return BigDecimal.valueOf(hundredths).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole.hundredths), 1, RoundingMode.HALF_UP);
    }

    public boolean isPositive() {
        return hundredths > 0;
    }

    public boolean isZero() {
        return hundredths == 0;
    }

    public boolean isNegative() {
        return hundredths < 0;
    }

    public boolean isGreaterThan(Credits other) {
        return hundredths > other.hundredths;
    }

    public boolean isAtLeast(Credits other) {
        return hundredths >= other.hundredths;
    }

    public static Credits max(Credits a, Credits b) {
        return a.hundredths >= b.hundredths ? a : b;
    }

    @Override
    public int compareTo(Credits other) {
        return Long.compare(hundredths, other.hundredths);
    }

    /** The amount as people and JSON read it: {@code 12.5}, {@code 3}, {@code -0.25}. */
    @Override
    public String toString() {
        return decimal().toPlainString();
    }
}
