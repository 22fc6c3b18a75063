import DashboardCore
import Foundation
import ProvisioningCore

/// An open declaration form in a box over the dashboard: a label and value per field, problems beside the
/// fields, the buttons, and under them the sending spinner, the server's message or the pending question.
struct FormView {
    let context: RenderContext
    let form: FormState

    private static let labelWidth = 17

    func draw(into screen: inout Screen) {
        let width = min(screen.size.width - 2, 84)
        let inner = width - 4
        var lines = [
            [
                Span(
                    TextFit.truncate(form.target.description, width: inner, ellipsis: context.glyphs.ellipsis), .textDim
                )
            ], [],
        ]
        for (index, field) in form.fields.enumerated() { lines += fieldLines(field, index: index, width: inner) }
        lines.append([])
        lines.append(buttons())
        lines += footer(width: inner)
        let box = Box.centered(width: width, height: lines.count + 2, in: screen.size, title: form.kind.title)
        let area = box.draw(into: &screen, context: context, body: .form, titleRole: .formTitle)
        let base = context.style(.form)
        for (offset, spans) in lines.prefix(area.height).enumerated() {
            screen.write(spans, x: area.x, y: area.y + offset, theme: context.theme, base: base, limit: area.maxX)
        }
    }

    // MARK: - Fields

    private func fieldLines(_ field: FormField, index: Int, width: Int) -> [[Span]] {
        let focused = form.focus == index
        let problem = form.errors[field.key]
        let role: Role = problem != nil ? .formFieldInvalid : focused ? .formFieldFocused : .formField
        let label = Span(TextFit.pad(field.key.label, width: Self.labelWidth - 1) + " ", .formLabel)
        let valueWidth = min(width - Self.labelWidth, 40)
        var lines: [[Span]]
        switch field.value {
        case .text(let text) where field.key == .startedAt || field.key == .finishedAt:
            var spans = [label, textSpan(text, key: field.key, role: role, focused: focused, width: 22)]
            if let date = TimeArgument.parse(text, now: context.state.now) {
                spans.append(Span(" " + FormTime.local(date, in: context.state.settings.timeZone), .textDim))
            }
            lines = [spans]
        case .text(let text):
            lines = [[label, textSpan(text, key: field.key, role: role, focused: focused, width: valueWidth)]]
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
            lines.append([
                prefix,
                textSpan(placeholder, key: field.key, role: role, focused: focused, width: valueWidth, bullet: "+ "),
            ])
        }
        if let problem {
            let text = "\(context.glyphs.failed) \(problem)"
            let room = width - lines[lines.count - 1].width - 1
            if CharacterWidth.of(text) <= room {
                lines[lines.count - 1].append(Span(" " + text, .formError))
            } else {
                lines.append([Span(String(repeating: " ", count: Self.labelWidth)), Span(text, .formError)])
            }
        }
        return lines
    }

    private func textSpan(
        _ text: String, key: FieldKey, role: Role, focused: Bool, width: Int, bullet: String = ""
    ) -> Span {
        let shown =
            key == .secret ? String(repeating: context.glyphs == .ascii ? "*" : "•", count: text.count) : clean(text)
        let cursor = focused ? "_" : ""
        let fitted = TextFit.pad(bullet + shown + cursor, width: width, ellipsis: context.glyphs.ellipsis)
        return Span(fitted, key == .secret && !text.isEmpty && !focused ? .formMasked : role)
    }

    private func buttons() -> [Span] {
        let send = form.focus == form.sendIndex ? Role.formButtonFocused : .formButton
        let cancel = form.focus == form.cancelIndex ? Role.formButtonFocused : .formButton
        return [
            Span(String(repeating: " ", count: Self.labelWidth)), Span("[ Send ]", send), Span("  "),
            Span("[ Cancel ]", cancel),
        ]
    }

    private func footer(width: Int) -> [[Span]] {
        if let question = form.question {
            let text: String
            switch question {
            case .discard: text = "Discard your changes? y/n"
            case .leaveFinalStatus(let from, let to):
                text = "This is \(from.rawValue): declare \(to.rawValue) anyway? y/n"
            }
            return [[], [Span(text, .formError)]]
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
