package dev.codedeploy.agent.p2p;

import bt.data.LocalBitfield;
import bt.event.EventSink;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentId;
import bt.peer.IPeerRegistry;
import bt.processor.ProcessingStage;
import bt.processor.TerminateOnErrorProcessingStage;
import bt.processor.listener.ProcessingEvent;
import bt.processor.torrent.TorrentContext;
import bt.torrent.TorrentDescriptor;
import bt.torrent.TorrentRegistry;
import bt.torrent.TrackerAnnouncer;
import bt.tracker.ITrackerService;

/**
 * bt's download stage ({@code ProcessTorrentStage}) that also ends when the torrent is stopped. bt 1.10's waits on a
 * latch that only the last piece releases, so a download stopped half-way (the agent abandons a stalled download
 * and starts it again) kept its thread and its torrent registered for good: the next start of the same torrent
 * failed with "Torrent already registered" and the host waited forever with no peers. This stage watches the
 * pieces and the torrent's activity instead; a stopped torrent goes on to bt's seeding stage, which sees it stopped
 * and ends, and bt's finalizer unregisters it.
 */
final class StoppableDownloadStage extends TerminateOnErrorProcessingStage<TorrentContext> {

    /** How often the stage looks: the download's completion waits at most this long to be seen by bt's listeners. */
    static final long POLL_MS = 50;

    private final TorrentRegistry torrentRegistry;
    private final IPeerRegistry peerRegistry;
    private final ITrackerService trackerService;
    private final EventSink eventSink;

    StoppableDownloadStage(ProcessingStage<TorrentContext> next, TorrentRegistry torrentRegistry, IPeerRegistry peerRegistry,
                           ITrackerService trackerService, EventSink eventSink) {
        super(next);
        this.torrentRegistry = torrentRegistry;
        this.peerRegistry = peerRegistry;
        this.trackerService = trackerService;
        this.eventSink = eventSink;
    }

    @Override
    protected void doExecute(TorrentContext context) throws InterruptedException {
        TorrentId torrentId = context.getTorrentId().orElseThrow();
        TorrentDescriptor descriptor = torrentRegistry.getDescriptor(torrentId)
                .orElseThrow(() -> new IllegalStateException("no descriptor for torrent " + torrentId));
        Torrent torrent = context.getTorrent().orElseThrow();
        torrent.getAnnounceKey().ifPresent(key ->
                context.setAnnouncer(new TrackerAnnouncer(trackerService, torrent, key, context.getState().orElseThrow())));
        descriptor.start();
        eventSink.fireTorrentStarted(torrentId);
        peerRegistry.triggerPeerCollection(torrentId);
        LocalBitfield bitfield = descriptor.getDataDescriptor().getBitfield();
        while (bitfield.getPiecesIncomplete() > 0) {
            if (!descriptor.isActive()) {
                return; // stopped before the end: bt's listeners still run, so Swarm checks the pieces itself
            }
            Thread.sleep(POLL_MS);
        }
        context.getAnnouncer().ifPresent(TrackerAnnouncer::complete);
    }

    @Override
    public ProcessingEvent after() {
        return ProcessingEvent.DOWNLOAD_COMPLETE;
    }
}
