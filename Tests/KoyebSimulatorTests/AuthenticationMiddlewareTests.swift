import Testing

@testable import KoyebSimulator

/// How `Authorization` becomes a token: the `Bearer` scheme in any case, spaces and tabs around the token dropped.
@Suite struct AuthenticationMiddlewareTests {
    @Test(arguments: [
        ("Bearer abc", "abc"),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        ("BeArEr abc", "abc"),
        ("Bearer   abc \t", "abc"),
        ("Bearer \tabc def", "abc def"),
        ("Bearer jéton", "jéton"),
    ])
    func aBearerCredentialGivesItsToken(header: String, token: String) {
        #expect(AuthenticationMiddleware.bearerToken(header) == token)
    }

    @Test(arguments: ["", "Bearer", "Bearer ", "Bearer  \t ", "Bearerabc", "Basic abc", "Bearer_abc", "Bearez abc"])
    func anythingElseGivesNoToken(header: String) {
        #expect(AuthenticationMiddleware.bearerToken(header) == nil)
    }

    @Test func noHeaderGivesNoToken() {
        #expect(AuthenticationMiddleware.bearerToken(nil) == nil)
    }
}
