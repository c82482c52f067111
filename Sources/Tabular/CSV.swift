import Foundation

/// Comma-separated values as RFC 4180 defines them, as spreadsheets and pandas write them; the same rules with
/// tabs between fields read the tab-separated files of GWAS summary statistics (R's write.table quotes them too).
public enum CSV {
    /// A problem in CSV text, with the 1-based line where it was found.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    /// One record and the 1-based line it starts on (a quoted field may span lines).
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// Splits CSV text into records of fields: quoted fields may hold commas, quotes (doubled) and line
    /// breaks; a UTF-8 byte-order mark is dropped; LF, CRLF and CR line ends are all accepted; blank
    /// lines are skipped.
    public static func parse(_ text: String) throws -> [[String]] {
        try parseRecords(text).map(\.fields)
    }

    /// `parse`, keeping the line each record starts on so errors can point at it; `separator` is the ASCII
    /// character between fields (a comma, or a tab).
    public static func parseRecords(_ text: String, separator: Unicode.Scalar = ",") throws -> [Record] {
        precondition(separator.isASCII && separator != "\"" && separator != "\n" && separator != "\r")
        var text = text
        return try text.withUTF8 { try parseRecords(bytes: $0, separator: UInt8(separator.value)) }
    }

    /// Works on UTF-8 bytes: every delimiter is ASCII, and bytes of multi-byte characters never equal
    /// an ASCII byte, so fields are cut without decoding characters one by one.
    private static func parseRecords(bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) throws -> [Record] {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var record: [String] = []
        var recordLine = 1
        var field: [UInt8] = []
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            let wasQuoted = fieldWasQuoted
            endField()
            if !(record.count == 1 && record[0].isEmpty && !wasQuoted) { records.append(Record(line: recordLine, fields: record)) }
            record = []
        }

        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if inQuotes {
                if c == quote {
                    if i < bytes.count && bytes[i] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case quote:
                guard field.isEmpty && !fieldWasQuoted else {
                    throw ParseError(line: line, problem: "a quote inside an unquoted field (quote the whole field and double inner quotes)")
                }
                inQuotes = true
                fieldWasQuoted = true
            case separator:
                endField()
            case cr, lf:
                if c == cr && i < bytes.count && bytes[i] == lf { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !fieldWasQuoted else {
                    throw ParseError(line: line, problem: "text after a closing quote")
                }
                field.append(c)
            }
        }
        if inQuotes { throw ParseError(line: line, problem: "a quoted field is not closed") }
        if !field.isEmpty || fieldWasQuoted || !record.isEmpty { endRecord() }
        return records
    }

    /// One CSV line (without its line end), quoting only the fields that need it.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }

    /// A whole CSV document with LF line ends.
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { line($0) + "\n" }.joined()
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A CSV table with a header row, its columns looked up by name.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// The 1-based line in the text where each row starts, for messages that name a row.
    public var lines: [Int]

    /// Parses text whose first record is the header; every row must have as many fields as the header.
    public init(parsing text: String, separator: Unicode.Scalar = ",") throws {
        let records = try CSV.parseRecords(text, separator: separator)
        guard let first = records.first else { throw CSV.ParseError(line: 1, problem: "no header row") }
        header = first.fields.map { $0.trimmingBlanks }
        if let duplicate = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw CSV.ParseError(line: first.line, problem: "column \"\(duplicate)\" appears twice in the header")
        }
        rows = records.dropFirst().map(\.fields)
        lines = records.dropFirst().map(\.line)
        for (row, line) in zip(rows, lines) where row.count != header.count {
            throw CSV.ParseError(line: line, problem: "\(row.count) field\(row.count == 1 ? "" : "s") where the header has \(header.count)")
        }
    }

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
        lines = rows.indices.map { $0 + 2 }
    }

    public func columnIndex(_ name: String) -> Int? { header.firstIndex(of: name) }
}

/// Values a table uses for "not recorded": empty, NA (R, pandas), N/A, NaN and "." (SAS, Stata).
public func isMissingValue(_ text: String) -> Bool {
    text.isEmpty || (text.utf8.count <= 3 && ["na", "n/a", "nan", "."].contains(text.lowercased()))
}

extension String {
    /// The field without leading or trailing spaces and tabs; fast when there are none, the usual case,
    /// because it reads only the first and last bytes.
    public var trimmingBlanks: String {
        guard let first = utf8.first, let last = utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return self }
        return trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }
}
