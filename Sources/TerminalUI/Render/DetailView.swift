import DashboardCore
import Foundation
import ProvisioningCore

/// The detail pane: the selected node in full — every message, timestamps, ids, sha, image.
struct DetailView {
    let context: RenderContext

    private static let labelWidth = 11

    func draw(into screen: inout Screen) {
        let rect = context.layout.detail
        guard !rect.isEmpty else { return }
        let base = context.style(.detail)
        screen.fill(rect, style: base)
        let content: Rect
        if context.layout.detailIsBeside {
            for y in rect.y..<rect.maxY {
                screen.write(context.glyphs.vertical, x: rect.x, y: y, style: context.style(.border))
            }
            content = Rect(x: rect.x + 2, y: rect.y, width: rect.width - 3, height: rect.height)
        } else {
            screen.write(
                String(repeating: context.glyphs.horizontal, count: rect.width), x: rect.x, y: rect.y,
                style: context.style(.border))
            content = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 1)
        }
        guard let node = context.state.selectedNode else { return }
        var y = content.y
        let (title, fields, messages) = describe(node)
        screen.write(title, x: content.x, y: y, style: context.style(.detailTitle), limit: content.maxX)
        y += 1
        let valueX = content.x + Self.labelWidth
        for (label, value) in fields where y < content.maxY {
            screen.write(label, x: content.x, y: y, style: context.style(.detailLabel), limit: valueX)
            for line in TextFit.wrap(value, width: content.maxX - valueX) where y < content.maxY {
                screen.write(line, x: valueX, y: y, style: base, limit: content.maxX)
                y += 1
            }
        }
        guard !messages.isEmpty, y < content.maxY else { return }
        screen.write("messages", x: content.x, y: y, style: context.style(.detailLabel), limit: content.maxX)
        y += 1
        for message in messages {
            for line in TextFit.wrap(message, width: content.width - 2) where y < content.maxY {
                screen.write(line, x: content.x + 2, y: y, style: base, limit: content.maxX)
                y += 1
            }
        }
    }

    // MARK: - Content

    private func describe(_ node: TreeNode) -> (title: String, fields: [(String, String)], messages: [String]) {
        let now = context.state.now
        switch node {
        case .deployment(let deployment):
            var fields = [
                ("id", deployment.id), ("status", deployment.status.rawValue), ("app", deployment.appID ?? "-"),
                ("service", [deployment.serviceName, deployment.serviceID].compactMap { $0 }.joined(separator: " ")),
                ("created", time(deployment.createdAt)), ("updated", time(deployment.updatedAt)),
                ("sha", deployment.provisioningInfo?.sha ?? "-"), ("image", deployment.provisioningInfo?.image ?? "-"),
            ]
            if let stages = deployment.provisioningInfo?.stages, !stages.isEmpty {
                fields.append(("stages", stages.map { "\($0.name) \($0.status.rawValue)" }.joined(separator: ", ")))
            }
            return clean("Deployment \(TreeRowContent.shortID(deployment.id))", fields, deployment.messages ?? [])
        case .stage(let stage, let deployment):
            let fields = [
                ("status", stage.status.rawValue), ("started", time(stage.startedAt)),
                ("finished", time(stage.finishedAt)),
                ("duration", DurationText.elapsed(from: stage.startedAt, to: stage.finishedAt, now: now) ?? "-"),
                ("attempts", stage.buildAttempts.map { "#\($0.id) \($0.status.rawValue)" }.joined(separator: ", ")),
                ("deployment", deployment.id),
            ]
            return clean("Stage \(stage.name)", fields, stage.messages)
        case .attempt(let attempt, let stage, let deployment):
            let flags = AttemptFlags.names(of: attempt)
            let fields = [
                ("status", attempt.status.rawValue), ("started", time(attempt.startedAt)),
                ("finished", time(attempt.finishedAt)),
                ("elapsed", DurationText.elapsed(from: attempt.startedAt, to: attempt.finishedAt, now: now) ?? "-"),
                ("flags", flags.isEmpty ? "none" : flags.joined(separator: ", ")),
                ("steps", attempt.steps.map(\.name).joined(separator: ", ")),
                ("stage", stage.name), ("deployment", deployment.id),
            ]
            return clean("Attempt #\(attempt.id) of \(stage.name)", fields, attempt.messages)
        case .step(let step, let attempt, let stage, let deployment):
            let fields = [
                ("name", step.name), ("status", step.status.rawValue), ("started", time(step.startedAt)),
                ("finished", time(step.finishedAt)),
                ("elapsed", DurationText.elapsed(from: step.startedAt, to: step.finishedAt, now: now) ?? "-"),
                ("attempt", "\(stage.name) #\(attempt.id)"), ("deployment", deployment.id),
            ]
            return clean("Step \(StepLabels.label(for: step.name))", fields, step.messages)
        }
    }

    private func clean(_ title: String, _ fields: [(String, String)], _ messages: [String])
        -> (String, [(String, String)], [String])
    {
        (
            TerminalText.sanitized(title, limit: 120),
            fields.map { ($0.0, TerminalText.sanitized($0.1.isEmpty ? "-" : $0.1, limit: 400)) },
            messages.map { TerminalText.sanitized($0, limit: 2000) }
        )
    }

    private func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        return TimeText.utcSeconds(date)
    }
}

/// Timestamps as the dashboard shows them.
public enum TimeText {
    /// `2026-11-29T08:28:59Z`: RFC 3339 in UTC, to the second.
    public static func utcSeconds(_ date: Date) -> String {
        let full = RFC3339.format(date)
        guard let dot = full.firstIndex(of: ".") else { return full }
        return String(full[..<dot]) + "Z"
    }
}
