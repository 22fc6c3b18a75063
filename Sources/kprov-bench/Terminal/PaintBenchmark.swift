import ArgumentParser
import Foundation

/// `kprov-bench paint`: bytes the real dashboard writes to its terminal for a cursor move and while idle.
struct PaintBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paint",
        abstract: "Bytes the kprov dashboard writes to its terminal per cursor move and per idle refresh.",
        discussion: """
            Runs the dashboard in a tmux pane whose output is copied to a file. After the first data shows, it
            goes to the last row (End), where no build runs, so no spinner animates. Then it types k and j in
            turn, counting the bytes each move writes, and finally waits, counting what idle refreshes write and
            reading the screen every 250 ms to see which lines change: only the header's "updated … ago" clock
            should.
            """)

    @OptionGroup var dashboard: DashboardUnderTest
    @Option(help: "Cursor moves measured.") var moves = 21
    @Option(help: "Seconds of idle measured.") var idleSeconds = 10.0
    @Flag(help: "Print one JSON object instead of a sentence.") var json = false

    /// Time for the dashboard to answer a key before the bytes are counted.
    private static let keySettle = 0.25
    /// How often the screen is read while idle, to see which lines change.
    private static let screenPoll = 0.25

    struct Figures: Encodable {
        var firstDrawBytes: Int
        var moveBytesMedian: Double
        var moveBytesMax: Double
        var idleBytes: Int
        var idleSeconds: Double
        var idleBytesPerRefresh: Double
        /// The screen lines (0 = header) that differed at some point of the idle time from how they began.
        var idleChangedLines: [Int]
        /// The first idle bytes, control characters escaped: what one idle tick writes.
        var idleSample: String
    }

    func validate() throws {
        guard moves >= 1 else { throw ValidationError("--moves: \(moves) is too small; allowed: 1 or more") }
        guard idleSeconds > 0 else { throw ValidationError("--idle-seconds: must be more than 0") }
    }

    func run() throws {
        let folder = try DashboardUnderTest.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pane = try dashboard.launch(in: folder)
        defer { pane.stop() }
        let firstDraw = pane.outputBytes

        try pane.send(["End"])
        Thread.sleep(forTimeInterval: 1)
        var moveBytes = Samples()
        for index in 0..<moves {
            let before = pane.outputBytes
            try pane.send([index.isMultiple(of: 2) ? "k" : "j"])
            Thread.sleep(forTimeInterval: Self.keySettle)
            moveBytes.record(Double(pane.outputBytes - before))
        }

        Thread.sleep(forTimeInterval: Self.keySettle)
        let first = try pane.screen()
        let start = pane.outputBytes
        var changed = Set<Int>()
        let deadline = ContinuousClock.now + .seconds(idleSeconds)
        while ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: Self.screenPoll)
            let shown = try pane.screen()
            changed.formUnion(zip(first, shown).enumerated().filter { $1.0 != $1.1 }.map(\.offset))
        }
        let idle = pane.output(from: start)
        let figures = Figures(
            firstDrawBytes: firstDraw, moveBytesMedian: moveBytes.median, moveBytesMax: moveBytes.maximum,
            idleBytes: idle.count, idleSeconds: idleSeconds,
            idleBytesPerRefresh: Double(idle.count) / (idleSeconds / Double(dashboard.interval)),
            idleChangedLines: changed.sorted(), idleSample: Self.escaped(idle.prefix(120)))
        print(json ? JSONLine.encode(figures) : sentence(figures))
    }

    private func sentence(_ figures: Figures) -> String {
        String(
            format: "first draw %d bytes; cursor move %.0f bytes (median, max %.0f); idle %d bytes in %.0f s "
                + "(%.1f per refresh), lines changed: %@",
            figures.firstDrawBytes, figures.moveBytesMedian, figures.moveBytesMax, figures.idleBytes,
            figures.idleSeconds, figures.idleBytesPerRefresh,
            figures.idleChangedLines.map(String.init).joined(separator: ", "))
    }

    /// `bytes` as text with escape, control and non-ASCII bytes written `\x1b`.
    static func escaped(_ bytes: Data) -> String {
        bytes.map { byte in
            (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\\")
                ? String(UnicodeScalar(byte)) : String(format: "\\x%02x", byte)
        }.joined()
    }
}
