package com.aicredits.emulation.dynamodb.expression;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Splits an expression into tokens, all at once: bare names ({@code [A-Za-z][A-Za-z0-9_]*}), {@code #name} and
 * {@code :value} placeholders ({@code [A-Za-z0-9_]+} after the sign), digits (list indexes; anywhere else a syntax
 * error, as DynamoDB takes no literals), the operators and punctuation, and any other character as a token of its
 * own that no rule accepts (DynamoDB's {@code Syntax error; token: "|"}). It also pairs each {@code (} with its
 * {@code )}, which is how redundant parentheses are told.
 */
final class Lexer {
    enum Kind {
        NAME, NAME_PLACEHOLDER, VALUE_PLACEHOLDER, NUMBER,
        EQ, NE, LT, LE, GT, GE, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, PLUS, MINUS,
        OTHER, EOF
    }

    /** One token: its kind, its text and where it is in the expression (start inclusive, end exclusive). */
    record Token(Kind kind, String text, int start, int end) {
        boolean is(Kind other) {
            return kind == other;
        }

        /** A bare name equal to this keyword, whatever its case. */
        boolean isKeyword(String keyword) {
            return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
        }

        /** The token as DynamoDB names it in a syntax error. */
        String shown() {
            return kind == Kind.EOF ? "<EOF>" : text;
        }
    }

    private Lexer() {
    }

    /** The tokens of {@code text}, ending with an EOF token. */
    static Token[] tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            int start = i;
            Kind kind;
            if (isLetter(c)) {
                i = wordEnd(text, i + 1);
                kind = Kind.NAME;
            } else if ((c == '#' || c == ':') && i + 1 < length && isWordPart(text.charAt(i + 1))) {
                i = wordEnd(text, i + 1);
                kind = c == '#' ? Kind.NAME_PLACEHOLDER : Kind.VALUE_PLACEHOLDER;
            } else if (c >= '0' && c <= '9') {
                while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                kind = Kind.NUMBER;
            } else {
                char next = i + 1 < length ? text.charAt(i + 1) : 0;
                i++;
                kind = switch (c) {
                    case '=' -> Kind.EQ;
                    case '<' -> {
                        if (next == '>' || next == '=') {
                            i++;
                            yield next == '>' ? Kind.NE : Kind.LE;
                        }
                        yield Kind.LT;
                    }
                    case '>' -> {
                        if (next == '=') {
                            i++;
                            yield Kind.GE;
                        }
                        yield Kind.GT;
                    }
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case '[' -> Kind.LBRACKET;
                    case ']' -> Kind.RBRACKET;
                    case ',' -> Kind.COMMA;
                    case '.' -> Kind.DOT;
                    case '+' -> Kind.PLUS;
                    case '-' -> Kind.MINUS;
                    default -> {
                        if (Character.isHighSurrogate(c) && i < length) {
                            i++;
                        }
                        yield Kind.OTHER;
                    }
                };
            }
            tokens.add(new Token(kind, text.substring(start, i), start, i));
        }
        tokens.add(new Token(Kind.EOF, "", length, length));
        return tokens.toArray(Token[]::new);
    }

    /** For each {@code (} the index of its {@code )}, -1 when it has none (and for every other token). */
    static int[] matchingParentheses(Token[] tokens) {
        int[] match = new int[tokens.length];
        Arrays.fill(match, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].is(Kind.LPAREN)) {
                open.push(i);
            } else if (tokens[i].is(Kind.RPAREN) && !open.isEmpty()) {
                match[open.pop()] = i;
            }
        }
        return match;
    }

    private static int wordEnd(String text, int i) {
        while (i < text.length() && isWordPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordPart(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }
}
