import Foundation
import Glibc

/// CPU time a process has used, from `/proc/PID/stat` (user plus system, children excluded).
enum ProcessCPU {
    /// Seconds of CPU process `pid` has used so far; `nil` when it is gone.
    static func seconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces, hence the last ")"): state is field 3, utime
        // field 14 and stime field 15, in clock ticks.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Seconds of CPU this process has used so far.
    static func ownSeconds() -> Double {
        seconds(of: getpid()) ?? 0
    }
}
