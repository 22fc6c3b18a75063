import Foundation
import HostileInputSupport
import PropertyBased
import ProvisioningCore
import TestSupport
import Testing

@testable import DashboardCore

/// Fuzzing by property: theme files, the config file and the form validators get hostile and random input and
/// must answer with a value or an error that names the problem — never a crash or a hang.
@Suite("Hostile input: themes, config, forms")
struct HostileDashboardInputTests {
    /// Any character from the first planes, control characters and escapes included.
    private static let anyCharacter = Gen<Unicode.Scalar>.unicodeScalar(in: "\u{0}"..."\u{2FFF}").map(Character.init)
    private static let anyText = anyCharacter.string(of: 0...200)

    /// Hand-made hostile YAML: deep nesting, alias bombs, wrong types, huge and control-character strings.
    static let corpus: [(name: String, text: String)] = [
        ("deep flow nesting", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
        (
            "deep mapping nesting",
            String(repeating: "{a: ", count: 20_000) + "1" + String(repeating: "}", count: 20_000)
        ),
        (
            "alias bomb",
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "styles: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntheme: *e\ninterval: *e\n"
        ),
        ("wrong types", "styles: [1, 2, 3]\npalette: 7\ntheme: {a: b}\ninterval: [1]\nread_only: maybe\n"),
        ("huge string", "name: " + String(repeating: "x", count: 2_000_000) + "\n"),
        ("control characters", "theme: \"\\e[2J\\e]0;pwned\\a\"\nstyles:\n  text: { fg: \"\\e[31m\" }\n"),
        ("tabs and garbage", "\t\t:\n- - - :\n? ? ?\n%YAML 9.9\n"),
        ("huge number", "interval: 1e400\nstyles:\n  text: { fg: 99999999999999999999999 }\n"),
        ("duplicate keys", "theme: a\ntheme: b\nstyles: {}\nstyles: {}\n"),
    ]

    @Test(arguments: corpus.map(\.name))
    func corpusThemesAndConfigsAnswerWithAValueOrAnError(name: String) {
        let text = Self.corpus.first { $0.name == name }!.text
        do {
            _ = try ThemeParser().parse(text, file: "hostile.yaml", name: "hostile")
        } catch {
            #expect(error.description.hasPrefix("hostile.yaml"))
            #expect(!error.description.contains("\u{1B}"))
        }
        do {
            _ = try DashboardConfig.parse(text, file: "config.yaml")
        } catch {
            #expect(error.description.hasPrefix("config.yaml"))
            #expect(!error.description.contains("\u{1B}"))
        }
    }

    @Test func mutatedThemesAndConfigsNeverCrashTheLoaders() async throws {
        let theme = try String(contentsOfFile: PackageFiles.themes + "/default.yaml", encoding: .utf8)
        let config = "theme: light\ninterval: 5\nurl: http://127.0.0.1:8000\nascii: true\nread_only: false\n"
        for original in [Array(theme.utf8), Array(config.utf8)] {
            await ByteMutations.check(original, count: 300) { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                _ = try? ThemeParser().parse(text, file: "t.yaml", name: "t")
                _ = try? DashboardConfig.parse(text, file: "c.yaml")
            }
        }
    }

    @Test func randomTextNeverCrashesTheLoaders() async {
        await propertyCheck(count: 300, input: Self.anyText) { text in
            _ = try? ThemeParser().parse(text, file: "t.yaml", name: "t")
            _ = try? DashboardConfig.parse(text, file: "c.yaml")
        }
    }

    @Test func formsFilledWithHostileTextAreRefusedOrSentNeverCrash() async throws {
        let state = FormTests.state(selecting: FormTests.runningStep)
        guard case .step(let step, let attempt, let stage, let deployment)? = state.selectedNode else {
            Issue.record("no step selected")
            return
        }
        let now = Fixtures.now
        let forms = [
            FormFactory.createAttempt(on: .stage(stage, in: deployment), now: now, secret: nil),
            FormFactory.stageProgress(on: .attempt(attempt, stage: stage, in: deployment), secret: nil),
            FormFactory.stepProgress(on: .step(step, attempt: attempt, stage: stage, in: deployment), secret: nil),
        ].compactMap { $0 }
        #expect(forms.count == 3)
        await propertyCheck(count: 300, input: Self.anyText, Self.anyText, Self.anyText) { first, second, third in
            for var form in forms {
                for index in form.fields.indices {
                    switch form.fields[index].value {
                    case .text: form.fields[index].value = .text([first, second, third][index % 3])
                    case .list: form.fields[index].value = .list([first, second], draft: third)
                    default: break
                    }
                }
                let problems = FormValidator.problems(in: form, now: now)
                let declaration = FormValidator.declaration(from: form, now: now)
                #expect(problems.isEmpty == (declaration != nil), "a form is either sent or refused with reasons")
                for problem in problems.values { #expect(!problem.isEmpty) }
            }
        }
    }

    @Test func timeTextNeverCrashesTheParser() async {
        await propertyCheck(count: 500, input: Self.anyText) { text in
            if let date = TimeArgument.parse(text, now: Fixtures.now) { #expect(date.timeIntervalSince1970.isFinite) }
        }
    }
}
