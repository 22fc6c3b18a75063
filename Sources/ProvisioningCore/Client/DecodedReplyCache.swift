import Foundation
import NIOCore

/// The last decoded reply per request path, kept with the bytes it was decoded from: a reply that comes back
/// byte for byte the same is handed out again instead of being decoded again.
///
/// The dashboard fetches every page of the deployment listing every few seconds, and decoding pages that had
/// not changed was most of what an idle dashboard did (see BENCHMARKS.md, "idle"). Comparing the bytes costs a
/// `memcmp`; the price is one copy of the last reply's bytes per path. Decoding is a pure function of the bytes,
/// so a reused reply is exactly the one decoding would give.
///
/// A reply that did change can still share what did not with the last one (`sharingUnchanged`), so that whoever
/// compares it with the last one finds the unchanged parts equal at once.
final class DecodedReplyCache<Reply: Sendable>: @unchecked Sendable {
    private struct Entry {
        let bytes: ByteBuffer
        let reply: Reply
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// The most paths kept; reaching it empties the cache, so a client that walks ever new paths stays bounded.
    private let capacity: Int
    /// A fresh reply with the parts equal to the last reply's taken from the last one.
    private let sharingUnchanged: @Sendable (_ fresh: Reply, _ last: Reply) -> Reply

    init(capacity: Int, sharingUnchanged: @escaping @Sendable (_ fresh: Reply, _ last: Reply) -> Reply) {
        self.capacity = capacity
        self.sharingUnchanged = sharingUnchanged
    }

    /// The reply decoded last time `path` answered exactly `bytes`, if it did.
    func reply(for path: String, bytes: ByteBuffer) -> Reply? {
        lock.withLock {
            guard let entry = entries[path], entry.bytes == bytes else { return nil }
            return entry.reply
        }
    }

    /// Remembers that `path` answered `bytes`, which decode to `reply`, and returns `reply` sharing what it has
    /// in common with the last reply for `path`.
    @discardableResult
    func store(_ reply: Reply, bytes: ByteBuffer, for path: String) -> Reply {
        let last = lock.withLock { entries[path]?.reply }
        let shared = last.map { sharingUnchanged(reply, $0) } ?? reply
        lock.withLock {
            if entries[path] == nil, entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[path] = Entry(bytes: bytes, reply: shared)
        }
        return shared
    }
}
