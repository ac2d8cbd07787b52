package dev.codedeploy.agent.p2p;

import bt.bencoding.types.BEInteger;
import bt.bencoding.types.BEMap;
import bt.metainfo.TorrentId;
import bt.protocol.IExtendedHandshakeFactory;
import bt.protocol.extended.ExtendedHandshake;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * bt's extended handshake (BEP 10) without the encryption flag: bt 1.10 sends {@code e: 1} whatever its encryption
 * policy (a missing {@code break} in {@code ExtendedHandshakeFactory}), which tells other clients to prefer an
 * encrypted connection that the agent refuses. The agent speaks plaintext only, so it says nothing about encryption.
 */
final class PlaintextHandshakes implements IExtendedHandshakeFactory {

    private final IExtendedHandshakeFactory bt;
    private final ConcurrentMap<TorrentId, ExtendedHandshake> handshakes = new ConcurrentHashMap<>();

    PlaintextHandshakes(IExtendedHandshakeFactory bt) {
        this.bt = bt;
    }

    @Override
    public ExtendedHandshake getHandshake(TorrentId torrentId) {
        return handshakes.computeIfAbsent(torrentId, id -> withoutEncryption(bt.getHandshake(id)));
    }

    static ExtendedHandshake withoutEncryption(ExtendedHandshake handshake) {
        ExtendedHandshake.Builder builder = ExtendedHandshake.builder();
        handshake.getData().forEach((name, value) -> {
            if (ExtendedHandshake.MESSAGE_TYPE_MAPPING_KEY.equals(name)) {
                ((BEMap) value).getValue().forEach((type, id) -> builder.addMessageType(type, ((BEInteger) id).getValue().intValue()));
            } else if (!ExtendedHandshake.ENCRYPTION_PROPERTY.equals(name)) {
                builder.property(name, value);
            }
        });
        return builder.build();
    }
}
