import Foundation
import Testing

@testable import ProvisioningCore

/// `JSONValue` keeps any JSON as it came: each kind decodes to its own case, whatever order the decoder tries
/// them in, and encodes back to the same JSON.
@Suite struct JSONValueTests {
    private func decoded(_ json: String) throws -> JSONValue {
        try KoyebJSON.decoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    private func encoded(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .number(0)),
        ("1", .number(1)),
        ("-2.5", .number(-2.5)),
        ("1e3", .number(1000)),
        ("9007199254740993", .number(9_007_199_254_740_993)),
        (#""text""#, .string("text")),
        (#""""#, .string("")),
    ])
    func aScalarDecodesToItsOwnKind(json: String, expected: JSONValue) throws {
        #expect(try decoded(json) == expected)
    }

    /// Strings that look like other kinds stay strings.
    @Test(arguments: ["true", "false", "null", "1", "2.5", "[]", "{}", "Infinity", "NaN"])
    func aStringThatLooksLikeAnotherKindStaysAString(text: String) throws {
        #expect(try decoded("\"\(text)\"") == .string(text))
    }

    /// Booleans and the numbers 1 and 0 are told apart, in either order.
    @Test func boolsStayBoolsAndNumbersStayNumbers() throws {
        #expect(
            try decoded("[true, 1, false, 0, 1.0, 0.0]")
                == .array([.bool(true), .number(1), .bool(false), .number(0), .number(1), .number(0)]))
    }

    @Test func emptyContainersKeepTheirKind() throws {
        #expect(try decoded("[]") == .array([]))
        #expect(try decoded("{}") == .object([:]))
        #expect(try decoded(#"{"a": [], "b": {}}"#) == .object(["a": .array([]), "b": .object([:])]))
    }

    @Test func nestedValuesKeepEveryKind() throws {
        let json = #"""
            {"name": "web", "port": 8080, "ratio": 0.25, "public": true, "spare": null,
             "env": [{"key": "A", "value": "1"}, {"key": "B", "secret": false}],
             "matrix": [[1, 2], [], [true, null, "x"]], "deep": {"a": {"b": {"c": [{"d": -1}]}}}}
            """#
        let expected = JSONValue.object([
            "name": .string("web"), "port": .number(8080), "ratio": .number(0.25), "public": .bool(true),
            "spare": .null,
            "env": .array([
                .object(["key": .string("A"), "value": .string("1")]),
                .object(["key": .string("B"), "secret": .bool(false)]),
            ]),
            "matrix": .array([
                .array([.number(1), .number(2)]), .array([]), .array([.bool(true), .null, .string("x")]),
            ]),
            "deep": .object(["a": .object(["b": .object(["c": .array([.object(["d": .number(-1)])])])])]),
        ])
        #expect(try decoded(json) == expected)
    }

    @Test func aNullInsideAnOptionalFieldIsKeptAsNull() throws {
        struct Holder: Decodable { var value: JSONValue? }
        let holder = try KoyebJSON.decoder().decode(Holder.self, from: Data(#"{"value": {"x": null}}"#.utf8))
        #expect(holder.value == .object(["x": .null]))
    }

    @Test func encodingGivesBackTheSameJSON() throws {
        let json = #"{"a":[true,false,null,1,-2.5,"s"],"b":{"c":{}},"d":[],"e":9007199254740991}"#
        #expect(try encoded(decoded(json)) == json)
    }

    @Test func theFixtureDeploymentSurvivesARoundTrip() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/deployment.json", withExtension: nil))
        let value = try KoyebJSON.decoder().decode(JSONValue.self, from: Data(contentsOf: url))
        #expect(value["deployment"]?["id"] == .string("8f3e2a1c-5b7d-4e9f-a0b1-c2d3e4f5a6b7"))
        #expect(value["deployment"]?["allocated_at"] == .null)
        #expect(try decoded(encoded(value)) == value)
    }
}
