package dev.codedeploy.agent.p2p;

import bt.event.EventSource;
import bt.module.BitTorrentProtocol;
import bt.module.ExtendedMessageHandlers;
import bt.module.PeerConnectionSelector;
import bt.module.ServiceModule;
import bt.net.BitfieldConnectionHandler;
import bt.net.ConnectionHandlerFactory;
import bt.net.DataReceiver;
import bt.net.HandshakeHandler;
import bt.net.IConnectionHandlerFactory;
import bt.net.IMessageDispatcher;
import bt.net.IPeerConnectionFactory;
import bt.net.SharedSelector;
import bt.net.buffer.IBufferManager;
import bt.net.extended.ExtendedProtocolHandshakeHandler;
import bt.net.pipeline.IChannelPipelineFactory;
import bt.processor.ProcessorFactory;
import bt.protocol.IHandshakeFactory;
import bt.protocol.Message;
import bt.protocol.extended.ExtendedHandshakeFactory;
import bt.protocol.handler.MessageHandler;
import bt.runtime.Config;
import bt.service.IRuntimeLifecycleBinder;
import bt.service.LifecycleBinding;
import bt.torrent.TorrentRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The agent's Guice module for bt's runtime ({@code BtRuntimeBuilder.module}): bt combines its own modules and then
 * lets this one override their bindings, which is the extension point bt offers. It contributes the ZooKeeper peer
 * source and binds, in place of bt's:
 * <ul>
 *   <li>{@link RegisteringSelector} for the peer-connection selector;</li>
 *   <li>{@link AgentProcessorFactory} for the torrent processing chain (with {@link ReconnectSafeStatistics});</li>
 *   <li>{@link AgentDispatcher} for the message dispatcher (interest before requests, the upload limit,
 *       super-seeding), run by the agent's {@link MessageLoop} instead of bt's loop;</li>
 *   <li>{@link QuietReceiver} for the loop that reads connections (a foreign client's encrypted handshake is one
 *       debug line, not an error);</li>
 *   <li>the connection handlers: {@link PlaintextHandshakes} for the extended handshake, and no bitfield from a
 *       super-seeder;</li>
 *   <li>{@link AgentConnectionFactory} for the connection factory: sockets written without spinning
 *       ({@link NonBlockingChannelHandler}).</li>
 * </ul>
 * {@link BtSelfTest} checks at start that each binding took effect.
 */
final class BtModule extends AbstractModule {

    private final ZooKeeperPeerSourceFactory peerSources;
    private final WirePolicy policy;

    BtModule(ZooKeeperPeerSourceFactory peerSources, WirePolicy policy) {
        this.peerSources = peerSources;
        this.policy = policy;
    }

    @Override
    protected void configure() {
        ServiceModule.extend(binder()).addPeerSourceFactory(peerSources);
        bind(WirePolicy.class).toInstance(policy);
        bind(ProcessorFactory.class).to(AgentProcessorFactory.class).in(Singleton.class);
        bind(DataArrival.class).in(Singleton.class);
        bind(MessageLoop.class).asEagerSingleton();
        bind(IMessageDispatcher.class).to(AgentDispatcher.class).asEagerSingleton();
        bind(DataReceiver.class).to(QuietReceiver.class).asEagerSingleton();
    }

    @Provides
    @Singleton
    @PeerConnectionSelector
    SharedSelector selector(IRuntimeLifecycleBinder lifecycle) {
        RegisteringSelector selector;
        try {
            selector = new RegisteringSelector(Selector.open());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for peer connections", e);
        }
        lifecycle.addBinding(IRuntimeLifecycleBinder.LifecycleEvent.SHUTDOWN, LifecycleBinding.bind(() -> {
            try {
                selector.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the peer-connection selector", e);
            }
        }).description("Shutdown selector").build());
        return selector;
    }

    @Provides
    @Singleton
    IConnectionHandlerFactory connectionHandlers(IHandshakeFactory handshakes, TorrentRegistry torrents, Set<HandshakeHandler> bound,
                                                 ExtendedHandshakeFactory extendedHandshakes, Config config) {
        List<HandshakeHandler> handlers = new ArrayList<>(bound);
        if (!policy.superSeed()) {
            handlers.add(new BitfieldConnectionHandler(torrents));
        }
        handlers.add(new ExtendedProtocolHandshakeHandler(new PlaintextHandshakes(extendedHandshakes)));
        return new ConnectionHandlerFactory(handshakes, torrents, handlers, config.getPeerHandshakeTimeout());
    }

    @Provides
    @Singleton
    IPeerConnectionFactory connections(@PeerConnectionSelector SharedSelector selector, IConnectionHandlerFactory handlers,
                                       @BitTorrentProtocol MessageHandler<Message> protocol, IChannelPipelineFactory pipelines,
                                       IBufferManager buffers, DataReceiver receiver, EventSource events, Config config) {
        return new AgentConnectionFactory(selector, handlers, pipelines, protocol, buffers, receiver, events,
                new InetSocketAddress(config.getAcceptorAddress(), 0));
    }
}
