import Testing
@testable import Tabular

@Suite struct CSVTests {
    @Test func quotedFieldsCommasQuotesAndLineBreaks() throws {
        let text = "id,note\n\"P,1\",\"said \"\"no\"\"\"\nP2,\"two\nlines\"\n"
        #expect(try CSV.parse(text) == [["id", "note"], ["P,1", "said \"no\""], ["P2", "two\nlines"]])
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let text = "\u{FEFF}participant,age\r\nP1,50\r\nP2,61\r\n"
        #expect(try CSV.parse(text) == [["participant", "age"], ["P1", "50"], ["P2", "61"]])
    }

    @Test func emptyFieldsAndBlankLinesAndNoFinalNewline() throws {
        #expect(try CSV.parse("a,b,c\n\n1,,3\n,\"\",x") == [["a", "b", "c"], ["1", "", "3"], ["", "", "x"]])
    }

    @Test func rowsRememberTheLineTheyStartOn() throws {
        let table = try CSVTable(parsing: "id,note\r\nP1,\"two\nlines\"\n\nP2,x\n")
        #expect(table.rows == [["P1", "two\nlines"], ["P2", "x"]])
        #expect(table.lines == [2, 5])
        #expect(throws: CSV.ParseError(line: 4, problem: "1 field where the header has 2")) {
            try CSVTable(parsing: "id,note\nP1,\"a\nb\"\nP2\n")
        }
    }

    @Test func malformedQuotesAreErrorsWithTheLine() {
        #expect(throws: CSV.ParseError(line: 2, problem: "a quoted field is not closed")) { try CSV.parse("a\n\"open") }
        #expect(throws: CSV.ParseError(line: 1, problem: "text after a closing quote")) { try CSV.parse("\"a\"b") }
    }

    @Test func writingQuotesOnlyWhatNeedsIt() throws {
        let fields = ["plain", "with,comma", "with \"quote\"", "multi\nline"]
        let line = CSV.line(fields)
        #expect(line == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"multi\nline\"")
        #expect(try CSV.parse(line) == [fields])
    }

    @Test func tableRequiresMatchingRowWidths() {
        #expect(throws: CSV.ParseError(line: 3, problem: "1 field where the header has 2")) {
            try CSVTable(parsing: "a,b\n1,2\n3\n")
        }
        #expect(throws: CSV.ParseError(line: 1, problem: "column \"a\" appears twice in the header")) {
            try CSVTable(parsing: "a,a\n1,2\n")
        }
    }
}
