package dev.codedeploy.cli;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.client.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints an error as one line a person can act on, with the documented exit code; no stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        cli.getErr().println(cli.getColorScheme().errorText("error: " + e.getMessage()));
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof ApiException a) {
            // the server refused the request as asked: bad input, unknown id, no right (2); a conflict with its state (1)
            return a.isClientError() && a.status() != 409 ? CodeDeployCli.USAGE : CodeDeployCli.FAILED;
        }
        if (e instanceof InvalidInputException || e instanceof IllegalArgumentException) {
            return CodeDeployCli.USAGE;
        }
        if (e instanceof java.util.concurrent.TimeoutException) {
            return CodeDeployCli.TIMED_OUT;
        }
        return CodeDeployCli.FAILED;
    }
}
