import Hummingbird
import ProvisioningCore

/// Checks `Authorization: Bearer <token>` against the token `kprov serve` was given (`--auth-token` or
/// `KPROV_SERVE_TOKEN`), in constant time.
struct BearerAuthenticator: Sendable {
    let token: APIToken

    /// `nil` when the request carries the token; otherwise the 401 to send.
    func rejection(of request: Request) -> Response? {
        if let candidate = BearerCredential.token(in: request.headers[.authorization]),
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
}
