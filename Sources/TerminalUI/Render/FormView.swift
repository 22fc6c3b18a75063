import DashboardCore
import Foundation
import ProvisioningCore

/// An open declaration form in a box over the dashboard: a label and value per field, problems beside the
/// fields, the buttons, and under them the sending spinner, the server's message or the pending question.
/// When the box is shorter than the form, the fields scroll to keep the focused one (and its problem) in view,
/// with a mark where fields are hidden above or below; the buttons and what is under them always show. A pointer
/// (`▸`) in the margin marks the focused field, and one before the focused button, so focus shows without colour.
struct FormView {
    let context: RenderContext
    let form: FormState

    private static let labelWidth = 17

    func draw(into screen: inout Screen) {
        let width = min(screen.size.width - 2, 84)
        let inner = width - 4
        let heading = [
            Span(TextFit.truncate(form.target.description, width: inner, ellipsis: context.glyphs.ellipsis), .textDim)
        ]
        let fields = form.fields.enumerated().map { fieldLines($1, index: $0, width: inner) }
        let bottom = [buttons()] + footer(width: inner)
        let height = 3 + fields.joined().count + bottom.count
        let box = Box.centered(width: width, height: height + 2, in: screen.size, title: form.kind.title)
        let area = box.draw(into: &screen, context: context, body: .form, titleRole: .formTitle)
        let lines = rows(heading: heading, fields: fields, bottom: bottom, height: area.height)
        let base = context.style(.form)
        let focusedLabel = form.focusedField.map(label)
        for (offset, spans) in lines.prefix(area.height).enumerated() {
            // The pointer in the margin marks the focused field without relying on colour (NO_COLOR, mono).
            let margin = focusedLabel != nil && spans.first == focusedLabel ? pointer : Span(" ")
            screen.write(
                [margin] + spans, x: area.x - 1, y: area.y + offset, theme: context.theme, base: base,
                limit: area.maxX)
        }
    }

    /// What points at the focused field or button.
    private var pointer: Span { Span(context.glyphs.spelled("▸"), .formLabel) }

    // MARK: - Scrolling

    /// The rows to show in `height`: the heading, a gap, the fields, a gap and `bottom`. When they do not fit,
    /// the fields scroll to the least offset that shows the end of the focused one (its caret and problem; all
    /// of it when it fits, all fields above the buttons when a button is focused), the gaps mark what is
    /// hidden, and the heading and the blank above the footer give way when the focused field needs the room.
    /// A focused field cut at the top keeps its label on its first row shown.
    private func rows(heading: [Span], fields: [[[Span]]], bottom: [[Span]], height: Int) -> [[Span]] {
        let body = Array(fields.joined())
        guard 3 + body.count + bottom.count > height else { return [heading, []] + body + [[]] + bottom }
        let start = fields.prefix(form.focus).reduce(0) { $0 + $1.count }
        let end = form.focus < fields.count ? start + fields[form.focus].count : body.count
        let needed = max(1, min(end - start, 2))
        var top = [heading]
        var bottom = bottom
        func room() -> Int { max(0, height - top.count - 2 - bottom.count) }
        if room() < needed { top = [] }
        if room() < needed, bottom.count > 1, bottom[1].isEmpty { bottom.remove(at: 1) }
        let room = room()
        let offset = max(0, end - room)
        var shown = body[offset..<min(body.count, offset + room)]
        if offset > start, let label = fields[form.focus].first?.first, !shown.isEmpty {
            shown[offset][0] = label
        }
        let above = offset > 0 ? marker("more ↑") : []
        let below = offset + room < body.count ? marker("more ↓") : []
        return top + [above] + shown + [below] + bottom
    }

    /// A mark saying that fields are hidden in the direction of the arrow in `text`.
    private func marker(_ text: String) -> [Span] { [Span(context.glyphs.spelled(text), .textDim)] }

    // MARK: - Fields

    private func fieldLines(_ field: FormField, index: Int, width: Int) -> [[Span]] {
        let focused = form.focus == index
        let problem = form.errors[field.key]
        let role: Role = problem != nil ? .formFieldInvalid : focused ? .formFieldFocused : .formField
        let label = self.label(field)
        let valueWidth = min(width - Self.labelWidth, 40)
        var lines: [[Span]]
        switch field.value {
        case .text(let text) where field.key == .startedAt || field.key == .finishedAt:
            var spans = [label] + textSpans(text, key: field.key, role: role, focused: focused, width: 22)
            if let date = TimeArgument.parse(text, now: context.state.now) {
                spans.append(Span(" " + FormTime.local(date, in: context.state.settings.timeZone), .textDim))
            }
            lines = [spans]
        case .text(let text):
            lines = [[label] + textSpans(text, key: field.key, role: role, focused: focused, width: valueWidth)]
        case .status(let status):
            let kind = ProvisioningStatusKind(status)
            let icon = context.glyphs.icon(for: kind, frame: 0)
            let arrows = context.glyphs == .ascii ? ("<", ">") : ("◂", "▸")
            lines = [
                [label, Span(TextFit.pad(" \(arrows.0) \(icon) \(status.rawValue) \(arrows.1)", width: 18), role)]
            ]
        case .flag(let value):
            lines = [[label, Span(value ? context.glyphs.checked : context.glyphs.unchecked, role)]]
        case .list(let items, let draft):
            let shown = items.suffix(6)
            lines = []
            if items.count > shown.count {
                lines.append([label, Span("… \(items.count - shown.count) more above", .textDim)])
            }
            for item in shown {
                let prefix = lines.isEmpty ? label : Span(String(repeating: " ", count: Self.labelWidth))
                lines.append([
                    prefix,
                    Span(
                        TextFit.pad("• " + clean(item), width: valueWidth, ellipsis: context.glyphs.ellipsis),
                        .formField),
                ])
            }
            let prefix = lines.isEmpty ? label : Span(String(repeating: " ", count: Self.labelWidth))
            let placeholder = draft.isEmpty && !focused ? "(Enter adds a line)" : draft
            lines.append(
                [prefix]
                    + textSpans(
                        placeholder, key: field.key, role: role, focused: focused, width: valueWidth, bullet: "+ "))
        }
        if let problem {
            let text = "\(context.glyphs.failed) \(problem)"
            let room = width - lines[lines.count - 1].width - 1
            if CharacterWidth.of(text) <= room {
                lines[lines.count - 1].append(Span(" " + text, .formError))
            } else {
                // Under the value: on up to two lines, the rest cut with an ellipsis.
                let indent = Span(String(repeating: " ", count: Self.labelWidth))
                let wrapped = TextFit.wrap(
                    text, width: width - Self.labelWidth, maximumLines: 2, ellipsis: context.glyphs.ellipsis)
                lines += wrapped.map { [indent, Span($0, .formError)] }
            }
        }
        return lines
    }

    private func label(_ field: FormField) -> Span {
        Span(TextFit.pad(field.key.label, width: Self.labelWidth - 1) + " ", .formLabel)
    }

    /// A text value in `width` columns after `bullet`: the start of it with an ellipsis when cut. When focused,
    /// the caret shows: `_` after the end, or the character under it drawn as an unfocused field; the text
    /// scrolls so the caret stays in view, with some of what follows it.
    private func textSpans(
        _ text: String, key: FieldKey, role: Role, focused: Bool, width: Int, bullet: String = ""
    ) -> [Span] {
        let shown =
            key == .secret ? String(repeating: context.glyphs == .ascii ? "*" : "•", count: text.count) : clean(text)
        let ellipsis = context.glyphs.ellipsis
        let room = width - CharacterWidth.of(bullet)
        guard focused else {
            let fitted = TextFit.pad(bullet + shown, width: width, ellipsis: ellipsis)
            return [Span(fitted, key == .secret && !text.isEmpty ? .formMasked : role)]
        }
        let caret = min(form.caret, shown.count)
        guard caret > 0 else { return [Span(bullet + Self.tail(shown + "_", width: room, ellipsis: ellipsis), role)] }
        let split = shown.index(shown.endIndex, offsetBy: -caret)
        let under = shown[split]
        let after = String(shown[shown.index(after: split)...])
        // A quarter of the room, at most, shows what follows the caret; the rest what precedes it.
        let afterRoom = min(CharacterWidth.of(after), max(0, (room - CharacterWidth.of(under)) / 4))
        let before = Self.tail(
            String(shown[..<split]), width: room - CharacterWidth.of(under) - afterRoom, ellipsis: ellipsis,
            padded: false)
        let rest = room - CharacterWidth.of(before) - CharacterWidth.of(under)
        return [
            Span(bullet + before, role), Span(String(under), .formField),
            Span(TextFit.pad(after, width: rest, ellipsis: ellipsis), role),
        ]
    }

    /// `text` (padded to `width` columns when `padded`), or its end after `ellipsis` when it is wider.
    private static func tail(_ text: String, width: Int, ellipsis: String, padded: Bool = true) -> String {
        guard CharacterWidth.of(text) > width else { return padded ? TextFit.pad(text, width: width) : text }
        var kept = ""
        var used = CharacterWidth.of(ellipsis)
        for character in text.reversed() {
            used += CharacterWidth.of(character)
            guard used <= width else { break }
            kept.insert(character, at: kept.startIndex)
        }
        return TextFit.pad(ellipsis + kept, width: width)
    }

    /// The buttons, the focused one with the pointer before it.
    private func buttons() -> [Span] {
        func button(_ title: String, index: Int) -> [Span] {
            form.focus == index ? [pointer, Span(title, .formButtonFocused)] : [Span(" "), Span(title, .formButton)]
        }
        return [Span(String(repeating: " ", count: Self.labelWidth - 1))] + button("[ Send ]", index: form.sendIndex)
            + [Span(" ")] + button("[ Cancel ]", index: form.cancelIndex)
    }

    private func footer(width: Int) -> [[Span]] {
        if let question = form.question {
            let text: String
            switch question {
            case .discard: text = "Discard your changes? y/n"
            case .leaveFinalStatus(let from, let to):
                text =
                    "This is \(from.rawValue), a final status: Koyeb keeps it, and a retry is a new attempt (a). "
                    + "Declare \(to.rawValue) anyway? y/n"
            }
            return [[]] + TextFit.wrap(text, width: width).prefix(3).map { [Span($0, .formError)] }
        }
        if form.sending != nil {
            let spinner = context.glyphs.icon(for: .running, frame: context.state.spinnerFrame)
            return [[], [Span.spinner(spinner, .formLabel), Span(" sending\(context.glyphs.ellipsis)", .formLabel)]]
        }
        if let message = form.serverError {
            return [[]] + TextFit.wrap(clean(message), width: width).prefix(4).map { [Span($0, .formError)] }
        }
        return []
    }

    private func clean(_ text: String) -> String { TerminalText.sanitized(text, limit: 500) }
}
