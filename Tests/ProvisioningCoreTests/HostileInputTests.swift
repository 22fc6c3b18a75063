import Foundation
import HostileInputSupport
import PropertyBased
import Testing

@testable import ProvisioningCore

/// Fuzzing by property: the decoders, the time parser and the path encoder get hostile and random input and
/// must answer with a value or an error — never a crash, a hang, or text that could drive a terminal.
@Suite("Hostile input")
struct HostileInputTests {
    /// Any character from the first planes, control characters and escapes included.
    private static let anyText = Gen<Unicode.Scalar>.unicodeScalar(in: "\u{0}"..."\u{2FFF}").map(Character.init)

    private static let corpusFolder = Bundle.module.url(forResource: "Fixtures/corpus", withExtension: nil)!

    static let corpus: [String] =
        (try? FileManager.default.contentsOfDirectory(atPath: corpusFolder.path).sorted()) ?? []

    /// Decodes `data` as every wire type kprov reads, returning the texts a screen could show.
    private func decodeEverything(_ data: Data) -> [String] {
        let decoder = KoyebJSON.decoder()
        var texts: [String] = []
        if let reply = try? decoder.decode(GetDeploymentReply.self, from: data), let deployment = reply.deployment {
            texts += [deployment.id, deployment.status.rawValue] + (deployment.messages ?? [])
            for stage in deployment.provisioningInfo?.stages ?? [] {
                texts += [stage.name] + stage.messages
                for attempt in stage.buildAttempts {
                    texts += attempt.messages + attempt.steps.flatMap { [$0.name] + $0.messages }
                }
            }
        }
        _ = try? decoder.decode(ListDeploymentsReply.self, from: data)
        if let error = try? decoder.decode(ErrorBody.self, from: data) {
            texts.append(APIError.answered(status: 500, body: error).description)
        }
        _ = try? decoder.decode(CreateStageAttemptRequest.self, from: data)
        _ = try? decoder.decode(DeclareStageProgressRequest.self, from: data)
        _ = try? decoder.decode(DeclareStepProgressRequest.self, from: data)
        _ = try? decoder.decode(ProvisioningReply.self, from: data)
        return texts
    }

    @Test func nestingIsCountedOutsideStringsOnly() {
        #expect(!JSONNesting.exceeds(2, in: Data(#"{"a": ["[[[[", "\"[[["]}"#.utf8)))
        #expect(JSONNesting.exceeds(2, in: Data(#"{"a": [{"b": 1}]}"#.utf8)))
        #expect(!JSONNesting.exceeds(3, in: Data(#"{"a": [{"b": 1}]}"#.utf8)))
        #expect(JSONNesting.exceeds(64, in: Data(String(repeating: "[", count: 1_000_000).utf8)))
    }

    @Test func theCommittedCorpusIsThere() {
        #expect(Self.corpus.count >= 15)
    }

    @Test(arguments: corpus)
    func corpusFilesDecodeOrFailCleanly(name: String) throws {
        let data = try Data(contentsOf: Self.corpusFolder.appendingPathComponent(name))
        for text in decodeEverything(data) {
            let safe = TerminalText.sanitized(text, limit: 500)
            #expect(
                !safe.unicodeScalars.contains {
                    $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value)
                })
            #expect(safe.count <= 501)
        }
    }

    @Test func controlCharactersFromTheServerAreNeutralised() throws {
        let data = try Data(contentsOf: Self.corpusFolder.appendingPathComponent("control-characters.json"))
        let texts = decodeEverything(data)
        #expect(texts.contains { $0.contains("\u{1B}") })
        #expect(texts.allSatisfy { !TerminalText.sanitized($0).contains("\u{1B}") })
    }

    @Test func mutatedDeploymentsNeverCrashTheDecoders() async throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/deployment.json", withExtension: nil))
        let original = [UInt8](try Data(contentsOf: url))
        await ByteMutations.check(original, count: 400) { bytes in
            _ = decodeEverything(Data(bytes))
        }
    }

    @Test func randomTextNeverCrashesTheTimeParser() async {
        let alphabet = Array("0123456789-:.TZz+ ")
        let digitsAndSeparators = Gen.int(in: 0..<alphabet.count).map { alphabet[$0] }
        let text = Gen.oneOf(digitsAndSeparators.string(of: 15...35), Self.anyText.string(of: 0...30))
        await propertyCheck(count: 2000, input: text) { text in
            if let date = RFC3339.parse(text) {
                #expect(date.timeIntervalSince1970.isFinite)
            }
        }
    }

    /// Years 1900–2100: beyond them a `Date`'s double no longer holds microseconds.
    @Test func parsedTimesRoundTrip() async {
        await propertyCheck(count: 1000, input: Gen.int(in: -2_208_988_800...4_102_444_800), Gen.int(in: 0..<1_000_000))
        {
            seconds, micros in
            let date = Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
            let parsed = RFC3339.parse(RFC3339.format(date))
            #expect(parsed.map { abs($0.timeIntervalSince(date)) < 0.000_002 } == true)
        }
    }

    @Test func pathSegmentsRoundTripAndNeverContainSlashes() async {
        await propertyCheck(count: 1000, input: Self.anyText.string(of: 0...40)) { segment in
            let encoded = PathSegment.encode(segment)
            #expect(!encoded.contains("/") && !encoded.contains("?") && !encoded.contains("#"))
            #expect(encoded.removingPercentEncoding == segment)
        }
    }

    @Test func sanitizedTextHasNoControlCharacters() async {
        await propertyCheck(count: 1000, input: Self.anyText.string(of: 0...80)) { text in
            let safe = TerminalText.sanitized(text)
            #expect(
                !safe.unicodeScalars.contains {
                    $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value)
                })
        }
    }
}
