import DashboardCore
import Foundation
import ProvisioningCore

/// The spans of one tree row: guides, expander, and the node's own columns.
///
/// Deployment: short id, status badge, service (after its app when wide), short sha, build summary, and its age
/// at the right edge. Stage: name, status, duration. Attempt: `#id`, status, elapsed, flags. Step: icon, label,
/// raw name, elapsed, last message. Server text is sanitised before it becomes a span.
struct TreeRowContent {
    let glyphs: Glyphs
    let now: Date
    /// The frame running items show; `nil` stills them (the data is stale, so nothing is known to be moving).
    let spinnerFrame: Int?

    /// The row laid out in `width` columns: spans from the left, and spans to right-align.
    func spans(for row: TreeRow, node: TreeNode, width: Int) -> (left: [Span], right: [Span]) {
        var left = prefix(for: row)
        switch node {
        case .deployment(let deployment):
            return deploymentSpans(deployment, leading: left, width: width)
        case .stage(let stage, _):
            left += [Span(clean(stage.name, 40), .text), Span("  ")]
            left += statusSpans(stage.status, word: true)
            left += elapsedSpans(start: stage.startedAt, end: stage.finishedAt)
            left += messageSpans(stage.messages)
        case .attempt(let attempt, _, _):
            left += [Span("#\(attempt.id)", .text), Span("  ")]
            left += statusSpans(attempt.status, word: true)
            left += elapsedSpans(start: attempt.startedAt, end: attempt.finishedAt)
            let flags = AttemptFlags.names(of: attempt)
            if !flags.isEmpty { left.append(Span("  " + flags.joined(separator: " · "), .textDim)) }
            left += messageSpans(attempt.messages)
        case .step(let step, _, _, _):
            left += statusSpans(step.status, word: false)
            left.append(Span(clean(StepLabels.label(for: step.name), 40), .text))
            if StepLabels.isKnown(step.name) { left.append(Span(" " + step.name, .textDim)) }
            left += elapsedSpans(start: step.startedAt, end: step.finishedAt)
            left += messageSpans(step.messages)
        }
        return (left, [])
    }

    /// Whether the row shows a spinner.
    static func isRunning(_ node: TreeNode) -> Bool {
        node.provisioningStatus == .running
            || (node.kind == .deployment && buildStage(of: node.deployment)?.status == .running)
    }

    // MARK: - Pieces

    private func prefix(for row: TreeRow) -> [Span] {
        var spans: [Span] = []
        if row.depth > 0 {
            var guides = "  "
            for continues in row.continuingGuides { guides += continues ? glyphs.vertical + "  " : "   " }
            guides += row.isLastSibling ? glyphs.lastBranch : glyphs.branch
            spans.append(Span(guides, .treeGuide))
        }
        if row.hasChildren {
            spans.append(Span((row.isExpanded ? glyphs.expanded : glyphs.collapsed) + " ", .treeExpander))
        } else if row.depth == 0 {
            spans.append(Span("  "))
        } else {
            spans.append(Span(glyphs.horizontal + " ", .treeGuide))
        }
        return spans
    }

    /// Columns by priority: id, badge and age always; then about 34 columns for the build summary; the service
    /// name gets what is left (10 to 24 columns), with its app's id in front once the column is wide enough; the
    /// sha only when there is room to spare. These widths depend on the pane's width only, so columns line up
    /// from row to row; the summary, last, is fitted to what the row leaves before its age.
    private func deploymentSpans(_ deployment: Deployment, leading: [Span], width: Int) -> (left: [Span], right: [Span])
    {
        var left = leading
        left.append(Span(Self.shortID(deployment.id), .text))
        left.append(Span("  "))
        let group = deployment.status.group
        left.append(
            Span(
                TextFit.pad("\(glyphs.badge) \(clean(deployment.status.rawValue, 12))", width: 14),
                Role.deployment(group)))
        left.append(Span("  "))
        let right = deployment.createdAt.map { [Span(DurationText.age(of: $0, now: now), .textDim)] } ?? []
        let room = width - left.width - 8
        let nameWidth = min(max(10, room - Self.summaryWidth - 9), 24)
        let name = serviceLabel(deployment, showsApp: nameWidth >= Self.appAndServiceWidth)
        left.append(Span(TextFit.pad(name, width: nameWidth, ellipsis: glyphs.ellipsis), .text))
        if room - nameWidth - Self.summaryWidth >= 9 {
            let sha = deployment.provisioningInfo?.sha.map { clean(String($0.prefix(7)), 7) } ?? ""
            left.append(Span("  " + TextFit.pad(sha, width: 7), .textDim))
        }
        let summaryRoom = Self.leftLimit(width: width, rightWidth: right.width) - left.width - 2
        let summary = buildSummary(deployment, width: summaryRoom)
        if !summary.isEmpty { left += [Span("  ")] + summary }
        return (left, right)
    }

    /// The build summary's nominal width, for sizing the columns before it: a usual step label and its time.
    private static let summaryWidth = 34
    /// The name column shows `app/service` from this width on: an app id and a short service name.
    private static let appAndServiceWidth = 20
    /// A step label shortened below this many columns is dropped instead.
    private static let shortestStepLabel = 6

    /// The build stage's icon, name, current step and elapsed time, in at most `width` columns: the step label
    /// is shortened (with an ellipsis) and then dropped before the elapsed time is.
    private func buildSummary(_ deployment: Deployment, width: Int) -> [Span] {
        guard let stage = Self.buildStage(of: deployment), width > 2 else { return [] }
        let icon = statusSpans(stage.status, word: false)
        let name = TextFit.truncate(clean(stage.name, 20), width: width - icon.width, ellipsis: glyphs.ellipsis)
        let head = icon + [Span(name, .text)]
        let elapsed = elapsedSpans(start: stage.startedAt, end: stage.finishedAt)
        guard head.width + elapsed.width <= width else { return head }
        guard let current = currentStep(of: stage) else { return head + elapsed }
        let label = clean(StepLabels.label(for: current.name), 30)
        let labelWidth = width - head.width - elapsed.width - 2
        guard labelWidth >= min(Self.shortestStepLabel, CharacterWidth.of(label)) else { return head + elapsed }
        return head + [Span(": " + shortened(label, width: labelWidth), .text)] + elapsed
    }

    /// Where a row's left spans end in a pane `width` columns wide: two blank columns before the right spans,
    /// which end one column before the pane's edge, so a duration never reads as part of the age.
    static func leftLimit(width: Int, rightWidth: Int) -> Int {
        width - (rightWidth > 0 ? rightWidth + 3 : 1)
    }

    private func statusSpans(_ status: ProvisioningStatus, word: Bool) -> [Span] {
        let kind = ProvisioningStatusKind(status)
        let role = Role.status(kind)
        let icon = glyphs.icon(for: kind, frame: spinnerFrame ?? 0)
        let iconSpan = kind == .running && spinnerFrame != nil ? Span.spinner(icon, role) : Span(icon, role)
        return [iconSpan] + (word ? [Span(" " + clean(status.rawValue, 12), role)] : []) + [Span(" ")]
    }

    private func elapsedSpans(start: Date?, end: Date?) -> [Span] {
        guard let elapsed = DurationText.elapsed(from: start, to: end, now: now) else { return [] }
        return [Span(" " + elapsed, .textDim)]
    }

    private func messageSpans(_ messages: [String]) -> [Span] {
        guard let last = messages.last, !last.isEmpty else { return [] }
        return [Span("  " + clean(last, 200), .treeMessage)]
    }

    /// The service's name (or short id), after its app's short id when `showsApp`, in Koyeb's own `app/service`
    /// spelling. The name is what tells deployments apart; the app's id (eight hex digits) comes only with room.
    private func serviceLabel(_ deployment: Deployment, showsApp: Bool) -> String {
        let service = deployment.serviceName ?? deployment.serviceID.map(Self.shortID) ?? "-"
        guard showsApp, let app = deployment.appID.map(Self.shortID) else { return clean(service, 60) }
        return clean("\(app)/\(service)", 60)
    }

    /// `text` cut to `width` columns with an ellipsis, without a space left before the ellipsis.
    private func shortened(_ text: String, width: Int) -> String {
        guard CharacterWidth.of(text) > width else { return text }
        var head = TextFit.truncate(text, width: width - CharacterWidth.of(glyphs.ellipsis), ellipsis: "")
        while head.last == " " { head.removeLast() }
        return head + glyphs.ellipsis
    }

    /// The running step, else the last one that started.
    private func currentStep(of stage: Stage) -> BuildStep? {
        guard let attempt = stage.buildAttempts.last else { return nil }
        return attempt.steps.last { $0.status == .running }
            ?? (stage.status.isTerminal ? attempt.steps.last { $0.status == .failed } : nil)
    }

    private func clean(_ text: String, _ limit: Int) -> String {
        TerminalText.sanitized(text, limit: limit)
    }

    static func shortID(_ id: String) -> String {
        TerminalText.sanitized(String(id.prefix(8)))
    }

    static func buildStage(of deployment: Deployment) -> Stage? {
        BuildWatcher.buildStage(of: deployment)
    }
}
