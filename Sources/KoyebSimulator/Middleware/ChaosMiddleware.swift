import Hummingbird
import NIOCore

/// Injects the faults `ChaosEngine` decides: delay, 429 with `Retry-After`, 500/503, and connections closed
/// without an answer (before or after the request took effect).
struct ChaosMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let engine: ChaosEngine

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let decision = await engine.decide()
        if decision.delay > .zero { try await Task.sleep(for: decision.delay) }
        switch decision.fault {
        case nil:
            return try await next(request, context)
        case .rateLimited(let seconds, plainText: true):
            return Response(
                status: .tooManyRequests,
                headers: [.retryAfter: String(seconds), .contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Too Many Requests\n")))
        case .rateLimited(let seconds, plainText: false):
            throw SimulatorError.rateLimited(retryAfterSeconds: seconds)
        case .failure(let unavailable):
            throw SimulatorError.serverFailure(unavailable: unavailable)
        case .drop(let afterHandling):
            if afterHandling { _ = try? await next(request, context) }
            try? await context.channel.close().get()
            // The connection is closed: writing this answer fails and the client sees the connection drop.
            return Response(status: .internalServerError)
        }
    }
}
