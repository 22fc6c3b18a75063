import Foundation

/// An HTTP server on 127.0.0.1 that answers every request with `500 api_error`, one connection at a time, on a
/// thread of its own: an API that answers but fails, for what the CLI does then.
final class FailingServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread {
            while case let connection = accept(listener, nil, nil), connection >= 0 {
                Self.answer(connection)
            }
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Closes the listening socket: the thread's `accept` fails and it ends.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Reads one request (headers, then `Content-Length` bytes of body) and answers 500.
    private static func answer(_ connection: Int32) {
        defer { close(connection) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                let headers = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                let length =
                    headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - end.upperBound >= length { break }
            }
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            received.append(buffer, count: count)
        }
        let body = #"{"status":500,"code":"api_error","message":"the store is failing"}"#
        let reply =
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = reply.utf8CString.withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count - 1) }
    }
}
