import Hummingbird
import Logging
import NIOCore
import ProvisioningCore

/// Makes every failure a Koyeb-shaped `Error` body: an unknown endpoint becomes 404 `unknown_resource`, an
/// oversized body 413, and anything unexpected 500 `api_error` (logged; the request is never echoed).
struct ErrorBodyMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let maximumBodyBytes: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as SimulatorError {
            throw error
        } catch let error as HTTPError where error.status == .notFound {
            let path = TerminalText.sanitized(request.uri.path, limit: 120)
            throw SimulatorError.notFound("no endpoint \(request.method) \(path)")
        } catch is NIOTooManyBytesError {
            throw SimulatorError.bodyTooLarge(limit: maximumBodyBytes)
        } catch {
            context.logger.error("unexpected failure answering \(request.method) \(request.uri.path): \(error)")
            throw SimulatorError.serverFailure(unavailable: false)
        }
    }
}
