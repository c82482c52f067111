/// The vector products the geometry code shares (patient directions, slice normals, determinants).
package func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }

package func length(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }

package func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
