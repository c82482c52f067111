import Testing
import VolumeCore
import VolumeIO

@Suite struct VolumeTests {
    @Test func everyStoredTypeConvertsByValueNotByBitPattern() {
        #expect(VoxelStorage.uint32([1, 4_000_000_000]).floatValues() == [1, 4_000_000_000])
        #expect(VoxelStorage.int32([-7, 2_000_000]).floatValues() == [-7, 2_000_000])
        #expect(VoxelStorage.uint32([4_294_967_295]).doubleValues() == [4_294_967_295])
        #expect(VoxelStorage.int8([-128, 127]).doubleValues() == [-128, 127])
    }

    @Test func scalingIsAppliedInDoubleAndRoundedOnce() {
        let volume = Volume(dimensions: Dimensions(2, 1, 1), spacing: SIMD3(1, 1, 1), storage: .int16([3, -5]),
                            scaling: IntensityScaling(slope: 0.1, intercept: 1000.05))
        #expect(volume.floatValues() == [Float(3 * 0.1 + 1000.05), Float(-5 * 0.1 + 1000.05)])
        #expect(volume.doubleValues() == [3 * 0.1 + 1000.05, -5 * 0.1 + 1000.05])
    }

    @Test func labelValuesRefuseNegativeAndFractionalValues() {
        #expect(VoxelStorage.int16([0, 44, 47]).labelValues() == [0, 44, 47])
        #expect(VoxelStorage.int16([0, -1]).labelValues() == nil)
        #expect(VoxelStorage.float32([1.5]).labelValues() == nil)
        #expect(VoxelStorage.uint32([70_000]).labelValues() == nil)
    }

    @Test func orientationCodes() {
        #expect(Affine.diagonal(SIMD3(1, 1, 1)).orientationCode == "RAS")
        #expect(Affine.sliceStack(spacing: SIMD3(1, 2, 3)).orientationCode == "LPS")
        let swapped = Affine(rows: [[0, 0, 2, 0], [-1, 0, 0, 0], [0, 1, 0, 0]])
        #expect(swapped.orientationCode == "PSR")
    }
}
