import Testing

/// `--help` tells the truth about what each command reads.
@Suite struct HelpTextTests {
    @Test(arguments: [
        ("analyze", ["DICOM", "in_phase", "opposed_phase", "dicom/", "stations"]),
        ("convert", ["DICOM", "PNG", ".nii.gz"]),
        ("info", ["DICOM", "scaling"]),
    ])
    func helpNamesWhatTheCommandReads(command: String, words: [String]) throws {
        let result = try IMATProcess.run([command, "--help"])
        #expect(result.status == 0)
        for word in words { #expect(result.stdout.contains(word), "imat \(command) --help does not mention \(word)") }
    }
}
