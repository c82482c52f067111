import VolumeCore
/// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per byte plane,
/// most significant plane first.
enum RLEDecoder {
    static func decode(_ fragment: ArraySlice<UInt8>, bytesPerSample: Int, pixels: Int, path: String, frame: Int) throws -> [UInt8] {
        func fail(_ problem: String) -> IMATError { IMATError(path, "RLE frame \(frame + 1): \(problem)") }
        let base = fragment.startIndex
        guard fragment.count >= 64 else { throw fail("shorter than its 64-byte header") }
        func header(_ k: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(fragment[base + 4 * k + $1]) << (8 * $1) }
        }
        let segments = header(0)
        guard segments == bytesPerSample else { throw fail("\(segments) segments where \(bytesPerSample) byte planes are needed") }
        var output = [UInt8](repeating: 0, count: pixels * bytesPerSample)
        for segment in 0..<segments {
            let start = header(1 + segment)
            let end = segment + 1 < segments ? header(2 + segment) : fragment.count
            guard start >= 64, start <= end, end <= fragment.count else { throw fail("segment \(segment + 1) lies outside the fragment") }
            // Plane 0 holds the most significant bytes; samples are stored little endian.
            let plane = bytesPerSample - 1 - segment
            var written = 0, position = base + start
            let limit = base + end
            while written < pixels, position < limit {
                let control = Int(Int8(bitPattern: fragment[position]))
                position += 1
                if control >= 0 {
                    let count = control + 1
                    guard position + count <= limit, written + count <= pixels else { throw fail("a literal run overruns its segment") }
                    for k in 0..<count { output[(written + k) * bytesPerSample + plane] = fragment[position + k] }
                    position += count
                    written += count
                } else if control != -128 {
                    let count = 1 - control
                    guard position < limit, written + count <= pixels else { throw fail("a repeat run overruns its segment") }
                    for k in 0..<count { output[(written + k) * bytesPerSample + plane] = fragment[position] }
                    position += 1
                    written += count
                }
            }
            guard written == pixels else { throw fail("segment \(segment + 1) decodes to \(written) of \(pixels) pixels") }
        }
        return output
    }
}
