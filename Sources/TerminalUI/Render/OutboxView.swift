import DashboardCore
import ProvisioningCore

/// `o`: the outbox in a box over the dashboard — one row per declaration not yet delivered (id, age, what it
/// declares, its state), the selected one's details under the list, and what is being sent or asked.
struct OutboxView {
    let context: RenderContext
    let panel: OutboxPanel

    private static let idWidth = 6
    private static let ageWidth = 8
    private static let stateWidth = 12
    /// Lines the selected entry's reason (a refusal, the last failure) may wrap onto.
    private static let reasonLines = 3
    /// Lines under the list: a blank, the selected entry (its id and time, then its reason), a blank, the status
    /// line.
    private static let footerHeight = 4 + reasonLines

    func draw(into screen: inout Screen) {
        let outbox = context.state.outbox
        let listHeight = max(1, outbox.entries.count)
        let box = Box.centered(
            width: 112, height: listHeight + Self.footerHeight + 3, in: screen.size,
            title: context.glyphs.spelled("Outbox — \(summary(outbox))"))
        let area = box.draw(into: &screen, context: context, body: .form, titleRole: .formTitle)
        let base = context.style(.form)
        screen.write(header(width: area.width), x: area.x, y: area.y, theme: context.theme, base: base)
        let rows = max(1, area.height - Self.footerHeight - 1)
        drawEntries(outbox, in: Rect(x: area.x, y: area.y + 1, width: area.width, height: rows), into: &screen)
        for (offset, spans) in footer(width: area.width).enumerated() {
            let y = area.y + 1 + rows + 1 + offset
            guard y < area.maxY else { break }
            screen.write(spans, x: area.x, y: y, theme: context.theme, base: base, limit: area.maxX)
        }
    }

    private func summary(_ outbox: OutboxStatus) -> String {
        var parts = ["\(outbox.waitingCount) waiting"]
        if outbox.refusedCount > 0 { parts.append("\(outbox.refusedCount) refused") }
        return parts.joined(separator: ", ")
    }

    private func header(width: Int) -> [Span] {
        let columns =
            TextFit.pad("  id", width: Self.idWidth) + TextFit.pad("queued", width: Self.ageWidth)
            + TextFit.pad("declaration", width: declarationWidth(width)) + "state"
        return [Span(columns, .formLabel)]
    }

    private func declarationWidth(_ width: Int) -> Int {
        max(10, width - Self.idWidth - Self.ageWidth - Self.stateWidth)
    }

    // MARK: - Entries

    private func drawEntries(_ outbox: OutboxStatus, in rect: Rect, into screen: inout Screen) {
        let base = context.style(.form)
        guard !outbox.entries.isEmpty else {
            let text =
                outbox.failure.map { "the outbox cannot be read: \($0)" }
                ?? "empty: nothing waits to be sent"
            screen.write(
                [Span(TextFit.truncate(text, width: rect.width, ellipsis: context.glyphs.ellipsis), .textDim)],
                x: rect.x, y: rect.y, theme: context.theme, base: base)
            return
        }
        let selected = panel.selectedID.flatMap(outbox.index(of:)) ?? 0
        let top = min(max(0, selected - rect.height + 1), max(0, outbox.entries.count - rect.height))
        for (offset, entry) in outbox.entries.dropFirst(top).prefix(rect.height).enumerated() {
            let y = rect.y + offset
            screen.write(row(entry, width: rect.width), x: rect.x, y: y, theme: context.theme, base: base)
            if top + offset == selected {
                screen.overlay(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: context.theme.style(.cursor))
            }
        }
    }

    private func row(_ entry: OutboxEntry, width: Int) -> [Span] {
        let ellipsis = context.glyphs.ellipsis
        return [
            Span(TextFit.pad("  \(entry.id)", width: Self.idWidth)),
            Span(
                TextFit.pad(DurationText.age(of: entry.queuedAt, now: context.state.now), width: Self.ageWidth),
                .textDim),
            Span(
                TextFit.pad(entry.declaration.description, width: declarationWidth(width) - 1, ellipsis: ellipsis) + " "
            ),
        ] + stateSpans(of: entry)
    }

    private func stateSpans(of entry: OutboxEntry) -> [Span] {
        if panel.pending == .retry(id: entry.id) {
            let spinner = context.glyphs.icon(for: .running, frame: context.state.spinnerFrame)
            return [Span.spinner(spinner, .statusRunning), Span(" sending", .statusRunning)]
        }
        if entry.refusal != nil { return [Span("refused", .statusFailed)] }
        return [Span(entry.lastFailure == nil ? "waiting" : "retrying", .statusPending)]
    }

    // MARK: - Footer

    /// The selected entry's details, then the question or the rule the outbox follows.
    private func footer(width: Int) -> [[Span]] {
        let ellipsis = context.glyphs.ellipsis
        let entry = panel.selectedID.flatMap { id in context.state.outbox.entries.first { $0.id == id } }
        var details = [[Span]](repeating: [], count: 1 + Self.reasonLines)
        if let entry {
            let why =
                entry.refusal.map { "refused by the API: \($0)" }
                ?? entry.lastFailure.map { "last try failed: \($0)" } ?? "not tried yet"
            let queued = FormTime.local(entry.queuedAt, in: context.state.settings.timeZone)
            details[0] = [
                Span(
                    TextFit.truncate("entry \(entry.id), queued \(queued)", width: width, ellipsis: ellipsis), .textDim)
            ]
            let reason = TerminalText.sanitized(why, limit: 500)
            let lines = TextFit.wrap(reason, width: width, maximumLines: Self.reasonLines, ellipsis: ellipsis)
            for (index, line) in lines.enumerated() {
                details[1 + index] = [Span(line, entry.refusal == nil ? .form : .formError)]
            }
        }
        let status: [Span]
        if panel.confirmsDrop, let entry {
            status = [
                Span(
                    TextFit.truncate(
                        "Drop entry \(entry.id)? It will never be sent. y/n", width: width, ellipsis: ellipsis),
                    .formError)
            ]
        } else {
            let rule = "Sent in order, oldest first, once the API answers; refused ones wait for r."
            status = [Span(TextFit.truncate(rule, width: width, ellipsis: ellipsis), .textDim)]
        }
        return details + [[], status]
    }
}
