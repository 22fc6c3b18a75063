import ChildProcess
import Foundation
import Testing

@Suite("Child processes")
struct ChildProcessTests {
    @Test func bothOutputsAreCapturedApartEvenWhenOneOutgrowsThePipe() throws {
        // 200 kB to standard error before a line to standard output: read one after the other, the child would
        // block on the full stderr pipe while stdout is being read.
        let outcome = try ChildProcess.run([
            "/bin/sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x >&2; echo out; exit 3",
        ])
        #expect(outcome.status == 3)
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr.count == 200_000)
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let outcome = try ChildProcess.run(["/usr/bin/env"], environment: ["ONLY": "this"])
        #expect(outcome.stdout == "ONLY=this\n")
    }

    @Test func aChildStartsWithNoSignalBlockedAndEndsAs128PlusTheSignal() throws {
        // The test runner's threads block most signals; the child must not inherit that mask.
        let blocked = try ChildProcess.run(["/bin/sh", "-c", "grep SigBlk /proc/self/status"])
        #expect(blocked.stdout == "SigBlk:\t0000000000000000\n")
        let killed = try ChildProcess.run(["/bin/sh", "-c", "kill -TERM $$"])
        #expect(killed.status == 128 + SIGTERM)
    }

    @Test func aChildInheritsNoDescriptorButItsStandardOnes() throws {
        // A descriptor left open across exec, like the socket of a server in this process: a child that held it
        // would keep the server's port bound after the server closed it.
        let inherited = open("/dev/null", O_RDONLY)
        try #require(inherited > 2)
        defer { close(inherited) }
        let outcome = try ChildProcess.run([
            "/bin/sh", "-c", "test -e /proc/self/fd/\(inherited) && echo open || echo closed; test -e /proc/self/fd/2",
        ])
        #expect(outcome.stdout == "closed\n")
        #expect(outcome.status == 0)
    }

    @Test func outputToAFileHoldsBothStreams() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try ChildProcess.run(["/bin/sh", "-c", "echo one; echo two >&2"], output: .file(path))
        #expect(outcome.status == 0 && outcome.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\n")
    }

    @Test func aProgramThatCannotBeFoundIsNamed() {
        #expect {
            try ChildProcess.run(["no-such-program-kprov"])
        } throws: { error in
            "\(error)" == "cannot run no-such-program-kprov: No such file or directory"
        }
    }
}
