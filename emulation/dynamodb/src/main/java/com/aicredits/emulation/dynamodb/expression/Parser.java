package com.aicredits.emulation.dynamodb.expression;

import com.aicredits.emulation.dynamodb.error.DynamoDbError;
import com.aicredits.emulation.dynamodb.expression.ConditionNode.Comparator;
import com.aicredits.emulation.dynamodb.expression.Lexer.Kind;
import com.aicredits.emulation.dynamodb.expression.Lexer.Token;
import com.aicredits.emulation.dynamodb.expression.Operand.Call;
import com.aicredits.emulation.dynamodb.expression.Operand.Literal;
import com.aicredits.emulation.dynamodb.expression.Operand.PathOperand;
import com.aicredits.emulation.dynamodb.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parser of DynamoDB's four expression languages, by hand: a recursive descent over the {@link Lexer}'s tokens.
 * The grammars are small (a dozen rules together) and DynamoDB's answers need what a generator makes awkward: its
 * syntax error names the offending token and the text around it ({@code token: "3", near: "= 3"}), and its other
 * errors are not the first one met but the first by a fixed precedence per language (a reserved word before an
 * undefined placeholder, an overlap before a wrong operand type…), which the parser collects as it goes and ranks at
 * the end. One place where the grammar is not LL(1), a {@code (} that opens either a condition or an operand, is
 * settled by trying the condition first and backing up (the furthest syntax error wins, as in a PEG).
 *
 * <p>Error texts follow DynamoDB's, as recorded by suites checked against the service (moto's {@code aws_verified}
 * cases, dynalite's tests).
 */
final class Parser {
    /** The slots of deferred errors; each language ranks the ones it can raise. */
    private enum Err {
        PARENS, RESERVED, UNKNOWN_FUNCTION, MISUSED_FUNCTION, SECTION, ATTR_NAME, ATTR_VALUE, OVERLAP, CONFLICT,
        OPERAND_COUNT, DISTINCT, OPERAND, FUNCTION
    }

    private static final Err[] CONDITION_ORDER = {Err.PARENS, Err.UNKNOWN_FUNCTION, Err.MISUSED_FUNCTION,
            Err.RESERVED, Err.ATTR_NAME, Err.OPERAND_COUNT, Err.DISTINCT, Err.FUNCTION};
    private static final Err[] UPDATE_ORDER = {Err.RESERVED, Err.UNKNOWN_FUNCTION, Err.SECTION, Err.ATTR_NAME,
            Err.ATTR_VALUE, Err.OVERLAP, Err.CONFLICT, Err.OPERAND, Err.FUNCTION};
    private static final Err[] PROJECTION_ORDER = {Err.RESERVED, Err.ATTR_NAME, Err.OVERLAP, Err.CONFLICT};

    /** DynamoDB's prefix on some of its messages (verified on UpdateItem for path overlaps and repeated sections). */
    static final String ONE_ERROR = "1 validation error detected: ";

    private static final Set<String> CONDITION_KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN");
    private static final Set<String> UPDATE_KEYWORDS = Set.of("SET", "REMOVE", "ADD", "DELETE");
    private static final Map<String, Integer> CONDITION_FUNCTIONS = Map.of("attribute_exists", 1,
            "attribute_not_exists", 1, "attribute_type", 2, "begins_with", 2, "contains", 2, "size", 1);
    private static final Set<String> TYPE_NAMES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");
    private static final int MAX_IN_OPERANDS = 100;

    private final String text;
    private final String kind;
    private final Token[] tokens;
    private final int[] parentheses;
    private final Placeholders placeholders;
    private final boolean update;
    private final Set<String> keywords;
    private String[] errors = new String[Err.values().length];
    private final List<String> usedNames = new ArrayList<>();
    private final List<String> usedValues = new ArrayList<>();
    private final List<Path> writtenPaths = new ArrayList<>();
    private int pos;

    private Parser(String text, Placeholders placeholders, String kind, boolean update) {
        this.kind = kind;
        this.update = update;
        this.placeholders = placeholders;
        placeholders.checkKeys();
        if (text == null || text.isEmpty()) {
            throw DynamoDbError.validation((update ? ONE_ERROR : "") + "Invalid " + kind
                    + ": The expression can not be empty;");
        }
        this.text = text;
        this.tokens = Lexer.tokens(text);
        this.parentheses = Lexer.matchingParentheses(tokens);
        this.keywords = update ? UPDATE_KEYWORDS : CONDITION_KEYWORDS;
    }

    // ---- entry points ----

    static ConditionNode condition(String text, Placeholders placeholders, String kind) {
        Parser parser = new Parser(text, placeholders, kind, false);
        try {
            ConditionNode condition = parser.or();
            parser.expect(Kind.EOF);
            parser.finish(CONDITION_ORDER);
            return condition;
        } catch (SyntaxError e) {
            throw parser.syntaxError(e.index);
        }
    }

    static Updates update(String text, Placeholders placeholders) {
        Parser parser = new Parser(text, placeholders, "UpdateExpression", true);
        try {
            Updates updates = parser.updateSections();
            parser.finish(UPDATE_ORDER);
            return updates;
        } catch (SyntaxError e) {
            throw parser.syntaxError(e.index);
        }
    }

    static ProjectionTree projection(String text, Placeholders placeholders) {
        Parser parser = new Parser(text, placeholders, "ProjectionExpression", false);
        try {
            List<Path> paths = new ArrayList<>();
            do {
                Path path = parser.path();
                parser.checkOverlap(path);
                paths.add(path);
            } while (parser.accept(Kind.COMMA));
            parser.expect(Kind.EOF);
            parser.finish(PROJECTION_ORDER);
            return new ProjectionTree(paths);
        } catch (SyntaxError e) {
            throw parser.syntaxError(e.index);
        }
    }

    // ---- conditions: OR < AND < NOT < comparisons, functions and parentheses ----

    private ConditionNode or() {
        ConditionNode left = and();
        while (peek().isKeyword("OR")) {
            pos++;
            left = new ConditionNode.Or(left, and());
        }
        return left;
    }

    private ConditionNode and() {
        ConditionNode left = not();
        while (peek().isKeyword("AND")) {
            pos++;
            left = new ConditionNode.And(left, not());
        }
        return left;
    }

    private ConditionNode not() {
        if (peek().isKeyword("NOT")) {
            pos++;
            return new ConditionNode.Not(not());
        }
        return primary();
    }

    private ConditionNode primary() {
        if (!peek().is(Kind.LPAREN)) {
            return comparison();
        }
        State saved = save();
        SyntaxError asCondition = null;
        try {
            int open = pos++;
            ConditionNode inner = or();
            int close = pos;
            expect(Kind.RPAREN);
            if (!startsComparison(peek())) {
                checkRedundant(open, close);
                return inner;
            }
        } catch (SyntaxError e) {
            asCondition = e;
        }
        restore(saved);
        try {
            return comparison();
        } catch (SyntaxError asOperand) {
            throw asCondition == null || asOperand.index >= asCondition.index ? asOperand : asCondition;
        }
    }

    private boolean startsComparison(Token token) {
        return comparator(token) != null || token.isKeyword("BETWEEN") || token.isKeyword("IN");
    }

    private ConditionNode comparison() {
        Operand left = operand();
        Token token = peek();
        Comparator comparator = comparator(token);
        if (comparator != null) {
            pos++;
            Operand right = operand();
            checkMisused(left);
            checkMisused(right);
            checkDistinct(comparator.text, left, right);
            return new ConditionNode.Compare(comparator, left, right);
        }
        if (token.isKeyword("BETWEEN")) {
            pos++;
            Operand low = operand();
            if (!peek().isKeyword("AND")) {
                throw new SyntaxError(pos);
            }
            pos++;
            Operand high = operand();
            checkMisused(left);
            checkMisused(low);
            checkMisused(high);
            checkBetween(low, high);
            return new ConditionNode.Between(left, low, high);
        }
        if (token.isKeyword("IN")) {
            pos++;
            expect(Kind.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(operand());
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN);
            checkMisused(left);
            candidates.forEach(this::checkMisused);
            if (candidates.size() > MAX_IN_OPERANDS) {
                record(Err.FUNCTION, "The IN operator is provided with too many operands; number of operands: "
                        + candidates.size());
            }
            return new ConditionNode.In(left, List.copyOf(candidates));
        }
        if (left instanceof Call call) {
            return functionCondition(call);
        }
        if (left instanceof Operand.Size) {
            record(Err.MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; function: size");
            return new ConditionNode.Exists(left, true);
        }
        throw new SyntaxError(pos);
    }

    private static Comparator comparator(Token token) {
        return switch (token.kind()) {
            case EQ -> Comparator.EQ;
            case NE -> Comparator.NE;
            case LT -> Comparator.LT;
            case LE -> Comparator.LE;
            case GT -> Comparator.GT;
            case GE -> Comparator.GE;
            default -> null;
        };
    }

    /** An operand of a condition: a path, a value, a function call, or one of these in parentheses. */
    private Operand operand() {
        Token token = peek();
        if (token.is(Kind.LPAREN)) {
            int open = pos++;
            Operand inner = operand();
            int close = pos;
            expect(Kind.RPAREN);
            checkRedundant(open, close);
            return inner;
        }
        if (token.is(Kind.VALUE_PLACEHOLDER)) {
            return value();
        }
        if (isFunctionName()) {
            String name = token.text();
            List<Operand> arguments = callArguments(this::operand);
            arguments.forEach(this::checkMisused);
            return conditionFunction(name, arguments);
        }
        return new PathOperand(path());
    }

    /** A call's arguments: from past its name and opening parenthesis to its closing one, each read by {@code argument}. */
    private List<Operand> callArguments(java.util.function.Supplier<Operand> argument) {
        pos += 2;
        List<Operand> arguments = new ArrayList<>(2);
        do {
            arguments.add(argument.get());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN);
        return arguments;
    }

    private Operand conditionFunction(String name, List<Operand> arguments) {
        Call call = new Call(name, List.copyOf(arguments));
        Integer arity = CONDITION_FUNCTIONS.get(name);
        if (arity == null) {
            record(Err.UNKNOWN_FUNCTION, "Invalid function name; function: " + name);
            return call;
        }
        if (arity != arguments.size()) {
            record(Err.OPERAND_COUNT, "Incorrect number of operands for operator or function; operator or function: "
                    + name + ", number of operands: " + arguments.size());
            return call;
        }
        if (arity == 2) {
            checkDistinct(name, arguments.get(0), arguments.get(1));
        }
        switch (name) {
            case "attribute_exists", "attribute_not_exists" -> {
                if (!(arguments.getFirst() instanceof PathOperand)) {
                    record(Err.FUNCTION, "Operator or function requires a document path; operator or function: " + name);
                }
            }
            case "begins_with" -> {
                for (Operand argument : arguments) {
                    String type = argument.staticType();
                    if (type != null && !type.equals("S") && !type.equals("B")) {
                        incorrectOperandType(name, type);
                        break;
                    }
                }
            }
            case "attribute_type" -> {
                String type = arguments.get(1).staticType();
                if (!"S".equals(type)) {
                    incorrectOperandType(name, type == null ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type);
                } else if (((Literal) arguments.get(1)).value() instanceof Value.S typeName
                        && !TYPE_NAMES.contains(typeName.value())) {
                    record(Err.FUNCTION, "Invalid attribute type name found; type: " + typeName.value()
                            + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                }
            }
            case "size" -> {
                String type = arguments.getFirst().staticType();
                if ("N".equals(type) || "BOOL".equals(type) || "NULL".equals(type)) {
                    incorrectOperandType(name, type);
                }
                return new Operand.Size(arguments.getFirst());
            }
            default -> {
            }
        }
        return call;
    }

    private ConditionNode functionCondition(Call call) {
        List<Operand> arguments = call.arguments();
        return switch (call.name()) {
            case "attribute_exists" -> new ConditionNode.Exists(arguments.getFirst(), true);
            case "attribute_not_exists" -> new ConditionNode.Exists(arguments.getFirst(), false);
            case "attribute_type" -> new ConditionNode.AttributeType(arguments.getFirst(),
                    arguments.size() == 2 && arguments.get(1) instanceof Literal(Value.S type) ? type.value() : "");
            case "begins_with" -> new ConditionNode.BeginsWith(arguments.getFirst(), last(arguments));
            case "contains" -> new ConditionNode.Contains(arguments.getFirst(), last(arguments));
            default -> new ConditionNode.Exists(arguments.getFirst(), true); // an error is recorded already
        };
    }

    private static Operand last(List<Operand> arguments) {
        return arguments.getLast();
    }

    private void incorrectOperandType(String function, String type) {
        record(Err.FUNCTION, "Incorrect operand type for operator or function; operator or function: " + function
                + ", operand type: " + type);
    }

    private void checkMisused(Operand operand) {
        if (operand instanceof Call call) {
            record(Err.MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; function: "
                    + call.name());
        }
    }

    private void checkDistinct(String operator, Operand a, Operand b) {
        if (a instanceof PathOperand(Path first) && b instanceof PathOperand(Path second) && first.equals(second)) {
            record(Err.DISTINCT, "The first operand must be distinct from the remaining operands for this operator or "
                    + "function; operator: " + operator + ", first operand: " + first);
        }
    }

    private void checkBetween(Operand low, Operand high) {
        if (low instanceof Literal(Value lower) && high instanceof Literal(Value upper) && lower != null && upper != null) {
            String bounds = "lower bound operand: AttributeValue: " + Semantics.shown(lower)
                    + ", upper bound operand: AttributeValue: " + Semantics.shown(upper);
            if (!lower.type().equals(upper.type())) {
                record(Err.FUNCTION, "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
            } else if (Semantics.order(lower, upper) != Integer.MIN_VALUE && Semantics.order(lower, upper) > 0) {
                record(Err.FUNCTION, "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                        + "bound; " + bounds);
            }
        }
    }

    /** {@code ((x))}: a parenthesis whose whole content is another parenthesis. */
    private void checkRedundant(int open, int close) {
        if (tokens[open + 1].is(Kind.LPAREN) && parentheses[open + 1] == close - 1) {
            record(Err.PARENS, "The expression has redundant parentheses;");
        }
    }

    // ---- updates: SET, REMOVE, ADD, DELETE, each at most once ----

    private Updates updateSections() {
        List<Updates.Action> actions = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        do {
            Token token = peek();
            String section = token.is(Kind.NAME) ? token.text().toUpperCase(java.util.Locale.ROOT) : "";
            if (!UPDATE_KEYWORDS.contains(section)) {
                throw new SyntaxError(pos);
            }
            pos++;
            if (!seen.add(section)) {
                recordPrefixed(Err.SECTION, "The \"" + section + "\" section can only be used once in an update expression;");
            }
            do {
                actions.add(updateAction(section));
            } while (accept(Kind.COMMA));
        } while (!peek().is(Kind.EOF));
        return new Updates(actions);
    }

    private Updates.Action updateAction(String section) {
        Path path = path();
        Updates.Action action = switch (section) {
            case "SET" -> {
                expect(Kind.EQ);
                yield new Updates.Set(path, setValue());
            }
            case "REMOVE" -> new Updates.Remove(path);
            default -> {
                if (!peek().is(Kind.VALUE_PLACEHOLDER)) {
                    throw new SyntaxError(pos);
                }
                Value value = ((Literal) value()).value();
                boolean add = section.equals("ADD");
                if (value != null && !Semantics.isSet(value) && !(add && value instanceof Value.N)) {
                    record(Err.OPERAND, "Incorrect operand type for operator or function; operator: " + section
                            + ", operand type: " + Semantics.longTypeName(value));
                }
                yield add ? new Updates.Add(path, value) : new Updates.Delete(path, value);
            }
        };
        checkOverlap(path);
        return action;
    }

    /** The value of a SET: an operand, or two joined by {@code +} or {@code -}. */
    private Operand setValue() {
        Operand left = setOperand();
        Token token = peek();
        if (token.is(Kind.PLUS) || token.is(Kind.MINUS)) {
            pos++;
            Operand right = setOperand();
            String operator = token.text();
            for (Operand operand : List.of(left, right)) {
                if (operand instanceof Literal literal && literal.value() != null && !(literal.value() instanceof Value.N)) {
                    incorrectOperandType(operator, literal.value().type());
                    break;
                }
            }
            return new Operand.Arithmetic(token.is(Kind.PLUS), left, right);
        }
        return left;
    }

    private Operand setOperand() {
        Token token = peek();
        if (token.is(Kind.LPAREN)) {
            pos++;
            Operand inner = setValue();
            expect(Kind.RPAREN);
            return inner;
        }
        if (token.is(Kind.VALUE_PLACEHOLDER)) {
            return value();
        }
        if (isFunctionName()) {
            String name = token.text();
            return updateFunction(name, callArguments(this::setOperand));
        }
        return new PathOperand(path());
    }

    private Operand updateFunction(String name, List<Operand> arguments) {
        Call call = new Call(name, List.copyOf(arguments));
        if (!name.equals("if_not_exists") && !name.equals("list_append")) {
            record(Err.UNKNOWN_FUNCTION, "Invalid function name; function: " + name);
            return call;
        }
        if (arguments.size() != 2) {
            record(Err.FUNCTION, "Incorrect number of operands for operator or function; operator or function: "
                    + name + ", number of operands: " + arguments.size());
            return call;
        }
        if (name.equals("if_not_exists")) {
            if (arguments.getFirst() instanceof PathOperand(Path path)) {
                return new Operand.IfNotExists(path, arguments.get(1));
            }
            record(Err.FUNCTION, "Operator or function requires a document path; operator or function: " + name);
            return call;
        }
        for (Operand argument : arguments) {
            if (argument instanceof Literal literal && literal.value() != null && !(literal.value() instanceof Value.L)) {
                incorrectOperandType(name, literal.value().type());
                break;
            }
        }
        return new Operand.ListAppend(arguments.get(0), arguments.get(1));
    }

    /**
     * DynamoDB refuses two written paths of which one is the other or inside it (overlap), and two that go on from
     * the same place one through a map key and the other through a list index (conflict).
     */
    private void checkOverlap(Path path) {
        for (Path earlier : writtenPaths) {
            List<Path.Step> a = earlier.steps();
            List<Path.Step> b = path.steps();
            int common = Math.min(a.size(), b.size());
            int i = 0;
            while (i < common && a.get(i).equals(b.get(i))) {
                i++;
            }
            if (i == common) {
                recordPrefixed(Err.OVERLAP, "Two document paths overlap with each other; must remove or rewrite one of "
                        + "these paths; path one: " + earlier + ", path two: " + path);
                return;
            }
            if (a.get(i).getClass() != b.get(i).getClass()) {
                recordPrefixed(Err.CONFLICT, "Two document paths conflict with each other; must remove or rewrite one "
                        + "of these paths; path one: " + earlier + ", path two: " + path);
            }
        }
        writtenPaths.add(path);
    }

    // ---- paths, names and values ----

    private Path path() {
        List<Path.Step> steps = new ArrayList<>(2);
        steps.add(new Path.Field(name()));
        while (true) {
            if (accept(Kind.DOT)) {
                steps.add(new Path.Field(name()));
            } else if (accept(Kind.LBRACKET)) {
                Token number = expect(Kind.NUMBER);
                int index;
                try {
                    index = Integer.parseInt(number.text());
                } catch (NumberFormatException e) {
                    throw new SyntaxError(pos - 1);
                }
                expect(Kind.RBRACKET);
                steps.add(new Path.Index(index));
            } else {
                return new Path(steps);
            }
        }
    }

    private String name() {
        Token token = peek();
        if (token.is(Kind.NAME) && !isKeyword(token)) {
            pos++;
            if (ReservedWords.isReserved(token.text())) {
                record(Err.RESERVED, "Attribute name is a reserved keyword; reserved keyword: " + token.text());
            }
            return token.text();
        }
        if (token.is(Kind.NAME_PLACEHOLDER)) {
            pos++;
            String name = placeholders.names().get(token.text());
            if (name == null) {
                record(Err.ATTR_NAME, "An expression attribute name used in the document path is not defined; "
                        + "attribute name: " + token.text());
                return token.text();
            }
            usedNames.add(token.text());
            return name;
        }
        throw new SyntaxError(pos);
    }

    private Operand value() {
        Token token = expect(Kind.VALUE_PLACEHOLDER);
        Value value = placeholders.values().get(token.text());
        if (value == null) {
            record(update ? Err.ATTR_VALUE : Err.ATTR_NAME,
                    "An expression attribute value used in expression is not defined; attribute value: " + token.text());
        } else {
            usedValues.add(token.text());
        }
        return new Literal(value);
    }

    private boolean isFunctionName() {
        return peek().is(Kind.NAME) && !isKeyword(peek()) && tokens[pos + 1].is(Kind.LPAREN);
    }

    private boolean isKeyword(Token token) {
        return keywords.contains(token.text().toUpperCase(java.util.Locale.ROOT));
    }

    // ---- tokens, errors, backtracking ----

    private Token peek() {
        return tokens[pos];
    }

    private boolean accept(Kind kind) {
        if (tokens[pos].is(kind)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expect(Kind kind) {
        if (!tokens[pos].is(kind)) {
            throw new SyntaxError(pos);
        }
        return tokens[pos++];
    }

    private void record(Err slot, String detail) {
        if (errors[slot.ordinal()] == null) {
            errors[slot.ordinal()] = "Invalid " + kind + ": " + detail;
        }
    }

    private void recordPrefixed(Err slot, String detail) {
        if (errors[slot.ordinal()] == null) {
            errors[slot.ordinal()] = ONE_ERROR + "Invalid " + kind + ": " + detail;
        }
    }

    private void finish(Err[] order) {
        for (Err slot : order) {
            if (errors[slot.ordinal()] != null) {
                throw DynamoDbError.validation(errors[slot.ordinal()]);
            }
        }
        usedNames.forEach(placeholders::useName);
        usedValues.forEach(placeholders::useValue);
    }

    /**
     * DynamoDB's syntax error: the token, and "near" it the text from the token before it to the token after it (to
     * the end of the expression when that is the last).
     */
    private DynamoDbError syntaxError(int index) {
        Token bad = tokens[index];
        int from = index > 0 ? tokens[index - 1].start() : 0;
        int to = bad.is(Kind.EOF) || tokens[index + 1].is(Kind.EOF) ? text.length() : tokens[index + 1].end();
        return DynamoDbError.validation("Invalid " + kind + ": Syntax error; token: \"" + bad.shown() + "\", near: \""
                + text.substring(from, to) + "\"");
    }

    private record State(int pos, String[] errors, int names, int values) {
    }

    private State save() {
        return new State(pos, errors.clone(), usedNames.size(), usedValues.size());
    }

    private void restore(State state) {
        pos = state.pos();
        errors = state.errors();
        usedNames.subList(state.names(), usedNames.size()).clear();
        usedValues.subList(state.values(), usedValues.size()).clear();
    }

    /** A token no rule accepts, at this index; thrown without a stack trace, caught by the entry point. */
    private static final class SyntaxError extends RuntimeException {
        final int index;

        SyntaxError(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }
}
