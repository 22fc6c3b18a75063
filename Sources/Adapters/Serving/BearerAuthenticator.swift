import Hummingbird
import ProvisioningCore

/// Checks `Authorization: Bearer <token>` against the token `kprov serve` was given (`--auth-token` or
/// `KPROV_SERVE_TOKEN`), in constant time.
struct BearerAuthenticator: Sendable {
    let token: APIToken

    /// `nil` when the request carries the token; otherwise the 401 to send.
    func rejection(of request: Request) -> Response? {
        if let header = request.headers[.authorization], let candidate = Self.bearerCredential(header),
            token.matches(candidate)
        {
            return nil
        }
        return JSONResponse.error(
            .unauthorized, code: "authentication_error",
            message: "missing or wrong bearer token: send Authorization: Bearer <the token kprov serve was given "
                + "with --auth-token or KPROV_SERVE_TOKEN>",
            headers: [.wwwAuthenticate: "Bearer realm=\"kprov\""])
    }

    /// The credential of a `Bearer` authorization header (scheme compared case-insensitively), or `nil`.
    static func bearerCredential(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
