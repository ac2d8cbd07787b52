package dev.codedeploy.jenkins.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.StaticJavaParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-ins against the real Jenkins API ({@code jenkins-plugin/stand-ins/real-api.txt}, read from the real
 * sources by {@link RealApi}): every type, supertype and member a stand-in declares is in the list with the same
 * signature, and every member the plugin uses is in the list. The last tests show that the check does fail on a
 * stand-in that differs.
 */
class StandInSignaturesTest {

    private static Map<String, ApiEntry> real;
    private static List<ApiEntry> standIns;
    private static Set<String> pluginUses;

    @BeforeAll
    static void read() throws IOException {
        real = ApiList.read(ApiList.FILE);
        standIns = StandIns.entries(StandIns.SOURCES);
        pluginUses = StandIns.pluginUsage(StandIns.types(standIns));
    }

    @Test
    void everyStandInDeclarationIsInTheRealApiWithTheSameSignature() {
        assertThat(standIns).extracting(ApiEntry::key).contains("hudson.AbortException", "hudson.model.TaskListener#getLogger()",
                "org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution#run()");

        assertThat(StandInCheck.problems(standIns, real, List.of())).isEmpty();
    }

    @Test
    void everyMemberThePluginUsesIsInTheRealApi() {
        // what the plugin calls, reads and overrides, found in its class files
        assertThat(pluginUses).contains(
                "com.cloudbees.plugins.credentials.CredentialsProvider#findCredentialByIdInItemGroup(java.lang.String, java.lang.Class,"
                        + " hudson.model.ItemGroup, org.springframework.security.core.Authentication, java.util.List)",
                "hudson.AbortException#<init>(java.lang.String)",
                "hudson.model.Descriptor#save()",
                "org.jenkinsci.plugins.workflow.steps.StepDescriptor#getFunctionName()",
                "org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution#run()",
                "org.jenkinsci.Symbol");

        assertThat(StandInCheck.problems(List.of(), real, pluginUses)).isEmpty();
    }

    @Test
    void everyListedSignatureNamesTheRealSourceFileItCameFrom() {
        assertThat(real.values()).allSatisfy(e -> assertThat(e.source()).matches("jenkinsci/[\\w.-]+@[\\w.-]+:[\\w/.-]+\\.java"));
    }

    @Test
    void aStandInThatDiffersFromTheRealApiFails() {
        // the stand-ins as they were before the check: AbortException final, @Symbol with a default value
        List<ApiEntry> differing = new ArrayList<>(parse("""
                package hudson;
                public final class AbortException extends java.io.IOException {
                    public AbortException(String message) { super(message); }
                }
                """));
        differing.addAll(parse("""
                package org.jenkinsci;
                public @interface Symbol {
                    String[] value() default {};
                }
                """));
        differing.addAll(parse("""
                package hudson.model;
                public interface TaskListener extends java.io.Serializable {
                    java.io.PrintStream getLogger();
                    String getName();
                }
                """));

        List<String> problems = StandInCheck.problems(differing, real, List.of());

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("the type hudson.AbortException differs")
                .contains("stand-in: public final class hudson.AbortException").contains("real:     public class hudson.AbortException"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("the member org.jenkinsci.Symbol#value() differs")
                .contains("java.lang.String[] value() default {}"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .contains("the supertype java.io.Serializable of hudson.model.TaskListener is not in the real API"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("the member hudson.model.TaskListener#getName() is not in the real API"));
        assertThat(problems).hasSize(4);
    }

    @Test
    void aMemberThePluginUsesThatTheListLacksFails() {
        List<String> problems = StandInCheck.problems(List.of(), real, List.of("hudson.model.Run#getFullDisplayName()"));

        assertThat(problems).containsExactly("the plugin uses hudson.model.Run#getFullDisplayName(), which the list of the real API lacks");
    }

    private static List<ApiEntry> parse(String source) {
        return SourceSignatures.of(StaticJavaParser.parse(source), "test", name -> StandIns.exists(StandIns.SOURCES, name));
    }
}
