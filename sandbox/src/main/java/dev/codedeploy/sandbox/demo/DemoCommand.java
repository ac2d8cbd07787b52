package dev.codedeploy.sandbox.demo;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The default command: the demo. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the demo (the default).")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("demo: not yet");
        return 0;
    }
}
