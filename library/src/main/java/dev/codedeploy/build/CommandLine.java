package dev.codedeploy.build;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command written as one string into arguments, the way a shell would for quotes only: no variables, no
 * globbing, no pipes. A command that needs a shell says so: {@code [sh, -c, "..."]}.
 */
final class CommandLine {

    private CommandLine() {
    }

    static List<String> split(String command) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < command.length()) {
                    current.append(command.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else if (c == '\\' && i + 1 < command.length()) {
                current.append(command.charAt(++i));
                inArg = true;
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.command has an unclosed " + quote + " quote");
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
