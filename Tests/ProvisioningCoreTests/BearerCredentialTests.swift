import ProvisioningCore
import Testing

/// How `Authorization` becomes a token: the `Bearer` scheme in any case, spaces and tabs around the token dropped.
@Suite struct BearerCredentialTests {
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
        #expect(BearerCredential.token(in: header) == token)
    }

    @Test(arguments: ["", "Bearer", "Bearer ", "Bearer  \t ", "Bearerabc", "Basic abc", "Bearer_abc", "Bearez abc"])
    func anythingElseGivesNoToken(header: String) {
        #expect(BearerCredential.token(in: header) == nil)
    }

    @Test func noHeaderGivesNoToken() {
        #expect(BearerCredential.token(in: nil) == nil)
    }
}
