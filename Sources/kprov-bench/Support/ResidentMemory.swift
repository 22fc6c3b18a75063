import Foundation
import Glibc

/// The resident memory of this process, from `VmRSS` in `/proc/self/status`.
enum ResidentMemory {
    /// Resident bytes now, after handing memory the allocator holds but no longer uses back to the system
    /// (glibc's `malloc_trim`), so the figure is what live data occupies rather than what the heap once
    /// peaked at.
    static func currentBytes() -> Int {
        _ = trim?(0)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kilobytes * 1024
    }

    /// `malloc_trim`, which the Glibc module does not import (it lives in `malloc.h`).
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}
