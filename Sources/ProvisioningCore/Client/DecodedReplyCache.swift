import Foundation
import NIOCore

/// The last decoded reply per request path, kept with the bytes it was decoded from: a reply that comes back
/// byte for byte the same is handed out again instead of being decoded again.
///
/// The dashboard fetches every page of the deployment listing every few seconds, and decoding pages that had
/// not changed was most of what an idle dashboard did (see BENCHMARKS.md, "idle"). Comparing the bytes costs a
/// `memcmp`; the price is one copy of the last reply's bytes per path. Decoding is a pure function of the bytes,
/// so a reused reply is exactly the one decoding would give.
final class DecodedReplyCache<Reply: Sendable>: @unchecked Sendable {
    private struct Entry {
        let bytes: ByteBuffer
        let reply: Reply
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// The most paths kept; reaching it empties the cache, so a client that walks ever new paths stays bounded.
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The reply decoded last time `path` answered exactly `bytes`, if it did.
    func reply(for path: String, bytes: ByteBuffer) -> Reply? {
        lock.withLock {
            guard let entry = entries[path], entry.bytes == bytes else { return nil }
            return entry.reply
        }
    }

    /// Remembers that `path` answered `bytes`, which decode to `reply`.
    func store(_ reply: Reply, bytes: ByteBuffer, for path: String) {
        lock.withLock {
            if entries[path] == nil, entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[path] = Entry(bytes: bytes, reply: reply)
        }
    }
}
