import Foundation
import Hummingbird
import ProvisioningCore

/// Refuses, with 401 `authentication_error`, any request without `Authorization: Bearer <token>` for one of the
/// accepted tokens. Tokens are compared in constant time and never logged.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let acceptedTokens: [String]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = BearerCredential.token(in: request.headers[.authorization]),
            acceptedTokens.contains(where: { ConstantTime.equals($0, token) })
        else { throw SimulatorError.unauthenticated }
        return try await next(request, context)
    }
}
