import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ProvisioningCore

/// A reply as a test sees it.
struct TestReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    /// The body as JSON; `.null` when it is not JSON.
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: body)) ?? .null }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `field` names of an `ErrorWithFields` body.
    var errorFields: [String] {
        guard case .array(let fields)? = json["fields"] else { return [] }
        return fields.compactMap { $0["field"]?.stringValue }
    }
}

/// Raw HTTP for the tests: any method, a raw (already encoded) path, any headers.
enum TestHTTP {
    static func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil
    ) async throws -> TestReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        return TestReply(
            status: Int(response.status.code), headers: response.headers, body: Data(collected.readableBytesView))
    }

    /// `send` with a JSON body given as text.
    static func send(
        _ method: HTTPMethod, _ url: String, json: String, headers: [(String, String)] = []
    ) async throws -> TestReply {
        try await send(method, url, headers: headers + [("Content-Type", "application/json")], body: Data(json.utf8))
    }
}
