package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help as printed: picocli interpolates ${...} in descriptions, so a literal one must be $${...}. */
class HelpTextTest {

    @Test
    void noHelpTextCarriesAnUnresolvedOrNullSubstitution() {
        List<CommandLine> commands = new ArrayList<>();
        collect(CodeDeployCli.commandLine(), commands);
        assertThat(commands).hasSizeGreaterThan(15);
        for (CommandLine command : commands) {
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(command.getCommandSpec().qualifiedName()).doesNotContain("null");
        }
        String deploy = CodeDeployCli.commandLine().getSubcommands().get("deploy").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(deploy).contains("${ENV} substituted");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
