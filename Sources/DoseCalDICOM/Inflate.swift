/// A raw DEFLATE decoder (RFC 1951), for the Deflated Explicit VR Little Endian transfer syntax.
///
/// DICOM deflates the data set without a zlib or gzip wrapper (PS3.5 §A.5). The decoder follows
/// Mark Adler's `puff.c` (the zlib reference inflater): canonical Huffman codes decoded bit by
/// bit from per-length counts, stored, fixed and dynamic blocks. It is written for safety rather
/// than speed — dose reports are small: every read is bounds-checked, invalid code sets are
/// refused, and the output is capped (``defaultMaxOutput``) so a small hostile input cannot
/// exhaust memory.
enum Inflate {
    /// Output cap: 256 MiB, far above any dose report.
    static let defaultMaxOutput = 256 << 20

    struct Failure: Error {
        var message: String
        /// Input byte offset (relative to the start of the deflated bytes) where decoding stopped.
        var inputOffset: Int
        var truncated: Bool
    }

    /// Inflates raw DEFLATE data.
    /// - Throws: ``Failure`` on invalid or truncated data or when the output would exceed `maxOutput`.
    /// - Complexity: O(*n* + *m*) for *n* input and *m* output bytes.
    static func inflate(_ input: ArraySlice<UInt8>, maxOutput: Int) throws -> [UInt8] {
        var state = State(input: Array(input), maxOutput: maxOutput)
        var last = false
        repeat {
            last = try state.bits(1) == 1
            switch try state.bits(2) {
            case 0: try state.stored()
            case 1: try state.codes(lengths: fixedTables.lengths, distances: fixedTables.distances)
            case 2: try state.dynamic()
            default: throw state.failure("invalid block type 3")
            }
        } while !last
        return state.output
    }

    /// A canonical Huffman code: how many codes of each length, and the symbols in code order.
    struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        /// Builds the code; `left` is 0 for a complete code, > 0 for an incomplete one, < 0 for
        /// an over-subscribed (invalid) one.
        init(lengths: ArraySlice<Int>) {
            symbol = [Int](repeating: 0, count: lengths.count)
            for l in lengths { count[l] += 1 }
            var left = 1
            for len in 1...15 {
                left <<= 1
                left -= count[len]
                if left < 0 { break }
            }
            self.left = left
            var offs = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offs[len + 1] = offs[len] + count[len] }
            for (s, l) in lengths.enumerated() where l != 0 {
                symbol[offs[l]] = s
                offs[l] += 1
            }
        }

        var left = 0
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static let fixedTables: (lengths: Huffman, distances: Huffman) = {
        var l = [Int](repeating: 8, count: 288)
        for s in 144..<256 { l[s] = 9 }
        for s in 256..<280 { l[s] = 7 }
        return (Huffman(lengths: l[...]), Huffman(lengths: [Int](repeating: 5, count: 30)[...]))
    }()

    struct State {
        let input: [UInt8]
        let maxOutput: Int
        var position = 0
        var bitBuffer = 0
        var bitCount = 0
        var output: [UInt8] = []

        init(input: [UInt8], maxOutput: Int) {
            self.input = input
            self.maxOutput = maxOutput
        }

        func failure(_ message: String, truncated: Bool = false) -> Failure {
            Failure(message: message, inputOffset: position, truncated: truncated)
        }

        mutating func bits(_ need: Int) throws -> Int {
            var value = bitBuffer
            while bitCount < need {
                guard position < input.count else { throw failure("the deflated data ends too early", truncated: true) }
                value |= Int(input[position]) << bitCount
                position += 1
                bitCount += 8
            }
            bitBuffer = value >> need
            bitCount -= need
            return value & ((1 << need) - 1)
        }

        mutating func append(_ byte: UInt8) throws {
            guard output.count < maxOutput else { throw failure("the inflated data set would exceed \(maxOutput) bytes") }
            output.append(byte)
        }

        mutating func stored() throws {
            bitBuffer = 0
            bitCount = 0
            guard input.count - position >= 4 else { throw failure("the deflated data ends inside a stored block header", truncated: true) }
            let len = Int(input[position]) | Int(input[position + 1]) << 8
            let nlen = Int(input[position + 2]) | Int(input[position + 3]) << 8
            position += 4
            guard len == (~nlen & 0xFFFF) else { throw failure("a stored block's length check fails") }
            guard input.count - position >= len else { throw failure("the deflated data ends inside a stored block", truncated: true) }
            guard maxOutput - output.count >= len else { throw failure("the inflated data set would exceed \(maxOutput) bytes") }
            output.append(contentsOf: input[position..<(position + len)])
            position += len
        }

        mutating func decode(_ h: Huffman) throws -> Int {
            var code = 0, first = 0, index = 0
            for len in 1...15 {
                code |= try bits(1)
                let count = h.count[len]
                if code - count < first { return h.symbol[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw failure("an invalid Huffman code")
        }

        mutating func codes(lengths: Huffman, distances: Huffman) throws {
            while true {
                let symbol = try decode(lengths)
                if symbol < 256 {
                    try append(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let s = symbol - 257
                    guard s < 29 else { throw failure("an invalid length symbol") }
                    let length = Inflate.lengthBase[s] + (try bits(Inflate.lengthExtra[s]))
                    let d = try decode(distances)
                    guard d < 30 else { throw failure("an invalid distance symbol") }
                    let distance = Inflate.distanceBase[d] + (try bits(Inflate.distanceExtra[d]))
                    guard distance <= output.count else { throw failure("a back-reference before the start of the data") }
                    guard maxOutput - output.count >= length else { throw failure("the inflated data set would exceed \(maxOutput) bytes") }
                    let from = output.count - distance
                    for k in 0..<length { output.append(output[from + k]) }
                }
            }
        }

        mutating func dynamic() throws {
            let nlen = try bits(5) + 257
            let ndist = try bits(5) + 1
            let ncode = try bits(4) + 4
            guard nlen <= 286, ndist <= 30 else { throw failure("too many length or distance codes") }
            var lengths = [Int](repeating: 0, count: 320)
            for i in 0..<ncode { lengths[Inflate.codeLengthOrder[i]] = try bits(3) }
            let lencode = Huffman(lengths: lengths[0..<19])
            guard lencode.left == 0 else { throw failure("an incomplete code-length code") }
            var index = 0
            while index < nlen + ndist {
                var symbol = try decode(lencode)
                if symbol < 16 {
                    lengths[index] = symbol
                    index += 1
                    continue
                }
                var repeatValue = 0
                if symbol == 16 {
                    guard index > 0 else { throw failure("a repeat with no previous length") }
                    repeatValue = lengths[index - 1]
                    symbol = 3 + (try bits(2))
                } else if symbol == 17 {
                    symbol = 3 + (try bits(3))
                } else {
                    symbol = 11 + (try bits(7))
                }
                guard index + symbol <= nlen + ndist else { throw failure("too many code lengths") }
                for _ in 0..<symbol {
                    lengths[index] = repeatValue
                    index += 1
                }
            }
            guard lengths[256] != 0 else { throw failure("no end-of-block code") }
            let lencodes = Huffman(lengths: lengths[0..<nlen])
            guard lencodes.left >= 0, lencodes.left == 0 || nlen == lencodes.count[0] + lencodes.count[1] else {
                throw failure("an invalid literal/length code")
            }
            let distcodes = Huffman(lengths: lengths[nlen..<(nlen + ndist)])
            guard distcodes.left >= 0, distcodes.left == 0 || ndist == distcodes.count[0] + distcodes.count[1] else {
                throw failure("an invalid distance code")
            }
            try codes(lengths: lencodes, distances: distcodes)
        }
    }
}
