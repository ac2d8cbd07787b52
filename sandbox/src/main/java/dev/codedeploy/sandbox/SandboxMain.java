package dev.codedeploy.sandbox;

import dev.codedeploy.sandbox.bench.BenchCommand;
import dev.codedeploy.sandbox.demo.DemoCommand;
import dev.codedeploy.sandbox.scenario.ScenarioCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar codedeploy-sandbox.jar}: the whole system on this machine. With no command it runs the demo;
 * {@code scenario NAME} injects a fault, {@code bench NAME} measures; both end with a {@code RESULT} line and exit 0
 * only when it says {@code ok=true}.
 */
@Command(name = "codedeploy-sandbox", mixinStandardHelpOptions = true,
        description = "codedeploy on embedded servers: the demo (default), scenarios and benchmarks.",
        subcommands = {DemoCommand.class, UpCommand.class, ScenarioCommand.class, BenchCommand.class})
public final class SandboxMain implements Runnable {

    /** Runs the sandbox. */
    public static void main(String[] args) {
        System.setProperty("zookeeper.admin.enableServer", "false");
        CommandLine cli = new CommandLine(new SandboxMain());
        int code;
        if (args.length > 0 && args[0].equals("codedeploy")) {
            // the operator CLI, from the same jar: java -jar codedeploy-sandbox.jar codedeploy deploy SHA -c file
            dev.codedeploy.cli.CodeDeployCli.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length == 0 || args[0].startsWith("--repo") || args[0].startsWith("--sha") || args[0].equals("--keep")
                || args[0].startsWith("--regions") || args[0].startsWith("--agents")) {
            String[] demoArgs = new String[args.length + 1];
            demoArgs[0] = "demo";
            System.arraycopy(args, 0, demoArgs, 1, args.length);
            code = cli.execute(demoArgs);
        } else {
            code = cli.execute(args);
        }
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
