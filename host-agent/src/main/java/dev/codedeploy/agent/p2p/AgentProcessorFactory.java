package dev.codedeploy.agent.p2p;

import bt.data.LocalBitfield;
import bt.event.EventSink;
import bt.event.EventSource;
import bt.metainfo.Torrent;
import bt.module.ClientExecutor;
import bt.module.MessagingAgents;
import bt.net.IConnectionSource;
import bt.net.IMessageDispatcher;
import bt.net.IPeerConnectionPool;
import bt.net.extended.ExtendedHandshakeConsumer;
import bt.peer.IPeerRegistry;
import bt.processor.ChainProcessor;
import bt.processor.ProcessingStage;
import bt.processor.TerminateOnErrorProcessingStage;
import bt.processor.Processor;
import bt.processor.ProcessingContext;
import bt.processor.ProcessorFactory;
import bt.processor.listener.ProcessingEvent;
import bt.processor.torrent.ChooseFilesStage;
import bt.processor.torrent.CreateSessionStage;
import bt.processor.torrent.FetchTorrentStage;
import bt.processor.torrent.SeedStage;
import bt.processor.torrent.TorrentContext;
import bt.processor.torrent.TorrentContextFinalizer;
import bt.runtime.Config;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import bt.torrent.data.DataWorker;
import bt.net.pipeline.IBufferedPieceRegistry;
import bt.torrent.messaging.BitfieldConsumer;
import bt.torrent.messaging.GenericConsumer;
import bt.torrent.messaging.MetadataProducer;
import bt.torrent.messaging.PeerRequestConsumer;
import bt.torrent.messaging.PieceConsumer;
import bt.torrent.messaging.RequestProducer;
import bt.tracker.ITrackerService;
import com.google.inject.Inject;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * bt's processing chain for a torrent, bound in place of bt's {@code TorrentProcessorFactory} by {@link BtModule}: bt's
 * own stages, except two: the one that prepares a torrent's data and messaging agents, which does what bt's {@code
 * InitializeTorrentProcessingStage} does with {@link ReconnectSafeStatistics} as the count of pieces per peer, and the
 * download stage, {@link StoppableDownloadStage}, which ends when the torrent is stopped. The agent always has the
 * torrent file, so there is no chain for magnet links.
 */
final class AgentProcessorFactory implements ProcessorFactory {

    private final TorrentRegistry torrentRegistry;
    private final DataWorker dataWorker;
    private final IBufferedPieceRegistry bufferedPieceRegistry;
    private final ITrackerService trackerService;
    private final IPeerRegistry peerRegistry;
    private final IConnectionSource connectionSource;
    private final IPeerConnectionPool connectionPool;
    private final IMessageDispatcher messageDispatcher;
    private final Set<Object> messagingAgents;
    private final EventSource eventSource;
    private final EventSink eventSink;
    private final Config config;
    private final ChainProcessor<TorrentContext> torrentChain;

    @Inject
    AgentProcessorFactory(TorrentRegistry torrentRegistry, DataWorker dataWorker, IBufferedPieceRegistry bufferedPieceRegistry,
                          ITrackerService trackerService, @ClientExecutor ExecutorService executor, IPeerRegistry peerRegistry,
                          IConnectionSource connectionSource, IPeerConnectionPool connectionPool, IMessageDispatcher messageDispatcher,
                          @MessagingAgents Set<Object> messagingAgents, EventSource eventSource,
                          EventSink eventSink, Config config) {
        this.torrentRegistry = torrentRegistry;
        this.dataWorker = dataWorker;
        this.bufferedPieceRegistry = bufferedPieceRegistry;
        this.trackerService = trackerService;
        this.peerRegistry = peerRegistry;
        this.connectionSource = connectionSource;
        this.connectionPool = connectionPool;
        this.messageDispatcher = messageDispatcher;
        this.messagingAgents = messagingAgents;
        this.eventSource = eventSource;
        this.eventSink = eventSink;
        this.config = config;
        this.torrentChain = torrentChain(executor);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C extends ProcessingContext> Processor<C> processor(Class<C> contextType) {
        if (contextType != TorrentContext.class) {
            throw new UnsupportedOperationException("the agent starts torrents from their .torrent file only, not from " + contextType.getSimpleName());
        }
        return (Processor<C>) torrentChain;
    }

    private ChainProcessor<TorrentContext> torrentChain(ExecutorService executor) {
        ProcessingStage<TorrentContext> seed = new SeedStage<>(null, torrentRegistry);
        ProcessingStage<TorrentContext> process = new StoppableDownloadStage(seed, torrentRegistry, peerRegistry, trackerService, eventSink);
        ProcessingStage<TorrentContext> chooseFiles = new ChooseFilesStage<>(process, torrentRegistry, config);
        ProcessingStage<TorrentContext> initialize = new InitializeStage(chooseFiles);
        ProcessingStage<TorrentContext> session = new CreateSessionStage<>(initialize, torrentRegistry, eventSource, connectionSource,
                messageDispatcher, messagingAgents, config);
        ProcessingStage<TorrentContext> fetch = new FetchTorrentStage(session, eventSink);
        return new ChainProcessor<>(fetch, executor, new TorrentContextFinalizer<>(torrentRegistry, eventSink));
    }

    /** Registers the torrent's data, its piece statistics (ours) and bt's standard messaging agents. */
    private final class InitializeStage extends TerminateOnErrorProcessingStage<TorrentContext> {

        InitializeStage(ProcessingStage<TorrentContext> next) {
            super(next);
        }

        @Override
        protected void doExecute(TorrentContext context) {
            Torrent torrent = context.getTorrent().orElseThrow();
            TorrentDescriptor descriptor = torrentRegistry.register(torrent, context.getStorage(),
                    context.getFileCompletionCallback().orElse(null));
            LocalBitfield bitfield = descriptor.getDataDescriptor().getBitfield();
            ReconnectSafeStatistics statistics = new ReconnectSafeStatistics(bitfield, eventSource, torrent.getTorrentId());
            context.getRouter().registerMessagingAgent(GenericConsumer.consumer());
            context.getRouter().registerMessagingAgent(new BitfieldConsumer(bitfield, statistics, eventSink));
            context.getRouter().registerMessagingAgent(new ExtendedHandshakeConsumer(connectionPool));
            context.getRouter().registerMessagingAgent(new PieceConsumer(torrent.getTorrentId(), bitfield, dataWorker, bufferedPieceRegistry, eventSink));
            context.getRouter().registerMessagingAgent(new PeerRequestConsumer(torrent.getTorrentId(), dataWorker));
            context.getRouter().registerMessagingAgent(new RequestProducer(descriptor.getDataDescriptor(), config.getMaxOutstandingRequests()));
            context.getRouter().registerMessagingAgent(new MetadataProducer(() -> context.getTorrent().orElse(null), config));
            context.setBitfield(bitfield);
            context.setPieceStatistics(statistics);
        }

        @Override
        public ProcessingEvent after() {
            return null;
        }
    }
}
