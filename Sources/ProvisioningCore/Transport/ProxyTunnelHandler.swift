import NIOCore
import NIOHTTP1

/// Asks an HTTP proxy for a tunnel (`CONNECT host:port`) as soon as the connection to it is up, and fulfils
/// `established` once the proxy has agreed (a 2xx reply, which has no body); fails it with an `APIError` naming
/// the proxy and its answer otherwise. Sits behind an HTTP/1.1 request encoder and response decoder, which are
/// removed together with it once the tunnel stands.
final class ProxyTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// Succeeds once the tunnel stands; fails with the reason it does not.
    let established: EventLoopPromise<Void>
    private let proxy: HTTPProxy
    private let target: String
    private var answer: HTTPResponseHead?
    /// Whether `established` is fulfilled.
    private var isSettled = false

    /// A handler that asks `proxy` for a tunnel to `origin`.
    init(proxy: HTTPProxy, origin: HTTPOrigin, established: EventLoopPromise<Void>) {
        self.proxy = proxy
        self.established = established
        target = APIBaseURL.authority(host: origin.host, port: origin.port)
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Host", target)])
        if let authorization = proxy.authorization { headers.add(name: "Proxy-Authorization", value: authorization) }
        let head = HTTPRequestHead(version: .http1_1, method: .CONNECT, uri: target, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            answer = head
        case .body:
            break
        case .end:
            guard let answer, (200..<300).contains(answer.status.code) else {
                let status = answer.map { "\($0.status.code) \($0.status.reasonPhrase)" } ?? "no reply"
                let detail = "the proxy \(proxy) refused a tunnel to \(target): \(status)"
                fail(context, APIError.transport(.proxyFailed(detail: detail)))
                return
            }
            isSettled = true
            established.succeed()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let detail = "the proxy \(proxy) closed the connection before opening a tunnel to \(target)"
        fail(context, APIError.transport(.proxyFailed(detail: detail)))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, error)
    }

    private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
        guard !isSettled else { return }
        isSettled = true
        established.fail(error)
        context.close(promise: nil)
    }
}
