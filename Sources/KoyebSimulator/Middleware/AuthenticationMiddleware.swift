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
        guard let token = Self.bearerToken(request.headers[.authorization]),
            acceptedTokens.contains(where: { ConstantTime.equals($0, token) })
        else { throw SimulatorError.unauthenticated }
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential; the scheme is case-insensitive, as RFC 9110 says. Spaces and tabs
    /// around the token are dropped (trimmed here rather than through `NSString`, which showed in profiles:
    /// every request passes this way).
    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        var token = header.dropFirst(7)
        while let first = token.first, first.isWhitespace, !first.isNewline { token.removeFirst() }
        while let last = token.last, last.isWhitespace, !last.isNewline { token.removeLast() }
        return token.isEmpty ? nil : String(token)
    }
}
