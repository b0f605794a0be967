import DoseCalDomain
import Testing
@testable import DoseCalReports

@Suite struct MarkdownTableTests {
    @Test func rendersWithInferredAlignment() {
        let table = MarkdownTable(header: ["operator", "µSv/procedure", "alert"],
                                  rows: [["op-01", "15.3", colourBadge(.green)], ["op-02", "—", colourBadge(nil)]])
        #expect(table.rendered() == """
            | operator | µSv/procedure | alert   |
            | :------- | ------------: | :------ |
            | op-01    |          15.3 | 🟢 green |
            | op-02    |             — | — none  |

            """)
    }

    @Test func explicitAlignmentAndRaggedRows() {
        var table = MarkdownTable(header: ["a", "b", "c"], alignments: [.center, .right, .left])
        table.append(["x"])
        table.append(["1", "2", "3", "dropped"])
        #expect(table.rendered() == """
            |  a  |   b | c   |
            | :-: | --: | :-- |
            |  x  |     |     |
            |  1  |   2 | 3   |

            """)
    }

    @Test(arguments: [
        ("a|b", #"a\|b"#),
        (#"a\|b"#, #"a\\\|b"#),
        (#"C:\path"#, #"C:\path"#),
        ("line 1\nline 2\r\nline 3\rend", "line 1<br>line 2<br>line 3<br>end"),
        ("  spaced  ", "spaced"),
        ("**bold** `code`", "**bold** `code`"),
    ])
    func escaping(cell: String, expected: String) {
        #expect(MarkdownTable.escape(cell) == expected)
    }

    @Test func escapedPipeKeepsTheColumnCount() {
        let text = MarkdownTable(header: ["type", "n"], rows: [["angio | PCI", "3"]]).rendered()
        let lines = text.split(separator: "\n")
        // Unescaped pipes: 3 per line on every line.
        for line in lines {
            var count = 0
            var previous: Character = " "
            for c in line { if c == "|" && previous != "\\" { count += 1 }; previous = c }
            #expect(count == 3, "\(line)")
        }
    }

    @Test func badges() {
        #expect(colourBadge(.green) == "🟢 green")
        #expect(colourBadge(.yellow) == "🟡 yellow")
        #expect(colourBadge(.red) == "🔴 red")
        #expect(colourBadge(nil) == "— none")
    }
}
