package org.ablate.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ablate.config.ConfigErrors;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Suggestions;
import org.ablate.config.YamlNode;
import org.ablate.spi.Param;
import org.ablate.spi.ParamType;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.ParameterSpec;
import org.ablate.spi.Parameters;
import org.ablate.spi.task.ExternalProgram;

/**
 * A {@code task: command} experiment's program: its argument list ({@code {param}} placeholders
 * filled per trial; {@code {{}} and {@code }}} stand for braces), the parameter schema the file
 * declares for it ({@code schema:}, checked like a plugin's), and the folder it runs in (the
 * experiment file's). Everything is checked when the file is read, so a bad command fails before
 * anything runs.
 */
public record CommandSpec(List<String> argv, ParameterSchema schema, Path workingDirectory) {

    /** The built-in task that runs it. */
    public static final String TASK = "command";
    /** Keys of {@link #taskOptions()}, which the command task receives as its own parameters. */
    public static final String ARGV = "argv";
    public static final String WORKING_DIRECTORY = "working_directory";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([^{}]*)}");
    private static final List<String> SCHEMA_KEYS = List.of("type", "default", "values", "min", "max", "range", "doc");
    private static final Map<String, ParamType> TYPES = new LinkedHashMap<>();

    static {
        for (ParamType t : List.of(ParamType.INTEGER, ParamType.REAL, ParamType.BOOLEAN, ParamType.STRING,
                ParamType.INTEGER_LIST, ParamType.REAL_LIST, ParamType.STRING_LIST)) {
            TYPES.put(t.name().toLowerCase(java.util.Locale.ROOT), t);
        }
    }

    public CommandSpec {
        argv = List.copyOf(argv);
    }

    /**
     * Reads the {@code command:} and {@code schema:} sections of a {@code task: command} file.
     *
     * @param source the experiment file, whose folder the program runs in
     */
    static CommandSpec parse(YamlNode command, YamlNode schema, Origin task, String source) {
        if (command == null) {
            throw new ConfigException(task.child("command", 0), "missing required key for task: command (the program and"
                    + " its arguments, e.g. command: [python3, train.py, --lr, \"{lr}\"])");
        }
        ConfigErrors errors = new ConfigErrors();
        // null when refused: the placeholders are then not checked against it (one error, not one per placeholder)
        ParameterSchema parameters = errors.get(() -> schema == null ? ParameterSchema.empty() : schema(schema), null);
        Path dir = Path.of(source).toAbsolutePath().normalize().getParent();
        List<String> args = errors.get(() -> arguments(command, parameters, dir), List.of());
        errors.throwIfAny();
        return new CommandSpec(args, parameters, dir);
    }

    /** What the built-in command task is created with. */
    public Parameters taskOptions() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(ARGV, argv);
        options.put(WORKING_DIRECTORY, workingDirectory.toString());
        return new Parameters(options);
    }

    /** The argument list of one trial: every placeholder replaced by the parameter's value. */
    public static List<String> resolve(List<String> argv, Parameters params) {
        List<String> out = new ArrayList<>(argv.size());
        for (String arg : argv) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String text = switch (m.group()) {
                    case "{{" -> "{";
                    case "}}" -> "}";
                    default -> text(params.get(m.group(1).strip()));
                };
                m.appendReplacement(b, Matcher.quoteReplacement(text));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }

    /** How a value appears in an argument: integers without a point, lists comma-separated. */
    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(CommandSpec::text).toList());
        }
        return String.valueOf(value);
    }

    private static List<String> arguments(YamlNode command, ParameterSchema schema, Path dir) {
        if (!command.isList()) {
            throw new ConfigException(command.origin(), "expected a list of arguments, got " + command.describe()
                    + " (a shell string is never split: write command: [python3, train.py, --lr, \"{lr}\"])");
        }
        List<YamlNode> items = command.asList();
        if (items.isEmpty()) {
            throw new ConfigException(command.origin(), "the list is empty (accepted: the program, then its arguments)");
        }
        ConfigErrors errors = new ConfigErrors();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            Origin at = item.origin();
            if (!item.isScalar() || item.value() == null) {
                errors.add(new ConfigException(at, "expected an argument (a string or number), got " + item.describe()));
                continue;
            }
            String arg = String.valueOf(item.value());
            args.add(arg);
            if (schema != null) {
                errors.collect(() -> checkPlaceholders(arg, schema, at));
            }
        }
        errors.throwIfAny();
        String program = args.get(0);
        Origin first = items.get(0).origin();
        if (PLACEHOLDER.matcher(program).find()) {
            throw new ConfigException(first, "the program '" + program + "' may not hold a placeholder (only its arguments may)");
        }
        if (ExternalProgram.resolveExecutable(program, dir).isEmpty()) {
            throw new ConfigException(first, program.contains("/")
                    ? "program '" + program + "' is not an executable file (relative paths start at " + dir + ")"
                    : "program '" + program + "' is not found on PATH (give its path, or install it)");
        }
        return args;
    }

    private static void checkPlaceholders(String arg, ParameterSchema schema, Origin at) {
        Matcher m = PLACEHOLDER.matcher(arg);
        while (m.find()) {
            if (m.group(1) == null) {
                continue; // an escaped brace
            }
            String name = m.group(1).strip();
            if (schema.find(name).isEmpty()) {
                List<String> names = List.copyOf(schema.names());
                throw new ConfigException(at, "placeholder {" + m.group(1) + "} names no parameter"
                        + Suggestions.didYouMean(name, names) + " (accepted: "
                        + (names.isEmpty() ? "none: declare parameters under schema:" : String.join(", ", names))
                        + "; {{ and }} for literal braces)");
            }
        }
        int open = arg.replace("{{", "").replace("}}", "").replaceAll("\\{[^{}]*}", "").indexOf('{');
        int close = arg.replace("{{", "").replace("}}", "").replaceAll("\\{[^{}]*}", "").indexOf('}');
        if (open >= 0 || close >= 0) {
            throw new ConfigException(at, "unbalanced brace in '" + arg + "' (accepted: {name} for a parameter,"
                    + " {{ and }} for literal braces)");
        }
    }

    /** {@code schema: {lr: {type: real, default: 0.1, range: [0, 1], doc: ...}, ...}}. */
    private static ParameterSchema schema(YamlNode node) {
        ConfigErrors errors = new ConfigErrors();
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : node.asMap().entrySet()) {
            errors.collect(() -> params.add(param(e.getKey(), e.getValue())));
        }
        errors.throwIfAny();
        try {
            return ParameterSchema.of(params.toArray(Param[]::new));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.origin(), e.getMessage());
        }
    }

    private static Param param(String name, YamlNode node) {
        Origin at = node.origin();
        if (ParameterSchema.RESERVED.contains(name) || !name.matches("[a-z][a-z0-9_]*")) {
            throw new ConfigException(at, ParameterSchema.RESERVED.contains(name)
                    ? "parameter name '" + name + "' is reserved for seeding (accepted: any other lower_snake_case name)"
                    : "parameter name '" + name + "' must be lower_snake_case, e.g. learning_rate");
        }
        Map<String, YamlNode> m = node.asMap();
        for (Map.Entry<String, YamlNode> k : m.entrySet()) {
            if (!SCHEMA_KEYS.contains(k.getKey())) {
                throw new ConfigException(k.getValue().origin(), "unknown key" + Suggestions.didYouMean(k.getKey(), SCHEMA_KEYS)
                        + " (accepted: " + String.join(", ", SCHEMA_KEYS) + ")");
            }
        }
        YamlNode typeNode = m.get("type");
        if (typeNode == null) {
            throw new ConfigException(at.child(at.key() + ".type", 0), "missing required key (accepted: "
                    + String.join(", ", TYPES.keySet()) + ")");
        }
        String typeName = typeNode.asString();
        ParamType type = TYPES.get(typeName);
        if (type == null) {
            throw new ConfigException(typeNode.origin(), "unknown type '" + typeName + "'"
                    + Suggestions.didYouMean(typeName, TYPES.keySet()) + " (accepted: " + String.join(", ", TYPES.keySet()) + ")");
        }
        Param p = switch (type) {
            case INTEGER -> Param.integer(name);
            case REAL -> Param.real(name);
            case BOOLEAN -> Param.bool(name);
            case STRING -> Param.string(name);
            case INTEGER_LIST -> Param.integerList(name);
            case REAL_LIST -> Param.realList(name);
            default -> Param.stringList(name);
        };
        if (m.containsKey("values")) {
            if (type != ParamType.STRING && type != ParamType.STRING_LIST) {
                throw new ConfigException(m.get("values").origin(), "values: restricts a string parameter, not a "
                        + type.display() + " (accepted for numbers: min, max, range)");
            }
            p.oneOf(m.get("values").asList().stream().map(YamlNode::asString).toArray(String[]::new));
        }
        boolean bounded = m.containsKey("min") || m.containsKey("max") || m.containsKey("range");
        if (bounded && !type.isNumeric()) {
            YamlNode bound = m.containsKey("range") ? m.get("range") : m.containsKey("min") ? m.get("min") : m.get("max");
            throw new ConfigException(bound.origin(), "a range bounds a number, not a " + type.display());
        }
        if (m.containsKey("range")) {
            List<YamlNode> r = m.get("range").asList();
            if (r.size() != 2) {
                throw new ConfigException(m.get("range").origin(), "expected [min, max], got a list of " + r.size());
            }
            p.range(number(r.get(0)), number(r.get(1)));
        }
        if (m.containsKey("min")) {
            p.min(number(m.get("min")));
        }
        if (m.containsKey("max")) {
            p.max(number(m.get("max")));
        }
        if (m.containsKey("doc")) {
            p.doc(m.get("doc").asString());
        }
        if (m.containsKey("default")) {
            p.defaultValue(m.get("default").toPlain());
        }
        ParameterSpec spec = ParameterSchema.of(p).parameters().get(0);
        if (spec.min() != null && spec.max() != null && spec.min() > spec.max()) {
            throw new ConfigException(at, "the range is empty: min " + spec.min() + " > max " + spec.max());
        }
        if (m.containsKey("default")) {
            // the default must itself be a value the schema accepts, or every trial that uses it would be refused
            new ParameterResolver(null).coerce(spec, spec.defaultValue(), m.get("default").origin());
        }
        return p;
    }

    private static double number(YamlNode node) {
        if (node.value() instanceof Number n) {
            return n.doubleValue();
        }
        throw new ConfigException(node.origin(), "expected a number, got " + node.describe());
    }
}
