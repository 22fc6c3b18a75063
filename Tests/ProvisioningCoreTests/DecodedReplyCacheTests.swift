import NIOCore
import Testing

@testable import ProvisioningCore

/// `DecodedReplyCache` hands out the reply decoded last time a path answered the same bytes, and nothing else.
@Suite struct DecodedReplyCacheTests {
    /// A reply with an identity, so a test can tell "the stored one, reused" from "an equal one".
    private final class Reply: Sendable {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// A buffer of its own holding `text`: equal bytes never share storage with another call's buffer.
    private func bytes(_ text: String) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        return buffer
    }

    private let page = "/v1/deployments?limit=100&offset=0"

    /// A cache that shares nothing between a fresh reply and the last one.
    private func makeCache(capacity: Int) -> DecodedReplyCache<Reply> {
        DecodedReplyCache(capacity: capacity) { fresh, _ in fresh }
    }

    @Test func aChangedReplyIsHandedOutSharingWhatItHasInCommonWithTheLastOne() {
        let cache = DecodedReplyCache<Reply>(capacity: 10) { fresh, last in
            Reply("\(fresh.text) sharing \(last.text)")
        }
        let first = Reply("first")
        #expect(cache.store(first, bytes: bytes("[1]"), for: page) === first, "nothing to share with yet")
        let shared = cache.store(Reply("second"), bytes: bytes("[2]"), for: page)
        #expect(shared.text == "second sharing first")
        #expect(cache.reply(for: page, bytes: bytes("[2]")) === shared)
        #expect(cache.store(Reply("other"), bytes: bytes("[2]"), for: "/other").text == "other")
    }

    @Test func theSameBytesOnTheSamePathGiveBackTheStoredReply() {
        let cache = makeCache(capacity: 10)
        let stored = Reply("page 0")
        cache.store(stored, bytes: bytes(#"{"deployments":[]}"#), for: page)
        #expect(cache.reply(for: page, bytes: bytes(#"{"deployments":[]}"#)) === stored)
        #expect(cache.reply(for: page, bytes: bytes(#"{"deployments":[]}"#)) === stored)
    }

    @Test func differentBytesAreNotAnsweredSoTheyAreDecodedAnew() {
        let cache = makeCache(capacity: 10)
        cache.store(Reply("old"), bytes: bytes(#"{"count":1}"#), for: page)
        #expect(cache.reply(for: page, bytes: bytes(#"{"count":2}"#)) == nil)
        #expect(cache.reply(for: page, bytes: bytes(#"{"count":1} "#)) == nil)
        #expect(cache.reply(for: page, bytes: bytes(#"{"count":"#)) == nil)
        #expect(cache.reply(for: page, bytes: bytes("")) == nil)
    }

    @Test func itKeysOnThePathWithItsQuery() {
        let cache = makeCache(capacity: 10)
        let stored = Reply("page 0")
        cache.store(stored, bytes: bytes("[]"), for: page)
        #expect(cache.reply(for: "/v1/deployments?limit=100&offset=100", bytes: bytes("[]")) == nil)
        #expect(cache.reply(for: "/v1/deployments", bytes: bytes("[]")) == nil)
        #expect(cache.reply(for: page, bytes: bytes("[]")) === stored)
    }

    @Test func itComparesTheReadableBytesNotTheBuffersHistory() {
        let cache = makeCache(capacity: 10)
        let stored = Reply("page 0")
        cache.store(stored, bytes: bytes("[1]"), for: page)
        var consumed = bytes("xx[1]")
        consumed.moveReaderIndex(forwardBy: 2)
        #expect(cache.reply(for: page, bytes: consumed) === stored)
    }

    @Test func aNewReplyReplacesThePathsEntry() {
        let cache = makeCache(capacity: 10)
        cache.store(Reply("first"), bytes: bytes("[1]"), for: page)
        let second = Reply("second")
        cache.store(second, bytes: bytes("[2]"), for: page)
        #expect(cache.reply(for: page, bytes: bytes("[1]")) == nil)
        #expect(cache.reply(for: page, bytes: bytes("[2]")) === second)
    }

    @Test func reachingTheCapacityEmptiesTheCacheButReplacingAPathDoesNot() {
        let cache = makeCache(capacity: 2)
        let first = Reply("a")
        cache.store(first, bytes: bytes("a"), for: "/a")
        cache.store(Reply("b"), bytes: bytes("b"), for: "/b")
        let replacement = Reply("b2")
        cache.store(replacement, bytes: bytes("b2"), for: "/b")
        #expect(cache.reply(for: "/a", bytes: bytes("a")) === first)
        #expect(cache.reply(for: "/b", bytes: bytes("b2")) === replacement)
        let third = Reply("c")
        cache.store(third, bytes: bytes("c"), for: "/c")
        #expect(cache.reply(for: "/a", bytes: bytes("a")) == nil)
        #expect(cache.reply(for: "/b", bytes: bytes("b2")) == nil)
        #expect(cache.reply(for: "/c", bytes: bytes("c")) === third)
    }
}
