import Foundation
import NIOCore
import Testing

@testable import ProvisioningCore

@Suite("Paths, retry policy, errors, tokens")
struct ClientBuildingBlocksTests {
    @Test func pathSegmentsArePercentEncoded() {
        let target = ProvisioningTarget(deploymentID: "dep 1", stage: "build/arm 64", attempt: 12, step: "git-clone")
        #expect(target.path == "/v1/provisioning/dep%201/status/build%2Farm%2064/12/git-clone")
        #expect(PathSegment.encode("é?#%") == "%C3%A9%3F%23%25")
        #expect(PathSegment.encode("A-z_0.9~") == "A-z_0.9~")
        let attemptOnly = ProvisioningTarget(deploymentID: "d", stage: "build", attempt: 0)
        #expect(attemptOnly.path == "/v1/provisioning/d/status/build/0")
    }

    @Test func backOffGrowsExponentiallyWithFullJitterAndACap() {
        let policy = RetryPolicy(
            maximumAttempts: 10, initialDelay: .milliseconds(100), maximumDelay: .seconds(1),
            maximumTotalDelay: .seconds(60))
        #expect(policy.delay(beforeRetry: 0, retryAfterSeconds: nil, random: 0.999_999) <= .milliseconds(100))
        #expect(policy.delay(beforeRetry: 2, retryAfterSeconds: nil, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 20, retryAfterSeconds: nil, random: 0.999_999) <= .seconds(1))
        #expect(policy.delay(beforeRetry: 3, retryAfterSeconds: nil, random: 0) == .zero)
    }

    @Test func retryAfterIsHonouredWhenLongerThanTheBackOff() {
        let policy = RetryPolicy.standard
        #expect(policy.delay(beforeRetry: 0, retryAfterSeconds: 7, random: 0.5) == .seconds(7))
        #expect(policy.delay(beforeRetry: 0, retryAfterSeconds: 0, random: 0.5) == .milliseconds(100))
    }

    @Test func whichFailuresAreRetried() {
        for status in [429, 502, 503, 504] {
            #expect(KoyebClient.shouldRetry(.answered(status: status, body: nil)))
        }
        for status in [400, 401, 403, 404, 409, 500, 501] {
            #expect(!KoyebClient.shouldRetry(.answered(status: status, body: nil)))
        }
        #expect(KoyebClient.shouldRetry(.transport(.unreachable(detail: "refused"))))
        #expect(KoyebClient.shouldRetry(.transport(.timedOut(phase: "connect"))))
    }

    @Test func onlyFailuresThatMayHaveReachedTheServerAreAmbiguous() {
        #expect(!KoyebClient.mayHaveReachedServer(.transport(.unreachable(detail: "refused"))))
        #expect(!KoyebClient.mayHaveReachedServer(.transport(.timedOut(phase: "connect"))))
        #expect(KoyebClient.mayHaveReachedServer(.transport(.timedOut(phase: "waiting for the reply"))))
        #expect(KoyebClient.mayHaveReachedServer(.transport(.connectionLost(detail: "closed"))))
        #expect(KoyebClient.mayHaveReachedServer(.answered(status: 502, body: nil)))
        #expect(!KoyebClient.mayHaveReachedServer(.answered(status: 429, body: nil)))
    }

    @Test func errorsRenderAsOneActionableLine() {
        let unauthorized = APIError.answered(
            status: 401, body: ErrorBody(status: 401, code: "authentication_error", message: "Invalid token"))
        #expect(
            unauthorized.description
                == "401 authentication_error: Invalid token — set KOYEB_API_KEY or KOYEB_TOKEN (or pass --token) to a valid API token"
        )
        let fromFlag = APIError.answered(status: 401, body: nil, tokenSource: "--token")
        #expect(
            fromFlag.description
                == "401: the token was refused — the token from --token was refused; replace it with a valid API token")
        let forbidden = APIError.answered(status: 403, body: nil, tokenSource: "KOYEB_API_KEY")
        #expect(forbidden.description.hasPrefix("403: not allowed — the token from KOYEB_API_KEY may lack access"))
        let fields = APIError.answered(
            status: 400,
            body: ErrorBody(
                code: "invalid_argument", message: "Validation error",
                fields: [ErrorField(field: "status", description: "must be one of …")]))
        #expect(fields.description == "400 invalid_argument: Validation error (status: must be one of …)")
        #expect(fields.isClientError)
        let plainTextRateLimit = APIError.answered(status: 429, body: nil, retryAfterSeconds: 3)
        #expect(plainTextRateLimit.description == "429: too many requests — rate limited; wait and try again")
        #expect(!plainTextRateLimit.isClientError)
        let refused = APIError.transport(.unreachable(detail: "connection refused"))
        #expect(refused.isTransportFailure && refused.httpStatus == nil)
        #expect(refused.description.hasPrefix("could not reach the API: connection refused"))
        #expect(
            refused.withBaseURL(.koyeb).description
                == "could not reach the API at https://app.koyeb.com: connection refused — check --url or KOYEB_URL, "
                + "and that the server is up")
        for error in [unauthorized, fields, plainTextRateLimit, refused] {
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func serverTextCannotSmuggleEscapeSequences() {
        let hostile = APIError.answered(
            status: 500, body: ErrorBody(message: "boom\u{1B}[2J\u{1B}]0;pwned\u{07}\nsecond line"))
        #expect(!hostile.description.contains("\u{1B}"))
        #expect(!hostile.description.contains("\n"))
        #expect(TerminalText.sanitized("abc", limit: 2) == "ab…")
    }

    @Test func tokensNeverPrint() {
        let token = APIToken("  s3cr3t-token \n")!
        #expect(token.bearerHeaderValue == "Bearer s3cr3t-token")
        #expect("\(token)" == Redacted.placeholder)
        #expect(String(reflecting: token) == Redacted.placeholder)
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
        #expect(APIToken("   ") == nil)
        #expect(token.matches("s3cr3t-token"))
        #expect(!token.matches("s3cr3t-toke"))
        #expect(!token.matches("s3cr3t-tokenX"))
    }

    @Test func baseURLsAreValidated() throws {
        #expect(try APIBaseURL(parsing: "http://127.0.0.1:8000/").text == "http://127.0.0.1:8000")
        #expect(try APIBaseURL(parsing: "http://127.0.0.1:8000").isLoopback)
        #expect(!APIBaseURL.koyeb.isLoopback)
        for bad in ["", "app.koyeb.com", "ftp://x", "http://", "https://x/?q=1", "not a url"] {
            #expect(throws: ConfigurationError.self) { try APIBaseURL(parsing: bad) }
        }
    }

    /// The outbox matches entries to an API by this text: spellings of one API give one text, other hosts do not.
    @Test func spellingsOfTheSameAPIAreOneBaseURL() throws {
        for spelling in [
            "http://localhost:8000", "http://LOCALHOST:8000", "HTTP://LocalHost:8000/", "http://localhost:8000//",
        ] {
            #expect(try APIBaseURL(parsing: spelling).text == "http://localhost:8000", "\(spelling)")
        }
        #expect(try APIBaseURL(parsing: "HTTPS://App.Koyeb.com:443/") == .koyeb)
        #expect(try APIBaseURL(parsing: "http://Example.com:80/Api/V1/").text == "http://example.com/Api/V1")
        #expect(try APIBaseURL(parsing: "https://example.com:80").text == "https://example.com:80")
        #expect(try APIBaseURL(parsing: "http://[::1]:8000/").text == "http://[::1]:8000")
        #expect(try APIBaseURL(parsing: "http://[::1]").text == "http://[::1]")
        #expect(try APIBaseURL(parsing: "http://127.0.0.1:8000") != APIBaseURL(parsing: "http://localhost:8000"))
    }

    /// A password in the URL would be shown in the dashboard's header and in messages: refused, and never echoed.
    @Test func aUserOrPasswordInTheURLIsRefusedWithoutBeingRepeated() {
        for url in [
            "http://admin:Sup3rSecretPw@127.0.0.1:8000", "https://Sup3rSecretPw@app.koyeb.com",
            "htp://u:Sup3rSecretPw@x",
        ] {
            #expect {
                try APIBaseURL(parsing: url)
            } throws: { error in
                let message = "\(error)"
                return !message.contains("Sup3rSecretPw")
                    && (message.contains("user or password") || message.contains("…@"))
            }
        }
    }
}

@Suite("Retry-After, transport failures, dot segments, plain http")
struct ClientEdgeTests {
    @Test func retryAfterIsReadSafely() {
        #expect(RetryAfter.seconds("7") == 7)
        #expect(RetryAfter.seconds("100000000000000000000") == RetryAfter.maximumSeconds)
        for bad in ["-3", "inf", "nan", "1e20", "0x1p3", "soon", "", nil] as [String?] {
            #expect(RetryAfter.seconds(bad) == nil, "\(bad ?? "nil")")
        }
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(
            RetryPolicy.standard.delay(beforeRetry: 0, retryAfterSeconds: .infinity, random: 0.5) == .milliseconds(100))
        #expect(RetryPolicy.standard.delay(beforeRetry: 0, retryAfterSeconds: 1e300, random: 0.5) == .seconds(3600))
    }

    @Test func aResetConnectionMayHaveReachedTheServerARefusedOneDidNot() {
        let reset = TransportErrorClassifier.classify(IOError(errnoCode: ECONNRESET, reason: "read"))
        #expect(reset.transportFailure == .connectionLost(detail: "connection reset by peer"))
        #expect(KoyebClient.mayHaveReachedServer(reset))
        let refused = TransportErrorClassifier.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect"))
        #expect(refused.transportFailure == .unreachable(detail: "connection refused"))
        #expect(!KoyebClient.mayHaveReachedServer(refused))
    }

    @Test func dotSegmentsAreEncodedSoNoProxyNormalisesThem() {
        #expect(PathSegment.encode(".") == "%2E")
        #expect(PathSegment.encode("..") == "%2E%2E")
        #expect(PathSegment.encode("a.b") == "a.b")
        #expect(
            ProvisioningTarget(deploymentID: "..", stage: "build", attempt: 1).path
                == "/v1/provisioning/%2E%2E/status/build/1")
    }

    @Test func aTokenSentInPlainTextToAnotherMachineIsWarnedAbout() throws {
        let remote = ConnectionSettings(
            baseURL: try APIBaseURL(parsing: "http://builds.example.com"), token: APIToken("t"))
        #expect(remote.plainTextWarning?.contains("unencrypted") == true)
        let local = ConnectionSettings(
            baseURL: try APIBaseURL(parsing: "http://127.0.0.1:8000"), token: APIToken("t"))
        #expect(local.plainTextWarning == nil)
        #expect(!(try APIBaseURL(parsing: "http://127.evil.com")).isLoopback)
    }
}
