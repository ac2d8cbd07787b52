package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/** How Jenkins finds the plugin: the sezpoz index, the step's descriptor, the global configuration. */
class StepRegistrationTest {

    @Test
    void theRealSezpozProcessorIndexedBothExtensions() throws IOException {
        URL index = getClass().getClassLoader().getResource("META-INF/annotations/hudson.Extension");
        assertThat(index).as("META-INF/annotations/hudson.Extension on the class path").isNotNull();
        try (InputStream in = index.openStream()) {
            assertThat(in.readAllBytes()).isNotEmpty();
        }
        List<String> indexed = new ArrayList<>();
        for (IndexItem<Extension, Object> item : Index.load(Extension.class, Object.class, getClass().getClassLoader())) {
            indexed.add(item.className());
        }
        assertThat(indexed).containsExactlyInAnyOrder(
                "dev.codedeploy.jenkins.CodeDeployStep$DescriptorImpl",
                "dev.codedeploy.jenkins.CodeDeployGlobalConfiguration");
    }

    @Test
    void theStepIsFoundAsCodeDeployAndRunsOutsideNode() {
        StepDescriptor descriptor = ExtensionList.lookup(StepDescriptor.class).stream()
                .filter(d -> d.getFunctionName().equals("codeDeploy")).findFirst().orElseThrow();
        assertThat(descriptor).isInstanceOf(CodeDeployStep.DescriptorImpl.class);
        assertThat(descriptor.clazz).isEqualTo(CodeDeployStep.class);
        assertThat(new CodeDeployStep("abc").getDescriptor()).isSameAs(descriptor);
        assertThat(Set.copyOf(descriptor.getRequiredContext())).isEqualTo(Set.of(Run.class, TaskListener.class));
        assertThat(descriptor.takesImplicitBlockArgument()).isFalse();
        assertThat(descriptor.getDisplayName()).isNotBlank();
    }

    @Test
    void theGlobalConfigurationIsASingletonExtension() {
        CodeDeployGlobalConfiguration config = CodeDeployGlobalConfiguration.get();
        assertThat(config).isSameAs(ExtensionList.lookupSingleton(CodeDeployGlobalConfiguration.class));
        assertThat(config.getDescriptor()).isSameAs(config);
        assertThat(config.clazz).isEqualTo(CodeDeployGlobalConfiguration.class);
    }

    @Test
    void optionalParametersHaveTheirDefaultsAndBlanksMeanUnset() {
        CodeDeployStep step = new CodeDeployStep("  a94f3c0e9c1b2d4e5f60718293a4b5c6d7e8f901 ");
        assertThat(step.getSha()).isEqualTo("a94f3c0e9c1b2d4e5f60718293a4b5c6d7e8f901");
        assertThat(step.isWaitForRollout()).isTrue();
        assertThat(step.isCancelBuildOnAbort()).isFalse();
        assertThat(step.getTimeoutMinutes()).isZero();
        step.setEnvironment(" ");
        step.setRepoUrl("");
        step.setCredentialsId(null);
        assertThat(step.getEnvironment()).isNull();
        assertThat(step.getRepoUrl()).isNull();
        assertThat(step.getCredentialsId()).isNull();
    }

    @Test
    void everyParameterHasItsHelpAndTheStepItsForm() {
        for (String field : List.of("sha", "environment", "repoUrl", "waitForRollout", "timeoutMinutes", "credentialsId",
                "cancelBuildOnAbort")) {
            assertThat(CodeDeployStep.class.getResource("CodeDeployStep/help-" + field + ".html")).as(field).isNotNull();
        }
        for (String field : List.of("serverUrl", "credentialsId", "defaultRepoUrl")) {
            assertThat(CodeDeployStep.class.getResource("CodeDeployGlobalConfiguration/help-" + field + ".html")).as(field).isNotNull();
        }
        assertThat(CodeDeployStep.class.getResource("CodeDeployStep/config.jelly")).isNotNull();
        assertThat(CodeDeployStep.class.getResource("CodeDeployGlobalConfiguration/config.jelly")).isNotNull();
        assertThat(getClass().getClassLoader().getResource("index.jelly")).isNotNull();
    }

    @Test
    void pluginSourcesUseOnlyRealJenkinsTypes() throws IOException {
        // the stand-ins' test hooks do not exist in Jenkins: the real build would not compile
        Path sources = Path.of("..", "src", "main", "java");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> java = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(java).extracting(p -> p.getFileName().toString()).contains("CodeDeployStep.java");
            assertThat(java).filteredOn(p -> read(p).contains("dev.codedeploy.jenkins.standins")).isEmpty();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
