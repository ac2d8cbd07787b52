package dev.codedeploy.agent.p2p;

import bt.module.PeerConnectionSelector;
import bt.net.DataReceiver;
import bt.net.IConnectionHandlerFactory;
import bt.net.IMessageDispatcher;
import bt.net.IPeerConnectionFactory;
import bt.net.SharedSelector;
import bt.processor.ProcessorFactory;
import bt.protocol.crypto.EncryptionPolicy;
import bt.runtime.BtRuntime;
import bt.runtime.Config;
import com.google.inject.Injector;
import com.google.inject.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, when the agent starts bt, that every class {@link BtModule} binds in place of bt's is the one bt will use.
 * bt could change how it assembles itself (a binding moved to another key, a module no longer overridable); the
 * agent would then run with bt's own classes, and their bugs, without a word. Instead it refuses to start.
 */
final class BtSelfTest {

    private BtSelfTest() {
    }

    /**
     * @throws IllegalStateException naming every binding that is not the agent's
     */
    static void check(BtRuntime runtime) {
        Injector injector = runtime.getInjector();
        List<String> wrong = new ArrayList<>();
        expect(wrong, injector.getInstance(Key.get(SharedSelector.class, PeerConnectionSelector.class)), RegisteringSelector.class);
        expect(wrong, injector.getInstance(ProcessorFactory.class), AgentProcessorFactory.class);
        expect(wrong, injector.getInstance(IMessageDispatcher.class), AgentDispatcher.class);
        expect(wrong, injector.getInstance(DataReceiver.class), QuietReceiver.class);
        expect(wrong, injector.getInstance(IPeerConnectionFactory.class), AgentConnectionFactory.class);
        if (injector.getInstance(Config.class).getEncryptionPolicy() != EncryptionPolicy.REQUIRE_PLAINTEXT) {
            // the agent's connection factory negotiates no encryption
            wrong.add("the encryption policy is " + injector.getInstance(Config.class).getEncryptionPolicy() + ", not REQUIRE_PLAINTEXT");
        }
        Object handlersSource = injector.getBinding(IConnectionHandlerFactory.class).getSource();
        if (!String.valueOf(handlersSource).contains(BtModule.class.getName())) {
            wrong.add("IConnectionHandlerFactory is bound by " + handlersSource + ", not by " + BtModule.class.getSimpleName());
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("this bt does not use the agent's replacements (" + String.join("; ", wrong)
                    + "): the agent is built for bt 1.10; see docs/host-agent.md, section 'bt'");
        }
    }

    private static void expect(List<String> wrong, Object bound, Class<?> ours) {
        if (!ours.isInstance(bound)) {
            wrong.add(bound.getClass().getName() + " is bound where the agent binds " + ours.getSimpleName());
        }
    }
}
