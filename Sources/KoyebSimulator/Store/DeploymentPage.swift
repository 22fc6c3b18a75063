import NIOCore

/// The body of `GET /v1/deployments` (`ListDeploymentsReply`), assembled from deployments already encoded.
///
/// Keys come in the order `KoyebJSON.encoder()` sorts them, so the reply reads like every other body the
/// simulator sends.
enum DeploymentPage {
    static func encode(items: [ByteBuffer], limit: Int, offset: Int, count: Int, hasNext: Bool) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(items.reduce(96) { $0 + $1.readableBytes + 1 })
        buffer.writeString("{\"count\":\(count),\"deployments\":[")
        for (index, item) in items.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeImmutableBuffer(item)
        }
        buffer.writeString("],\"has_next\":\(hasNext),\"limit\":\(limit),\"offset\":\(offset)}")
        return buffer
    }
}
