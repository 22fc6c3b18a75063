import Foundation
import Testing

@testable import ProvisioningCore

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("2021-04-26T08:28:59Z", 1_619_425_739.0),
        ("2021-04-26T08:28:59.221274Z", 1_619_425_739.221274),
        ("2021-04-26t08:28:59z", 1_619_425_739.0),
        ("2021-04-26T10:28:59+02:00", 1_619_425_739.0),
        ("2021-04-26T03:28:59-05:00", 1_619_425_739.0),
        ("2000-02-29T12:00:00Z", 951_825_600.0),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(arguments: [
        "", "now", "2021-04-26", "2021-04-26T08:28:59", "2021-13-01T00:00:00Z", "2021-02-29T00:00:00Z",
        "2021-04-31T00:00:00Z", "2021-04-26T24:00:00Z", "2021-04-26T08:60:00Z", "2021-04-26T08:28:59.Z",
        "2021-04-26T08:28:59+0200", "2021-04-26T08:28:59Zjunk", "２０２１-04-26T08:28:59Z", "2021-04-26T08:28:59+25:00",
        String(repeating: "9", count: 10_000),
    ])
    func refuses(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsInUTCWithMicroseconds() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_619_425_739.221274)) == "2021-04-26T08:28:59.221274Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000000Z")
    }

    @Test func formatThenParseIsIdentityAtMicrosecondPrecision() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let micros = Int64.random(in: -2_000_000_000_000_000...4_000_000_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let parsed = try #require(RFC3339.parse(RFC3339.format(date)))
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_002)
        }
    }

    @Test func timeArgumentsAcceptNow() throws {
        let now = Date(timeIntervalSince1970: 1000)
        #expect(TimeArgument.parse("now", now: now) == now)
        #expect(TimeArgument.parse(" N ", now: now) == now)
        #expect(TimeArgument.parse("1970-01-01T00:16:40Z", now: now) == now)
        #expect(TimeArgument.parse("soon", now: now) == nil)
    }
}
