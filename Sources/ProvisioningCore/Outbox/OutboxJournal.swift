import Foundation

/// The outbox's files: `journal.jsonl` (append-only records) and `lock` (for `flock`).
struct OutboxJournal: Sendable {
    /// One line of the journal.
    enum Record: Codable {
        case queued(OutboxEntry)
        /// A send is about to start: from here on the API may have applied the entry.
        case sending(id: Int)
        case delivered(id: Int)
        case dropped(id: Int)
        case refused(id: Int, error: String)
        /// A refused entry put back in the queue by `kprov outbox retry`.
        case requeued(id: Int)
        case failed(id: Int, error: String)
    }

    let journalPath: String
    let lockPath: String
    let flushLockPath: String

    /// Opens the journal in `directory`, creating the folder if needed. A folder that cannot be created or
    /// written is a `ConfigurationError` naming the folder and the reason.
    init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Self.unusable(directory, "cannot be created", reason: Self.reason(error))
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw Self.unusable(directory, "cannot be written", reason: String(cString: strerror(errno)))
        }
        journalPath = directory + "/journal.jsonl"
        lockPath = directory + "/lock"
        flushLockPath = directory + "/flush.lock"
        if FileManager.default.fileExists(atPath: journalPath) {
            try FilePermissions.requirePrivate(path: journalPath, holding: "queued declarations and their secrets")
        }
    }

    private static func unusable(_ directory: String, _ problem: String, reason: String) -> ConfigurationError {
        ConfigurationError(
            "the outbox folder \(directory) \(problem) (\(reason)); set XDG_STATE_HOME to a folder kprov can write")
    }

    /// The operating system's words for why a file operation failed, e.g. `No such file or directory`.
    private static func reason(_ error: any Error) -> String {
        let error = error as NSError
        let cause = (error.userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError } ?? error
        return cause.domain == NSPOSIXErrorDomain
            ? String(cString: strerror(Int32(cause.code))) : cause.localizedDescription
    }

    /// Waits (without blocking a thread) until this process holds the folder's flush lock.
    func acquireFlushLock() async throws -> FlushLock {
        let descriptor = open(flushLockPath, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError("\(flushLockPath): cannot be opened (errno \(errno))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                close(descriptor)
                throw ConfigurationError("\(flushLockPath): cannot be locked (errno \(errno))")
            }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                close(descriptor)
                throw error
            }
        }
        return FlushLock(descriptor: descriptor)
    }

    /// The held flush lock; `release()` gives it up.
    struct FlushLock: Sendable {
        let descriptor: Int32
        func release() {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Runs `body` holding an exclusive lock on the folder.
    func withLock<T>(_ body: (OpenJournal) throws -> T) throws -> T {
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("\(lockPath): cannot be opened (errno \(errno))") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw ConfigurationError("\(lockPath): cannot be locked (errno \(errno))")
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body(OpenJournal(path: journalPath))
    }
}

/// The journal while its lock is held.
struct OpenJournal {
    let path: String

    /// Compaction rewrites the journal once it holds this many more lines than live entries.
    static let compactionSlack = 256

    /// Appends one record and fsyncs it. After a torn last line (a crash or a full disk mid-write), the record
    /// starts on a line of its own, so the torn line cannot swallow it.
    func append(_ record: OutboxJournal.Record) throws {
        var line = try KoyebJSON.encoder().encode(record)
        line.append(0x0A)
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("\(path): cannot be opened (errno \(errno))") }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        var last: UInt8 = 0x0A
        if size > 0, pread(descriptor, &last, 1, size - 1) == 1, last != 0x0A {
            line.insert(0x0A, at: line.startIndex)
        }
        try line.withUnsafeBytes { buffer in
            guard write(descriptor, buffer.baseAddress, buffer.count) == buffer.count else {
                throw ConfigurationError("\(path): write failed (errno \(errno))")
            }
        }
        guard fsync(descriptor) == 0 else { throw ConfigurationError("\(path): fsync failed (errno \(errno))") }
    }

    /// The records in the file, skipping a torn last line left by a crash mid-write.
    func records() throws -> [OutboxJournal.Record] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = KoyebJSON.decoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(OutboxJournal.Record.self, from: $0) }
    }

    /// The live entries the journal describes, oldest first.
    func replay() throws -> [OutboxEntry] {
        Self.replay(try records())
    }

    /// The live entries `records` describe, oldest first.
    static func replay(_ records: [OutboxJournal.Record]) -> [OutboxEntry] {
        var entries: [Int: OutboxEntry] = [:]
        var order: [Int] = []
        for record in records {
            switch record {
            case .queued(let entry):
                entries[entry.id] = entry
                order.append(entry.id)
            case .sending(let id):
                entries[id]?.sendStarted = true
            case .delivered(let id), .dropped(let id):
                entries[id] = nil
            case .refused(let id, let error):
                entries[id]?.refusal = error
            case .requeued(let id):
                // The refusal is now the entry's last failure: `outbox list` shows it until the next try.
                if let refusal = entries[id]?.refusal { entries[id]?.lastFailure = "refused: \(refusal)" }
                entries[id]?.refusal = nil
            case .failed(let id, let error):
                entries[id]?.lastFailure = error
            }
        }
        return order.compactMap { entries[$0].map(migrated) }
    }

    /// `entry` as this version writes it, whichever version journaled it: its API spelled normalised, and no
    /// header value in its failures.
    private static func migrated(_ entry: OutboxEntry) -> OutboxEntry {
        var entry = entry
        entry.baseURL = (try? APIBaseURL(parsing: entry.baseURL))?.text ?? entry.baseURL
        entry.lastFailure = entry.lastFailure.map(withoutHeaderValues)
        entry.refusal = entry.refusal.map(withoutHeaderValues)
        return entry
    }

    /// `error` without the header values that earlier kprov versions let into the failures they journaled
    /// (AsyncHTTPClient's `invalidHeaderFieldValues([…])` quoted the whole `Authorization` header), so a journal
    /// written then never shows a token.
    static func withoutHeaderValues(_ error: String) -> String {
        guard let leak = error.range(of: "HTTPClientError.invalidHeaderField") else { return error }
        return error[..<leak.lowerBound] + "a header the HTTP library refused (its value is not shown)"
    }

    /// The highest id ever recorded, so ids keep increasing after entries are delivered.
    func highestID() throws -> Int {
        try records().reduce(0) { highest, record in
            if case .queued(let entry) = record { return max(highest, entry.id) }
            return highest
        }
    }

    /// Rewrites the journal with only the live entries when it has grown well past them, or when an entry no
    /// longer live (delivered or dropped) still holds a provisioning secret: a secret stays on disk only while
    /// its declaration waits. The entry with the highest id is always kept, without its secret and marked
    /// delivered when it is no longer live, so ids never repeat.
    func compactIfWorthIt() throws {
        let records = try records()
        let live = Self.replay(records)
        let liveIDs = Set(live.map(\.id))
        let finished = records.compactMap { record -> OutboxEntry? in
            if case .queued(let entry) = record, !liveIDs.contains(entry.id) { return entry }
            return nil
        }
        let grown = records.count > live.count + Self.compactionSlack || (live.isEmpty && records.count > 2)
        guard grown || finished.contains(where: \.declaration.hasSecret) else { return }
        var kept: [OutboxJournal.Record] = live.map { .queued($0) }
        if let highest = finished.max(by: { $0.id < $1.id }), highest.id > (live.map(\.id).max() ?? 0) {
            var record = highest
            record.declaration = highest.declaration.withoutSecret
            kept.insert(contentsOf: [.queued(record), .delivered(id: highest.id)], at: 0)
        }
        var data = Data()
        let encoder = KoyebJSON.encoder()
        for record in kept {
            data.append(try encoder.encode(record))
            data.append(0x0A)
        }
        try FilePermissions.writePrivately(data, to: path)
    }

    /// `compactIfWorthIt`, as a tidy-up that never fails its caller: when the rewrite fails (a full disk, a
    /// folder made read-only), the journal stays as it was, correct, and the next flush tries again.
    func compactIfPossible() {
        try? compactIfWorthIt()
    }
}
